"""Badges for milestones: awarded once per member, never taken back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from rewards import permissions
from rewards.errors import InvalidInput, NotAllowed
from rewards.models import Badge, MemberBadge, Milestone

if TYPE_CHECKING:
    from cocreate.members.types import User

CACHE_KEY = "rewards:badges:v1"


def _badge_ids() -> dict[str, int]:
    """Active badges by milestone; cached until a badge changes."""
    table = cache.get(CACHE_KEY)
    if table is None:
        table = dict(
            Badge.objects.filter(is_active=True).values_list("milestone", "pk")
        )
        cache.set(CACHE_KEY, table, timeout=3600)
    return table


def forget() -> None:
    cache.delete(CACHE_KEY)


@transaction.atomic
def save_badge(*, actor: User, badge: Badge) -> Badge:
    """Create or update a badge; the cached table of active badges is dropped now
    and after commit, so a badge switched off stops being awarded at once. Badges
    already awarded stay: they are never taken back."""
    adding = badge.pk is None
    if not (
        actor
        and actor.is_authenticated
        and actor.has_perm("rewards.add_badge" if adding else "rewards.change_badge")
    ):
        raise NotAllowed(_("You may not change the badges."))
    badge.name = (badge.name or "").strip()
    errors = []
    if not badge.name:
        errors.append(_("Please give the badge a name."))
    if badge.milestone not in Milestone.values:
        errors.append(_("Please choose the milestone the badge is for."))
    elif (
        same := Badge.objects.exclude(pk=badge.pk)
        .filter(milestone=badge.milestone)
        .first()
    ):
        errors.append(
            _("The badge “%(name)s” is already given for this milestone.")
            % {"name": same.name}
        )
    if errors:
        raise InvalidInput(" ".join(errors))
    badge.save()
    forget()
    transaction.on_commit(forget)
    log(
        instance=badge,
        action="wagtail.create" if adding else "wagtail.edit",
        user=actor,
        content_changed=True,
    )
    return badge


def grant(member: User, milestone: str) -> bool:
    """Give the member the milestone's badge unless they have it; True if new."""
    badge_id = _badge_ids().get(milestone)
    if badge_id is None or not permissions.earns_points(member):
        return False
    if _has(member.pk, badge_id):
        return False
    return _award(member.pk, badge_id)


def grant_by_id(member_id: int, milestone: str) -> bool:
    """``grant`` for a member known by id: the member and whether they hold the
    badge in one query."""
    badge_id = _badge_ids().get(milestone)
    if badge_id is None:
        return False
    member = (
        get_user_model()
        .objects.filter(pk=member_id)
        .only("is_active", "is_staff", "is_superuser")
        .annotate(
            has_badge=Exists(
                MemberBadge.objects.filter(member_id=OuterRef("pk"), badge_id=badge_id)
            )
        )
        .first()
    )
    if member is None or member.has_badge or not permissions.earns_points(member):
        return False
    return _award(member_id, badge_id)


def _has(member_id: int, badge_id: int) -> bool:
    return MemberBadge.objects.filter(member_id=member_id, badge_id=badge_id).exists()


def _award(member_id: int, badge_id: int) -> bool:
    # One INSERT, no savepoint (this runs inside every first support): an award
    # made meanwhile by a concurrent transaction is ignored by the unique constraint.
    MemberBadge.objects.bulk_create(
        [MemberBadge(member_id=member_id, badge_id=badge_id)], ignore_conflicts=True
    )
    return True
