"""Levels from lifetime points, read from a cached table (it changes rarely)."""

from __future__ import annotations

import bisect

from django.core.cache import cache

CACHE_KEY = "rewards:levels:v1"


def _table() -> list[tuple[int, int]]:
    """(threshold, level id) pairs, ascending; cached until a level changes."""
    table = cache.get(CACHE_KEY)
    if table is None:
        from rewards.models import Level

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
    from rewards.models import Level

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
    from rewards.models import Level, Wallet

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


def on_levels_changed(**kwargs) -> None:
    from django.db import transaction

    forget()
    transaction.on_commit(reassign_all)
