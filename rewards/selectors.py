"""Reads that the rewards pages share; each runs a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import (
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model

from cocreate.page_translations import (
    active_language,
    default_language,
    in_default_language,
    with_translated_text,
)
from rewards.models import (
    EARNING_KINDS,
    Entry,
    Level,
    MemberBadge,
    Redemption,
    Reward,
    RewardKind,
    RewardSettings,
    Wallet,
)

if TYPE_CHECKING:
    from cocreate.members.types import User

#: Catalogue and reward pages show images at this size.
REWARD_RENDITION = "fill-400x250"
ENTRIES_PER_PAGE = 25
REDEMPTIONS_SHOWN = 50

LEADERBOARD_SIZE = 50
LEADERBOARD_TIMEOUT = 5 * 60
CAMPAIGNS_KEY = "rewards:leaderboard:campaigns:v2"

PERIODS = {
    "week": _("This week"),
    "month": _("This month"),
    "all": _("All time"),
}
DEFAULT_PERIOD = "week"


# Catalogue ---------------------------------------------------------------------


def available_rewards(now: datetime.datetime | None = None) -> QuerySet[Reward]:
    """Rewards shown in the catalogue (``Reward.is_available`` as a query), with
    their images' renditions prefetched: two queries whatever the size."""
    now = now or timezone.now()
    return (
        Reward.objects.filter(is_active=True)
        .filter(Q(available_from__isnull=True) | Q(available_from__lte=now))
        .filter(Q(available_until__isnull=True) | Q(available_until__gte=now))
        .prefetch_related(
            Prefetch(
                "image",
                queryset=get_image_model().objects.prefetch_renditions(
                    REWARD_RENDITION
                ),
            )
        )
    )


def reward_for_page(pk: int) -> Reward:
    """A reward still in the catalogue; raises Reward.DoesNotExist otherwise."""
    return (
        Reward.objects.filter(is_active=True)
        .prefetch_related(
            Prefetch(
                "image",
                queryset=get_image_model().objects.prefetch_renditions(
                    REWARD_RENDITION
                ),
            )
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class MoneyTerms:
    """How a money reward converts points: at least ``minimum``, ``rate`` points a
    currency unit."""

    minimum: int
    rate: int
    currency: str

    def cents_for(self, points: int) -> int:
        return points * 100 // self.rate


def money_terms(reward: Reward) -> MoneyTerms | None:
    if reward.kind != RewardKind.MONEY:
        return None
    config = RewardSettings.load()
    return MoneyTerms(
        minimum=max(reward.cost, config.money_minimum_points),
        rate=config.points_per_currency_unit,
        currency=config.currency,
    )


# Wallet ------------------------------------------------------------------------


def ledger_page(wallet: Wallet, page_number: int | str | None) -> Page:
    """The wallet's entries, newest first, one page at a time."""
    if wallet.pk is None:
        entries = Entry.objects.none()
    else:
        entries = (
            Entry.objects.filter(wallet=wallet)
            .select_related("redemption__reward")
            .order_by("-created_at", "-id")
        )
    return Paginator(entries, ENTRIES_PER_PAGE).get_page(page_number)


def member_redemptions(member: User) -> list[Redemption]:
    """The member's latest requests, each with its reward and voucher code."""
    return list(
        Redemption.objects.filter(member=member)
        .select_related("reward", "voucher")
        .order_by("-created_at", "-id")[:REDEMPTIONS_SHOWN]
    )


def member_badges(member: User) -> list[MemberBadge]:
    return list(
        MemberBadge.objects.filter(member=member, badge__is_active=True)
        .select_related("badge")
        .order_by("awarded_at", "id")
    )


# Leaderboards ------------------------------------------------------------------


@dataclass
class Standing:
    rank: int
    member: object  # the member, with ``wallet__level`` loaded
    points: int


def period_start(
    period: str, now: datetime.datetime | None = None
) -> datetime.datetime | None:
    """When a board's period began, in local time; None for all time."""
    today = timezone.localtime(now).date()
    if period == "week":
        first = today - datetime.timedelta(days=today.weekday())
    elif period == "month":
        first = today.replace(day=1)
    else:
        return None
    return timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))


def live_campaigns() -> list[tuple[int, str]]:
    """(id, title) of live, public campaigns, for the per-campaign boards, titled
    in the active language (one cache entry holds every language's list, so one
    delete forgets them all).

    A model lookup rather than an import: rewards knows ideas only by its events.
    """
    language = active_language() or default_language()
    by_language = cache.get(CAMPAIGNS_KEY)
    if not isinstance(by_language, dict):
        by_language = {}
    choices = by_language.get(language)
    if choices is None:
        campaign_model = apps.get_model("ideas", "CampaignPage")
        campaigns = with_translated_text(
            list(
                in_default_language(campaign_model.objects.live().public())
                .order_by("-starts_on", "title")
                .only("pk", "title", "translation_key")
            )
        )
        choices = [(campaign.pk, campaign.title) for campaign in campaigns]
        by_language[language] = choices
        cache.set(CAMPAIGNS_KEY, by_language, timeout=LEADERBOARD_TIMEOUT)
    return choices


def forget_campaigns(**kwargs: object) -> None:
    """Receiver of ``campaign_access_changed``: a campaign opened, closed or
    changed; the list of boards is read afresh."""
    cache.delete(CAMPAIGNS_KEY)


def board_key(
    period: str, campaign_id: int | None, start: datetime.datetime | None
) -> str:
    """The cache key of one board; it changes when a new period begins."""
    since = start.isoformat() if start else "ever"
    return f"rewards:leaderboard:v1:{period}:{campaign_id or 'all'}:{since}"


def leaderboard(
    *,
    period: str = DEFAULT_PERIOD,
    campaign_id: int | None = None,
    now: datetime.datetime | None = None,
) -> list[Standing]:
    """The top earners of a period (and campaign): points earned minus points
    reversed, customers only, positive totals, ties to whoever got there first.

    Two queries, cached for five minutes; the key carries the period's start, so
    a new week starts a new board.
    """
    if period not in PERIODS:
        period = DEFAULT_PERIOD
    start = period_start(period, now)
    key = board_key(period, campaign_id, start)
    board = cache.get(key)
    if board is None:
        board = _compute_board(start, campaign_id)
        cache.set(key, board, timeout=LEADERBOARD_TIMEOUT)
    return board


def _compute_board(
    start: datetime.datetime | None, campaign_id: int | None
) -> list[Standing]:
    entries = Entry.objects.filter(
        kind__in=EARNING_KINDS,
        wallet__member__is_active=True,
        wallet__member__is_staff=False,
        wallet__member__is_superuser=False,
    )
    if start is not None:
        entries = entries.filter(created_at__gte=start)
    if campaign_id is not None:
        entries = entries.filter(campaign_id=campaign_id)
    totals = list(
        entries.values("wallet__member_id")
        .annotate(points=Sum("amount"), reached=Max("created_at"))
        .filter(points__gt=0)
        .order_by("-points", "reached", "wallet__member_id")
        .values_list("wallet__member_id", "points")[:LEADERBOARD_SIZE]
    )
    members = (
        get_user_model()
        .objects.select_related("wallet__level")
        .in_bulk([member_id for member_id, _points in totals])
    )
    return [
        Standing(rank=rank, member=members[member_id], points=points)
        for rank, (member_id, points) in enumerate(totals, start=1)
        if member_id in members
    ]


# Community signals for the product team ----------------------------------------


def level_number() -> Subquery:
    """A wallet's level as a number, 1 for the lowest threshold (a subquery over
    the levels, so renumbering follows any edit of the table)."""
    return Subquery(
        Level.objects.filter(threshold__lte=OuterRef("level__threshold"))
        .order_by()
        .values(n=Func(F("pk"), function="COUNT")),
        output_field=IntegerField(),
    )


def annotate_supporters_level(queryset: QuerySet) -> QuerySet:
    """Add ``supporters_level`` to a queryset of ideas: the mean level number of
    the members who support each idea (those without a level yet left out; None
    when nobody has one). One SQL subquery over their wallets; ideas are reached
    through the ORM path ``member__supports__idea`` only, never imported."""
    supporters = (
        Wallet.objects.filter(
            member__supports__idea=OuterRef("pk"), level__isnull=False
        )
        .order_by()
        .annotate(number=level_number())
        .values(mean=Func(F("number"), function="AVG", output_field=FloatField()))
    )
    return queryset.annotate(
        supporters_level=Subquery(supporters, output_field=FloatField())
    )
