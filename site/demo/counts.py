"""The counters of the ideas the seed wrote, set from their rows in a few
set-based statements (not ``recount_ideas()``, which walks every idea of the
site and writes them back in batches): what ``recount_ideas()`` and
``manage.py refresh_trending`` would leave, for the ideas given only."""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncDate

from cocreate.demo.bulk import write_rows
from ideas import trending
from ideas.models import Comment, DailySupports, Follow, Idea, Support
from ideas.ranking import hot_score

#: Ideas whose hot score is written in one statement (two parameters each:
#: SQLite allows 999 on old builds).
SCORES_PER_QUERY = 400


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
    the scores in a CASE, written as SQL (Django's ``Case(When(…))`` of
    100,000 ideas took longer to compile than to run)."""
    rows = ideas.order_by("pk").values_list("pk", "supports_count", "created_at")
    batch: list[tuple[int, float]] = []
    quote = connection.ops.quote_name
    table, column = quote(Idea._meta.db_table), quote(Idea._meta.pk.column)
    score = quote(Idea._meta.get_field("hot_score").column)

    def flush() -> None:
        if batch:
            cases = " ".join("WHEN %s THEN %s" for _row in batch)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET {score} = CASE {column} {cases} END "  # noqa: S608 - our names
                    f"WHERE {column} BETWEEN %s AND %s",
                    [value for row in batch for value in row]
                    + [batch[0][0], batch[-1][0]],
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
