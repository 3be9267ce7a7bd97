"""Badges for milestones: awarded once per member, never taken back."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.cache import cache

from rewards import permissions

CACHE_KEY = "rewards:badges:v1"


def _badge_ids() -> dict[str, int]:
    """Active badges by milestone; cached until a badge changes."""
    table = cache.get(CACHE_KEY)
    if table is None:
        from rewards.models import Badge

        table = dict(
            Badge.objects.filter(is_active=True).values_list("milestone", "pk")
        )
        cache.set(CACHE_KEY, table, timeout=3600)
    return table


def forget() -> None:
    cache.delete(CACHE_KEY)


def grant(member, milestone: str) -> bool:
    """Give the member the milestone's badge unless they have it; True if new."""
    from rewards.models import MemberBadge

    badge_id = _badge_ids().get(milestone)
    if badge_id is None or not permissions.earns_points(member):
        return False
    _award, created = MemberBadge.objects.get_or_create(
        member_id=member.pk, badge_id=badge_id
    )
    return created


def grant_by_id(member_id: int, milestone: str) -> bool:
    if milestone not in _badge_ids():
        return False
    member = get_user_model().objects.filter(pk=member_id).first()
    return grant(member, milestone) if member else False
