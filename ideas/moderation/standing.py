"""How much a member's report weighs toward hiding content before a moderator looks.

Reports always bring an item to the moderation queue; only their weight decides
whether it is also hidden meanwhile. So a burst of new accounts cannot hide the
community's best ideas, while a few members the moderators have learnt to trust
still take spam down at once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q

#: Report outcomes that proved a reporter right, and those that did not.
UPHELD = ("hidden",)
DISMISSED = ("kept", "restored")


@dataclass(frozen=True)
class Standing:
    """What the site knows of a reporter: when they joined, whether their email is
    confirmed, and how moderators resolved their past reports."""

    joined: datetime.datetime
    verified: bool
    upheld: int = 0
    dismissed: int = 0


def report_weight(
    standing: Standing, *, at: datetime.datetime, min_account_days: int
) -> float:
    """The weight of one report toward hiding: 0 to just under 2.

    An account younger than ``min_account_days`` or without a confirmed email
    weighs 0: its report reaches the queue but hides nothing. Otherwise the weight
    is twice the share of the member's past reports that moderators upheld
    (resolved by hiding), counting one upheld and one dismissed in advance: 1 with
    no record, towards 2 for a reliable reporter, towards 0 for one whose reports
    are kept or restored.
    """
    if not standing.verified:
        return 0.0
    if standing.joined > at - datetime.timedelta(days=min_account_days):
        return 0.0
    return 2 * (standing.upheld + 1) / (standing.upheld + standing.dismissed + 2)


def related_groups(
    joined: dict[int, datetime.datetime], *, window: datetime.timedelta
) -> list[list[int]]:
    """Reporters whose accounts were created within ``window`` of each other
    (directly or along a chain of such reporters), in groups, oldest first: a batch
    of accounts made together speaks with one voice."""
    groups: list[list[int]] = []
    last: datetime.datetime | None = None
    for member_id, at in sorted(joined.items(), key=lambda pair: (pair[1], pair[0])):
        if last is None or at - last > window:
            groups.append([])
        groups[-1].append(member_id)
        last = at
    return groups


def summed_weight(
    standings: dict[int, Standing],
    *,
    at: datetime.datetime,
    min_account_days: int,
    related_minutes: int,
) -> float:
    """The weight of an item's open reports: each group of related reporters
    counts once, as its heaviest member."""
    groups = related_groups(
        {pk: standing.joined for pk, standing in standings.items()},
        window=datetime.timedelta(minutes=related_minutes),
    )
    return sum(
        max(
            report_weight(standings[pk], at=at, min_account_days=min_account_days)
            for pk in group
        )
        for group in groups
    )


def standings(member_ids: Iterable[int]) -> dict[int, Standing]:
    """The standing of each member, in one query."""
    rows = (
        get_user_model()
        .objects.filter(pk__in=set(member_ids))
        .annotate(
            verified=Exists(
                EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
            ),
            upheld=Count("reports_made", filter=Q(reports_made__resolution__in=UPHELD)),
            dismissed=Count(
                "reports_made", filter=Q(reports_made__resolution__in=DISMISSED)
            ),
        )
        .values_list("pk", "date_joined", "verified", "upheld", "dismissed")
    )
    return {
        pk: Standing(
            joined=joined, verified=verified, upheld=upheld, dismissed=dismissed
        )
        for pk, joined, verified, upheld, dismissed in rows
    }
