"""Who an event concerns, read through the member model's relations, so
notifications name no model of the idea domain (only its events and statuses)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from cocreate.members.roles import MODERATORS, PRODUCT_TEAM
from ideas.events import only_those_who_may_see


def idea_audience(idea_id: int) -> QuerySet:
    """Member ids of an idea's author, supporters and followers (a queryset), of
    those who may still see it (a private campaign's idea: those it admits)."""
    User = get_user_model()  # noqa: N806
    audience = User.objects.filter(
        Q(ideas__pk=idea_id)
        | Q(pk__in=User.objects.filter(supports__idea_id=idea_id).values("pk"))
        | Q(pk__in=User.objects.filter(follows__idea_id=idea_id).values("pk"))
    )
    return (
        only_those_who_may_see(idea_id, audience)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def brand_team() -> list[int]:
    """Active moderators and product team members."""
    return list(
        get_user_model()
        .objects.filter(groups__name__in=[MODERATORS, PRODUCT_TEAM], is_active=True)
        .values_list("pk", flat=True)
        .distinct()
    )


def who_may_see(idea_id: int, member_ids: list[int]) -> list[int]:
    """Those of ``member_ids`` who may see the idea (in their order)."""
    if not member_ids:
        return []
    allowed = set(
        only_those_who_may_see(
            idea_id, get_user_model().objects.filter(pk__in=member_ids)
        ).values_list("pk", flat=True)
    )
    return [pk for pk in member_ids if pk in allowed]
