"""How ideas rank: the stored hot score and the sort orders of lists."""

from __future__ import annotations

import datetime
import math

from django.db.models import QuerySet

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
    """Apply a named sort; each reads stored columns only, and a partial index
    over public ideas (``Idea.Meta.indexes``) serves it."""
    if sort == "top":
        return queryset.order_by("-supports_count", "-id")
    if sort == "new":
        return queryset.order_by("-created_at", "-id")
    if sort == "discussed":
        return queryset.order_by("-comments_count", "-id")
    if sort == "trending":
        # Supports of the last TRENDING_DAYS days, kept by ``ideas.trending``.
        return queryset.order_by("-recent_supports", "-hot_score", "-id")
    return queryset.order_by("-hot_score", "-id")
