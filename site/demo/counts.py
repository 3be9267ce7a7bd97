"""The counters of the ideas the seed wrote, set from their rows in a few
set-based statements (not ``recount_ideas()``, which walks every idea of the
site and writes them back in batches): what ``recount_ideas()`` and
``manage.py refresh_trending`` would leave, for the ideas given only."""

from __future__ import annotations

import datetime

from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate

from cocreate.demo.bulk import write_rows
from ideas import trending
from ideas.models import Comment, DailySupports, Follow, Idea, Support
from ideas.ranking import hot_score

#: Ideas whose hot score is written in one statement.
SCORES_PER_QUERY = 500


def _count(model, **filters: object) -> Coalesce:
    return Coalesce(
        Subquery(
            model.objects.filter(idea=OuterRef("pk"), **filters)
            .order_by()
            .values("idea")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def count_ideas(first: int, last: int) -> None:
    """Supports, comments, followers, hot score and trending days of the ideas
    with ids from ``first`` to ``last``, which the seed just wrote (none of them
    has a DailySupports row yet), last edited when they were posted."""
    ideas = Idea.objects.filter(pk__gte=first, pk__lte=last)
    ideas.update(
        updated_at=F("created_at"),
        supports_count=_count(Support),
        comments_count=_count(Comment, removed_at__isnull=True, moderation="visible"),
        followers_count=_count(Follow),
    )
    _hot_scores(ideas)
    _trending(ideas, first, last)


def _hot_scores(ideas) -> None:
    """The hot score is computed in Python (``ideas.ranking.hot_score``), so it is
    exactly what ``recount_ideas()`` computes: one UPDATE per slice of ideas,
    the scores in a CASE."""
    rows = ideas.order_by("pk").values_list("pk", "supports_count", "created_at")
    batch: list[tuple[int, float]] = []

    def flush() -> None:
        if batch:
            Idea.objects.filter(pk__gte=batch[0][0], pk__lte=batch[-1][0]).update(
                hot_score=Case(
                    *(When(pk=pk, then=Value(score)) for pk, score in batch),
                    output_field=FloatField(),
                )
            )
            batch.clear()

    for pk, supports, created_at in rows.iterator(chunk_size=5000):
        batch.append((pk, hot_score(supports, created_at)))
        if len(batch) >= SCORES_PER_QUERY:
            flush()
    flush()


def _trending(ideas, first: int, last: int) -> None:
    """The window's rows, counted from the supports as ``trending.recount``
    counts them, and each idea's sum."""
    start = trending.window_start()
    supports = Support.objects.filter(idea_id__gte=first, idea_id__lte=last)
    write_rows(
        DailySupports,
        ("idea", "day", "supports"),
        (
            (idea, day, n)
            for (idea, day), n in _supports_by_day(supports, start).items()
        ),
    )
    ideas.update(
        recent_supports=Coalesce(
            Subquery(
                DailySupports.objects.filter(idea=OuterRef("pk"))
                .order_by()
                .values("idea")
                .annotate(total=Sum("supports"))
                .values("total")[:1],
                output_field=IntegerField(),
            ),
            0,
        )
    )


def _supports_by_day(supports, start: datetime.date) -> dict:
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=datetime.UTC)
    return {
        (row["idea_id"], row["on"]): row["n"]
        for row in supports.filter(created_at__gte=since)
        .annotate(on=TruncDate("created_at", tzinfo=datetime.UTC))
        .values("idea_id", "on")
        .annotate(n=Count("pk"))
        .order_by()
    }
