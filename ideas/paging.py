"""Numbered pages of an idea list whose cost does not grow with the table.

A page reads ``per_page + 1`` rows at an offset bounded by ``MAX_PAGES``: with an
index on the sort, page 50 reads 1,000 index entries, page 1 twenty. Deeper pages
answer a message inviting to refine the filters (as the search engines and
marketplaces do: nobody reads page 2,000, crawlers do). The total comes from a
count cached for ``COUNT_SECONDS`` under a key made of the count's own SQL, so two
lists share it only when they count the same rows (private campaigns included);
the page's navigation never depends on it (the extra row tells if a next page
exists), only the "about 12,300 ideas" line does.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet

MAX_PAGES = 50
COUNT_SECONDS = 60
#: Up to this many, the total is shown exactly; beyond, rounded ("about").
EXACT_UP_TO = 1000


@dataclass
class ListPage:
    """One page of a list; the template's ``ideas_page``."""

    number: int
    object_list: list = field(default_factory=list)
    has_next: bool = False
    total: int = 0
    per_page: int = 20
    # The page asked for is beyond MAX_PAGES, or past the end of the list.
    too_deep: bool = False
    past_end: bool = False
    # The count stopped at ``total``: more rows match (a search's bound).
    total_is_lower_bound: bool = False

    @property
    def max_pages(self) -> int:
        return MAX_PAGES

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def num_pages(self) -> int:
        """Pages the (cached) total fills, never fewer than those we know exist
        and never more than can be opened."""
        counted = math.ceil(self.total / self.per_page) if self.per_page else 1
        known = self.number + (1 if self.has_next else 0)
        return min(max(counted, known, 1), MAX_PAGES)

    @property
    def is_capped(self) -> bool:
        """More ideas than the pages hold: only filters or search reach them."""
        return self.total_is_lower_bound or self.total > MAX_PAGES * self.per_page

    @property
    def total_is_estimate(self) -> bool:
        return not self.total_is_lower_bound and self.total > EXACT_UP_TO

    @property
    def rounded_total(self) -> int:
        """Three significant figures: 12,345 reads "about 12,300"."""
        if not self.total_is_estimate:
            return self.total
        scale = 10 ** max(len(str(self.total)) - 3, 0)
        return round(self.total / scale) * scale


def cached_count(queryset: QuerySet) -> int:
    """The number of rows ``queryset`` matches, counted at most once per
    ``COUNT_SECONDS`` for the same SQL and parameters. A sliced ``queryset`` (a
    bounded search) counts its slice: at most that many rows are read."""
    counted = queryset if queryset.query.is_sliced else queryset.order_by()
    try:
        sql, params = counted.query.sql_with_params()
    except EmptyResultSet:  # ``.none()``: nothing to count
        return 0
    digest = hashlib.sha256(f"{sql}\x00{params!r}".encode()).hexdigest()[:32]
    total = cache.get_or_set(f"ideas:count:{digest}", counted.count, COUNT_SECONDS)
    return total if isinstance(total, int) else counted.count()


def numbered_page(
    queryset: QuerySet,
    number: int,
    per_page: int,
    *,
    counted: QuerySet | None = None,
    counted_up_to: int | None = None,
) -> ListPage:
    """Page ``number`` (from 1) of an ordered queryset, in two queries at most
    (the rows, and the count when the cache has not got it). ``counted``: the
    same rows without what only orders them (a sort's annotation, a rank).
    ``counted_up_to``: ``counted`` stops one row past it (a search's bound); a
    total above it is shown as "more than" it, and its pages end there."""
    total = cached_count(queryset if counted is None else counted)
    lower_bound = counted_up_to is not None and total > counted_up_to
    if counted_up_to is not None and lower_bound:
        total = counted_up_to
    last = max(math.ceil(total / per_page), 1)
    if number > last and last <= MAX_PAGES:
        # Past the end (an old link, a typed number): the last page, as Django's
        # paginator does.
        number = last
    if number > MAX_PAGES:
        return ListPage(
            number=number,
            total=total,
            per_page=per_page,
            too_deep=True,
            total_is_lower_bound=lower_bound,
        )
    start = (number - 1) * per_page
    end = start + per_page + 1
    if counted_up_to is not None and lower_bound:
        # The pages end at the bound, whatever the sort would show past it.
        end = min(end, counted_up_to)
    rows = list(queryset[start:end])
    page = ListPage(
        number=number,
        object_list=rows[:per_page],
        has_next=len(rows) > per_page and number < MAX_PAGES,
        total=total,
        per_page=per_page,
        total_is_lower_bound=lower_bound,
    )
    # The cached total may be a minute old: fewer rows now than it counted.
    page.past_end = number > 1 and not rows
    return page
