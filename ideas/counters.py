"""Rebuild the denormalised counters from the rows they count."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from ideas import trending
from ideas.models import Comment, Follow, Idea, Support
from ideas.ranking import hot_score


def _count(
    model: type[Comment] | type[Follow] | type[Support], **filters: object
) -> Coalesce:
    return Coalesce(
        Subquery(
            model.objects.filter(idea=OuterRef("pk"), **filters)
            .values("idea")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


def recount_idea(idea: Idea) -> Idea:
    """Set one idea's supports, followers, hot score and trending days from its
    rows (a merge moves rows between ideas); the caller holds the idea's lock."""
    idea.supports_count = Support.objects.filter(idea=idea).count()
    idea.followers_count = Follow.objects.filter(idea=idea).count()
    idea.hot_score = hot_score(idea.supports_count, idea.created_at)
    Idea.objects.filter(pk=idea.pk).update(
        supports_count=idea.supports_count,
        followers_count=idea.followers_count,
        hot_score=idea.hot_score,
    )
    trending.recount([idea.pk])
    idea.recent_supports = (
        Idea.objects.filter(pk=idea.pk).values_list("recent_supports", flat=True).get()
    )
    return idea


@transaction.atomic
def recount_ideas(*, batch_size: int = 1000) -> int:
    """Recompute supports, comments, followers, hot score and the trending days
    and sum of every idea.

    Returns how many ideas had a counter that was wrong.
    """
    fixed: set[int] = set()
    rows = (
        Idea.objects.select_for_update()
        .annotate(
            real_supports=_count(Support),
            real_comments=_count(
                Comment, removed_at__isnull=True, moderation="visible"
            ),
            real_followers=_count(Follow),
        )
        .only(
            "pk",
            "created_at",
            "supports_count",
            "comments_count",
            "followers_count",
            "hot_score",
        )
        .order_by("pk")
    )
    to_update = []
    for idea in rows.iterator(chunk_size=batch_size):
        score = hot_score(idea.real_supports, idea.created_at)
        if (
            idea.supports_count != idea.real_supports
            or idea.comments_count != idea.real_comments
            or idea.followers_count != idea.real_followers
            or abs(idea.hot_score - score) > 1e-9
        ):
            fixed.add(idea.pk)
            idea.supports_count = idea.real_supports
            idea.comments_count = idea.real_comments
            idea.followers_count = idea.real_followers
            idea.hot_score = score
            to_update.append(idea)
        if len(to_update) >= batch_size:
            _flush(to_update)
    _flush(to_update)
    fixed |= trending.recount()
    return len(fixed)


def _flush(ideas: list[Idea]) -> None:
    if ideas:
        Idea.objects.bulk_update(
            ideas, ["supports_count", "comments_count", "followers_count", "hot_score"]
        )
        ideas.clear()
