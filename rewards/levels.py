"""Levels from lifetime points, read from a cached table (it changes rarely).

Levels change through ``save_level`` and ``delete_level``, which move the wallets
to their new level in the same transaction and drop the cached table."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from rewards.errors import InvalidInput, NotAllowed
from rewards.models import Level, Wallet

if TYPE_CHECKING:
    from cocreate.members.types import User

CACHE_KEY = "rewards:levels:v1"


def _table() -> list[tuple[int, int]]:
    """(threshold, level id) pairs, ascending; cached until a level changes."""
    table = cache.get(CACHE_KEY)
    if table is None:
        table = list(Level.objects.order_by("threshold").values_list("threshold", "pk"))
        cache.set(CACHE_KEY, table, timeout=3600)
    return table


def level_id_for(lifetime_points: int) -> int | None:
    table = _table()
    index = bisect.bisect_right([threshold for threshold, _ in table], lifetime_points)
    return table[index - 1][1] if index else None


def forget() -> None:
    """Called when levels are edited: the next posting reads them afresh."""
    cache.delete(CACHE_KEY)


def progress(lifetime_points: int) -> dict:
    """Where a member stands: current level, next level and the share done."""
    levels = list(Level.objects.order_by("threshold"))
    current = None
    following = None
    for level in levels:
        if level.threshold <= lifetime_points:
            current = level
        elif following is None:
            following = level
    percent = 100
    if following is not None:
        floor = current.threshold if current else 0
        span = max(following.threshold - floor, 1)
        percent = int(100 * (lifetime_points - floor) / span)
    return {
        "level": current,
        "next_level": following,
        "points_to_next": following.threshold - lifetime_points if following else 0,
        "percent": max(0, min(percent, 100)),
    }


def reassign_all() -> int:
    """Give every wallet the level its lifetime points reach now; returns changes."""
    forget()
    changed = 0
    steps = list(Level.objects.order_by("threshold").values_list("threshold", "pk"))
    bounds = [threshold for threshold, _ in steps[1:]] + [None]
    below = steps[0][0] if steps else None
    if below is None:
        return Wallet.objects.exclude(level=None).update(level=None)
    changed += (
        Wallet.objects.filter(lifetime_earned__lt=below)
        .exclude(level=None)
        .update(level=None)
    )
    for (threshold, level_id), upper in zip(steps, bounds, strict=True):
        band = Wallet.objects.filter(lifetime_earned__gte=threshold)
        if upper is not None:
            band = band.filter(lifetime_earned__lt=upper)
        changed += band.exclude(level_id=level_id).update(level_id=level_id)
    return changed


def _may(actor: User, permission: str) -> bool:
    return bool(actor and actor.is_authenticated and actor.has_perm(permission))


def _forget_now_and_after_commit() -> None:
    # Now, so this process reads the new table; after commit, so no other process
    # keeps a table it cached from before the change.
    forget()
    transaction.on_commit(forget)


@transaction.atomic
def save_level(*, actor: User, level: Level) -> Level:
    """Create or update a level and move every wallet to the level its lifetime
    points now reach, in the same transaction: names shown next to members never
    carry a level that no longer fits."""
    adding = level.pk is None
    if not _may(actor, "rewards.add_level" if adding else "rewards.change_level"):
        raise NotAllowed(_("You may not change the levels."))
    level.name = (level.name or "").strip()
    others = Level.objects.exclude(pk=level.pk)
    errors = []
    if not level.name:
        errors.append(_("Please give the level a name."))
    elif others.filter(name=level.name).exists():
        errors.append(
            _("There is already a level named “%(name)s”.") % {"name": level.name}
        )
    if level.threshold is None or level.threshold < 0:
        errors.append(_("The lifetime points are a whole number, 0 or more."))
    elif same := others.filter(threshold=level.threshold).first():
        errors.append(
            _("The level “%(name)s” already starts at %(points)d points.")
            % {"name": same.name, "points": level.threshold}
        )
    if errors:
        raise InvalidInput(" ".join(errors))
    level.save()
    moved = reassign_all()
    _forget_now_and_after_commit()
    log(
        instance=level,
        action="wagtail.create" if adding else "wagtail.edit",
        user=actor,
        content_changed=True,
        data={"wallets_moved": moved},
    )
    return level


@transaction.atomic
def delete_level(*, actor: User, level: Level) -> int:
    """Delete a level; its members move to the level below (or none) in the same
    transaction. Returns how many wallets moved."""
    if not _may(actor, "rewards.delete_level"):
        raise NotAllowed(_("You may not delete levels."))
    locked = Level.objects.select_for_update().filter(pk=level.pk).first()
    if locked is None:
        raise InvalidInput(_("This level was deleted meanwhile."))
    level = locked
    # Logged first, while the level still exists, as Wagtail's own delete does.
    log(instance=level, action="wagtail.delete", user=actor, deleted=True)
    level.delete()
    moved = reassign_all()
    _forget_now_and_after_commit()
    return moved
