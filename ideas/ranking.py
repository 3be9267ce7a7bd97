"""How ideas rank: the stored hot score and the sort orders of lists."""

from __future__ import annotations

import datetime
import math

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

HOT_GRAVITY_SECONDS = 45_000
TRENDING_DAYS = 7

SORTS = ("hot", "top", "new", "discussed", "trending")
DEFAULT_SORT = "hot"


def hot_score(supports: int, created_at: datetime.datetime) -> float:
    """log10(max(supports, 1)) + created_epoch / 45000: newer ideas need fewer supports.

    Monotonic in time, so old scores never need a sweep.
    """
    return math.log10(max(supports, 1)) + created_at.timestamp() / HOT_GRAVITY_SECONDS


def order_ideas(queryset: QuerySet, sort: str) -> QuerySet:
    """Apply a named sort; each is served by an index on (status, column, id)."""
    if sort == "top":
        return queryset.order_by("-supports_count", "-id")
    if sort == "new":
        return queryset.order_by("-created_at", "-id")
    if sort == "discussed":
        return queryset.order_by("-comments_count", "-id")
    if sort == "trending":
        since = timezone.now() - datetime.timedelta(days=TRENDING_DAYS)
        return queryset.annotate(
            recent_supports=Count("supports", filter=Q(supports__created_at__gte=since))
        ).order_by("-recent_supports", F("hot_score").desc(), "-id")
    return queryset.order_by("-hot_score", "-id")
