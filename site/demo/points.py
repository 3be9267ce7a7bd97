"""The points the seeded history earned, with the levels and badges they reach.

The seed sends no domain events, so this walks its past in time order and asks
``rewards.rules`` what each idea, status, support and comment paid, with the same
exclusions and daily caps as the receivers (the ledger's entries of those days
count), then posts it all through ``ledger.post`` dated when it happened. Keys
already in the ledger are skipped, so a second run adds nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cocreate.demo.context import Demo
from ideas.models import (
    PUBLIC_STATUSES,
    CampaignPage,
    Comment,
    Idea,
    IdeaStatus,
    Support,
)
from rewards import ledger, permissions, rules
from rewards.models import (
    Badge,
    CampaignMultiplier,
    EarningRule,
    Entry,
    EntryKind,
    MemberBadge,
    RewardSettings,
)

# Steps of the lifecycle an idea passed to reach its status, and how many days
# after its campaign closed the product team took each.
LIFECYCLE = (
    (IdeaStatus.SHORTLISTED, 3),
    (IdeaStatus.IN_RND, 8),
    (IdeaStatus.SHIPPED, 12),
)
#: Keys looked up per query (SQLite allows 999 parameters on old builds).
KEYS_PER_QUERY = 900


class PastIdea(NamedTuple):
    """An idea of the past: ``published_at`` None if it never became public;
    ``steps`` the statuses it reached after, with when (review only when its
    campaign's support threshold took it there)."""

    facts: rules.IdeaFacts
    published_at: datetime.datetime | None
    steps: tuple[tuple[str, datetime.datetime], ...] = ()


class PastAction(NamedTuple):
    """A support or a comment of the past, by ``member_id`` on ``idea_id``."""

    id: int
    idea_id: int
    member_id: int
    created_at: datetime.datetime


@dataclass
class Paid:
    entries: int = 0
    points: int = 0
    badges: int = 0
    wallets: int = 0


def import_points_history(demo: Demo) -> Paid:
    """The points, levels and badges the community's past would have earned."""
    supports = [
        PastAction._make(row)
        for row in Support.objects.values_list(
            "pk", "idea_id", "member_id", "created_at"
        ).iterator(chunk_size=5000)
    ]
    comments = [
        PastAction._make(row)
        for row in Comment.objects.filter(removed_at__isnull=True)
        .values_list("pk", "idea_id", "author_id", "created_at")
        .iterator(chunk_size=5000)
    ]
    by_idea: dict[int, list[datetime.datetime]] = {}
    for support in supports:
        by_idea.setdefault(support.idea_id, []).append(support.created_at)
    pages = {page.pk: page for page in CampaignPage.objects.all()}
    ideas = []
    for (
        pk,
        author_id,
        campaign_id,
        title,
        status,
        created_at,
    ) in Idea.objects.values_list(
        "pk", "author_id", "campaign_id", "title", "status", "created_at"
    ).iterator(chunk_size=5000):
        facts = rules.IdeaFacts(pk, author_id, campaign_id, title)
        if status not in PUBLIC_STATUSES:
            ideas.append(PastIdea(facts, None))
            continue
        campaign = pages.get(campaign_id)
        steps = status_steps(
            demo, status, created_at, campaign, sorted(by_idea.get(pk, ()))
        )
        ideas.append(PastIdea(facts, created_at, steps))
    return pay_history(ideas=ideas, supports=supports, comments=comments)


def status_steps(
    demo: Demo,
    status: str,
    published_at: datetime.datetime,
    campaign: CampaignPage | None,
    supported_at: list[datetime.datetime],
) -> tuple[tuple[str, datetime.datetime], ...]:
    """The steps an idea in this status went through, and when: its review
    when its campaign's threshold was reached, then the product team's calls.
    """
    steps = []
    threshold = campaign.support_threshold if campaign else None
    if (
        status in (IdeaStatus.UNDER_REVIEW, *(step for step, _days in LIFECYCLE))
        and threshold
        and len(supported_at) >= threshold
    ):
        steps.append((IdeaStatus.UNDER_REVIEW, supported_at[threshold - 1]))
    reached = [step for step, _days in LIFECYCLE]
    if status in reached:
        closed = published_at
        if (
            campaign is not None
            and campaign.ends_on
            and (campaign.ends_on < demo.today)
        ):
            closed = datetime.datetime.combine(
                campaign.ends_on, datetime.time(18), tzinfo=datetime.UTC
            )
        latest = demo.now - datetime.timedelta(hours=1)
        for step, days in LIFECYCLE[: reached.index(status) + 1]:
            when = max(closed + datetime.timedelta(days=days), published_at)
            steps.append((step, min(when, latest)))
    return tuple(steps)


@dataclass
class _Members:
    """What the rules' guards need to know of the members, in three queries."""

    earners: set[int]
    joined: dict[int, datetime.datetime]
    verified: set[int]
    min_account_days: int

    @classmethod
    def load(cls, member_ids: set[int]) -> _Members:
        members = list(
            get_user_model()
            .objects.filter(pk__in=member_ids)
            .only("pk", "is_active", "is_staff", "is_superuser", "date_joined")
        )
        return cls(
            earners={m.pk for m in members if permissions.earns_points(m)},
            joined={m.pk: m.date_joined for m in members},
            verified=set(
                EmailAddress.objects.filter(
                    user_id__in=member_ids, verified=True
                ).values_list("user_id", flat=True)
            ),
            min_account_days=RewardSettings.load().supporter_min_account_days,
        )

    def support_pays(self, member_id: int, at: datetime.datetime) -> bool:
        """The receivers' guard, as it stood when the member supported."""
        return member_id in self.joined and rules.supporter_pays(
            joined=self.joined[member_id],
            verified=member_id in self.verified,
            min_account_days=self.min_account_days,
            at=at,
        )


def _earned(
    ideas: dict[int, PastIdea],
    supports: list[PastAction],
    comments: list[PastAction],
    members: _Members,
) -> list[rules.Earned]:
    """What the rules say each past fact earned, in time order."""
    earned: list[tuple[datetime.datetime, rules.Earned]] = []
    published: dict[int, int] = defaultdict(int)
    for idea in sorted(
        (idea for idea in ideas.values() if idea.published_at is not None),
        key=lambda idea: (idea.published_at, idea.facts.id),
    ):
        author_id = idea.facts.author_id
        published[author_id] += 1
        at = idea.published_at
        tenth = published[author_id] == rules.TEN_IDEAS
        earned.append((at, rules.idea_published(idea.facts, at=at, tenth=tenth)))
        for status, when in idea.steps:
            earned.append(
                (
                    when,
                    rules.status_reached(
                        idea.facts, status, threshold_reached=True, at=when
                    ),
                )
            )
    supported: set[int] = set()
    given: dict[int, int] = defaultdict(int)
    for support in supports:
        given[support.member_id] += 1
        earned.append(
            (
                support.created_at,
                rules.idea_supported(
                    ideas[support.idea_id].facts,
                    support_id=support.id,
                    supporter_id=support.member_id,
                    pays=members.support_pays(support.member_id, support.created_at),
                    first_support=support.idea_id not in supported,
                    hundredth=given[support.member_id] == rules.HUNDRED_SUPPORTS,
                    at=support.created_at,
                ),
            )
        )
        supported.add(support.idea_id)
    for comment in comments:
        earned.append(
            (
                comment.created_at,
                rules.comment_posted(
                    ideas[comment.idea_id].facts,
                    comment_id=comment.id,
                    member_id=comment.member_id,
                    at=comment.created_at,
                ),
            )
        )
    earned.sort(key=lambda pair: pair[0])  # stable: ties keep the order above
    return [item for _at, item in earned]


@transaction.atomic
def pay_history(
    *,
    ideas: Iterable[PastIdea],
    supports: Iterable[PastAction] = (),
    comments: Iterable[PastAction] = (),
) -> Paid:
    """Pay what the earning rules say the past earned and grant the badges it
    reached, all dated when it happened. Supports and comments on ideas not given
    (or never published) are ignored; keys in the ledger are skipped and the
    points they paid count toward that day's caps, so paying twice adds nothing.
    """
    ideas = {idea.facts.id: idea for idea in ideas}
    public = {pk for pk, idea in ideas.items() if idea.published_at is not None}
    supports = sorted(
        (s for s in supports if s.idea_id in public), key=lambda s: (s.created_at, s.id)
    )
    comments = sorted(
        (c for c in comments if c.idea_id in public), key=lambda c: (c.created_at, c.id)
    )
    members = _Members.load(
        {idea.facts.author_id for idea in ideas.values()}
        | {action.member_id for action in (*supports, *comments)}
    )
    earned = _earned(ideas, supports, comments, members)
    active = {
        rule.trigger: rule
        for rule in EarningRule.objects.filter(is_active=True, points__gt=0)
    }
    awards = [award for item in earned for award in item.awards]
    awards = rules.payable(
        awards,
        rules=active,
        earners=members.earners,
        paid=_paid_keys([award.key for award in awards if award.trigger in active]),
    )
    postings = rules.priced(
        awards,
        rules=active,
        multipliers=_multipliers(awards),
        earned=_earned_on_those_days(awards, active),
    )
    paid = Paid()
    if postings:
        wallets = ledger.lock_wallets(posting.member_id for posting in postings)
        ledger.post(wallets, postings)
        paid.entries = len(postings)
        paid.points = sum(posting.amount for posting in postings)
        paid.wallets = len(wallets)
    paid.badges = _grant_badges(
        [reached for item in earned for reached in item.milestones],
        earners=members.earners,
    )
    return paid


def _paid_keys(keys: list[str]) -> set[str]:
    paid: set[str] = set()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        paid.update(
            Entry.objects.filter(
                key__in=keys[start : start + KEYS_PER_QUERY]
            ).values_list("key", flat=True)
        )
    return paid


def _multipliers(awards: list[rules.Award]) -> dict:
    campaign_ids = {award.campaign_id for award in awards if award.campaign_id}
    return dict(
        CampaignMultiplier.objects.filter(campaign_id__in=campaign_ids).values_list(
            "campaign_id", "multiplier"
        )
    )


def _earned_on_those_days(awards: list[rules.Award], active: dict) -> dict:
    """What the ledger already holds toward each (member, capped rule, day)."""
    earned: dict[tuple[int, int, datetime.date], int] = defaultdict(int)
    if not awards:
        return earned
    capped = [rule.pk for rule in active.values() if rule.daily_cap is not None]
    start = timezone.localtime(min(award.at for award in awards)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    for member_id, rule_id, amount, when in Entry.objects.filter(
        kind=EntryKind.EARN, rule_id__in=capped, created_at__gte=start
    ).values_list("wallet__member_id", "rule_id", "amount", "created_at"):
        earned[(member_id, rule_id, rules.day_of(when))] += amount
    return earned


def _grant_badges(reached: list[rules.Reached], *, earners: set[int]) -> int:
    """Each member's badge for a milestone, dated when they first reached it."""
    first: dict[tuple[int, str], datetime.datetime] = {}
    for item in reached:
        key = (item.member_id, item.milestone)
        if key not in first or item.at < first[key]:
            first[key] = item.at
    badges = dict(Badge.objects.filter(is_active=True).values_list("milestone", "pk"))
    rows = [
        MemberBadge(member_id=member_id, badge_id=badges[milestone], awarded_at=when)
        for (member_id, milestone), when in sorted(first.items())
        if member_id in earners and milestone in badges
    ]
    if not rows:
        return 0
    before = MemberBadge.objects.count()
    MemberBadge.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return MemberBadge.objects.count() - before
