"""Trending, stored: supports per idea and day, and their sum over the window.

The trending sort orders by ``Idea.recent_supports``, which always equals the sum
of the idea's ``DailySupports`` rows. A support adds one to today's row and to
the sum, a withdrawal takes one from the row of the day the support was made (if
that row is still kept) and from the sum, both in the support's transaction and
under the idea's row lock. ``refresh`` (``manage.py refresh_trending``, hourly)
subtracts and deletes the rows of days that left the window. Days are UTC dates:
the window is today and the ``TRENDING_DAYS - 1`` days before it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from ideas.models import DailySupports, Idea, Support
from ideas.ranking import TRENDING_DAYS


def today() -> datetime.date:
    return timezone.now().astimezone(datetime.UTC).date()


def support_day(created_at: datetime.datetime) -> datetime.date:
    """The day a support counts for: its UTC date."""
    return created_at.astimezone(datetime.UTC).date()


def window_start(day: datetime.date | None = None) -> datetime.date:
    """The first day the window counts, ``day`` (today) being its last."""
    return (day or today()) - datetime.timedelta(days=TRENDING_DAYS - 1)


def count_support(idea_id: int, day: datetime.date) -> None:
    """One more support on ``day``: an upsert, so two first supports of a day
    never both insert; the caller moves ``recent_supports`` with the counter."""
    table = connection.ops.quote_name(DailySupports._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (idea_id, day, supports) VALUES (%s, %s, 1) "  # noqa: S608 - our table name
            f"ON CONFLICT (idea_id, day) DO UPDATE SET supports = {table}.supports + 1",
            [idea_id, connection.ops.adapt_datefield_value(day)],
        )


def uncount_support(idea_id: int, day: datetime.date) -> bool:
    """One support of ``day`` fewer; False when that day is no longer kept (it
    left the window, so ``recent_supports`` no longer counts it)."""
    return bool(
        DailySupports.objects.filter(idea_id=idea_id, day=day, supports__gt=0).update(
            supports=F("supports") - 1
        )
    )


def refresh(*, day: datetime.date | None = None, batch_size: int = 500) -> int:
    """Subtract the days that left the window from ``recent_supports`` and delete
    them; returns how many ideas changed.

    Idempotent and resumable: each batch of ideas is its own transaction, and a
    subtracted day is deleted in it, so a second run finds nothing. Ideas are
    locked before their rows are read, in the order supports lock them (idea,
    then its day), so a concurrent withdrawal is either seen or sees the row gone.
    """
    start = window_start(day)
    changed = 0
    while True:
        with transaction.atomic():
            idea_ids = list(
                DailySupports.objects.filter(day__lt=start)
                .order_by("idea_id")
                .values_list("idea_id", flat=True)
                .distinct()[:batch_size]
            )
            if not idea_ids:
                return changed
            list(
                Idea.objects.select_for_update()
                .filter(pk__in=idea_ids)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            expired = DailySupports.objects.filter(idea_id__in=idea_ids, day__lt=start)
            leaving = (
                expired.filter(idea_id=OuterRef("pk"))
                .values("idea_id")
                .annotate(total=Sum("supports"))
                .values("total")[:1]
            )
            changed += Idea.objects.filter(pk__in=idea_ids).update(
                recent_supports=Greatest(
                    F("recent_supports") - Coalesce(Subquery(leaving), 0), 0
                )
            )
            expired.delete()


def supports_by_day(
    idea_ids: list[int] | None = None, *, day: datetime.date | None = None
) -> dict[tuple[int, datetime.date], int]:
    """What the rows of the window should hold, counted from the supports."""
    start = window_start(day)
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=datetime.UTC)
    supports = Support.objects.filter(created_at__gte=since)
    if idea_ids is not None:
        supports = supports.filter(idea_id__in=idea_ids)
    return {
        (row["idea_id"], row["on"]): row["n"]
        for row in supports.annotate(on=TruncDate("created_at", tzinfo=datetime.UTC))
        .values("idea_id", "on")
        .annotate(n=Count("pk"))
        .order_by()
    }


def recount(idea_ids: list[int] | None = None) -> set[int]:
    """Rebuild the window's rows and sums from the supports: of every idea (the
    audit), or of those given, whose locks the caller holds (a merge moves
    supports between ideas with their dates). Returns the ideas that were wrong.
    """
    if idea_ids is None:
        refresh()  # days that left the window are not an error, only late
    real = supports_by_day(idea_ids)
    kept = DailySupports.objects.all()
    ideas = Idea.objects.all()
    if idea_ids is not None:
        kept = kept.filter(idea_id__in=idea_ids)
        ideas = ideas.filter(pk__in=idea_ids)
    stored = {(r.idea_id, r.day): r.supports for r in kept}
    wrong = {
        idea
        for (idea, day) in real.keys() | stored.keys()
        if real.get((idea, day)) != stored.get((idea, day))
    }
    sums: dict[int, int] = {}
    for (idea, _day), n in real.items():
        sums[idea] = sums.get(idea, 0) + n
    recent = dict(
        ideas.filter(recent_supports__gt=0).values_list("pk", "recent_supports")
    )
    wrong |= {
        pk for pk in recent.keys() | sums.keys() if recent.get(pk, 0) != sums.get(pk, 0)
    }
    ordered = sorted(wrong)
    for chunk in _chunks(ordered):
        DailySupports.objects.filter(idea_id__in=chunk).delete()
    DailySupports.objects.bulk_create(
        (
            DailySupports(idea_id=idea, day=day, supports=n)
            for (idea, day), n in real.items()
            if idea in wrong
        ),
        batch_size=500,
    )
    Idea.objects.bulk_update(
        [Idea(pk=pk, recent_supports=sums.get(pk, 0)) for pk in ordered],
        ["recent_supports"],
        batch_size=500,
    )
    return wrong


def _chunks(items: list[int], size: int = 500) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
