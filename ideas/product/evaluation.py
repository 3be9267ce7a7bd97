"""Reads of the product team's evaluation: ideas with their community signals
(supports, supports in the last days, comments, and what other apps add, such as
the supporters' level) and the sort keys a shortlist offers.

``ideas`` does not know ``rewards`` (DESIGN rule 2): an app adds its own signal by
connecting a receiver to ``ideas.events.register_evaluation_signals`` in its
``AppConfig.ready``; when the app is not installed, the column is simply absent.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import cast

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ideas import events
from ideas.models import Idea, IdeaStatus, Support
from ideas.ranking import TRENDING_DAYS

#: What an app's receiver returns (name, label, annotate).
Signal = events.EvaluationSignal


def registered_signals() -> list[Signal]:
    """The signals that installed apps add, asked each time (an app connected or
    disconnected later, as in tests, is seen at once); a later name replaces an
    earlier one."""
    found: dict[str, Signal] = {}
    for _receiver, response in events.register_evaluation_signals.send(sender=Idea):
        # The stubs type a receiver's answer as a string; these answer a Signal.
        signal = cast("Signal | None", response)
        if signal is not None:
            found[signal.name] = signal
    return list(found.values())


def recent_supports(days: int = TRENDING_DAYS) -> Coalesce:
    """Supports of the idea in the last ``days`` days, as a subquery (no GROUP BY
    on the outer query, so other annotations stay independent)."""
    since = timezone.now() - datetime.timedelta(days=days)
    return Coalesce(
        Subquery(
            Support.objects.filter(idea=OuterRef("pk"), created_at__gte=since)
            .order_by()
            .values("idea")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def with_signals(queryset: QuerySet[Idea]) -> QuerySet[Idea]:
    """Ideas with ``supports_recent`` and every registered signal, author joined."""
    queryset = queryset.select_related("author").annotate(
        supports_recent=recent_supports()
    )
    for signal in registered_signals():
        queryset = signal.annotate(queryset)
    return queryset


@dataclass(frozen=True)
class SortKey:
    key: str
    label: str | Promise
    #: The expression ideas are ordered by; the highest first except for text.
    field: str
    descending: bool = True


def sort_keys() -> dict[str, SortKey]:
    """The columns a shortlist sorts by, plus the registered signals."""
    keys = [
        SortKey("title", _("Title"), "title", descending=False),
        SortKey("status", _("Status"), "status", descending=False),
        SortKey("score", _("Score"), "score"),
        SortKey("scorers", _("Scorers"), "scorers_count"),
        SortKey("supports", _("Supports"), "supports_count"),
        SortKey(
            "supports_recent",
            _("Supports in the last %(days)d days") % {"days": TRENDING_DAYS},
            "supports_recent",
        ),
        SortKey("comments", _("Comments"), "comments_count"),
    ]
    keys += [SortKey(s.name, s.label, s.name) for s in registered_signals()]
    return {key.key: key for key in keys}


def order_by_key(
    queryset: QuerySet[Idea], key: str, *, then: str = "pk", reverse: bool = False
) -> QuerySet[Idea]:
    """Order annotated ideas by a sort key, in its natural direction or ``reverse``
    (unknown keys order by ``then``); missing values (no score yet) come last
    either way, ties by ``then``."""
    sort = sort_keys().get(key)
    if sort is None:
        return queryset.order_by(then)
    field: Case | F
    if sort.key == "status":  # along the lifecycle, not alphabetically
        field = Case(
            *(
                When(status=status, then=Value(rank))
                for rank, status in enumerate(IdeaStatus.values)
            ),
            output_field=IntegerField(),
        )
    else:
        field = F(sort.field)
    expression = (
        field.desc(nulls_last=True)
        if sort.descending != reverse
        else field.asc(nulls_last=True)
    )
    return queryset.order_by(expression, then, "pk")
