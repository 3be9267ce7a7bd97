"""The points the seeded history earned, with the levels and badges they reach.

The seed sends no domain events, so this walks its past in time order and asks
``rewards.rules`` what each idea, status, support and comment paid, with the same
exclusions and daily caps as the receivers (the ledger's entries of those days
count), then posts it all through ``ledger.post`` dated when it happened. Keys
already in the ledger are skipped, so a second run adds nothing.
"""

from __future__ import annotations

import datetime
import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cocreate.demo.bulk import write_rows
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
from rewards.reasons import Reason

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


def import_points_history(demo: Demo, *, idea_ids: list[int] | None = None) -> Paid:
    """The points, levels and badges the community's past would have earned.

    Streamed in time order from the database, so a brand's million supports are
    never held at once. ``idea_ids``: pay only what these ideas added (the test
    panel's, seeded after the rest was paid), reading the facts that decide it:
    their supports and comments, every support of their supporters (a
    hundredth support) and every idea of their authors (a tenth idea).
    """
    supports = Support.objects.all()
    # A comment waiting for a moderator pays when approved, as on the site.
    comments = Comment.objects.filter(removed_at__isnull=True, moderation="visible")
    ideas = Idea.objects.all()
    member_ids = None
    if idea_ids is not None:
        # Every support of their supporters holds their own supports: one
        # index serves it (an OR with their ideas read every support).
        supporters = Support.objects.filter(idea_id__in=idea_ids).values("member_id")
        supports = supports.filter(member_id__in=supporters)
        comments = comments.filter(idea_id__in=idea_ids)
        authors = Idea.objects.filter(pk__in=idea_ids).values("author_id")
        ideas = ideas.filter(
            Q(author_id__in=authors)
            | Q(pk__in=supports.values("idea_id"))
            | Q(pk__in=comments.values("idea_id"))
        )
        member_ids = (
            set(ideas.values_list("author_id", flat=True))
            | set(supports.values_list("member_id", flat=True))
            | set(comments.values_list("author_id", flat=True))
        )
    public = ideas.filter(status__in=PUBLIC_STATUSES)
    supports = supports.filter(idea__in=public.values("pk"))
    comments = comments.filter(idea__in=public.values("pk"))
    # What status_steps needs: the support times of ideas a threshold took to
    # review, the only ones whose steps depend on their supports.
    by_idea: dict[int, list[datetime.datetime]] = defaultdict(list)
    reviewed = (*(step for step, _days in LIFECYCLE), IdeaStatus.UNDER_REVIEW)
    for idea_id, created_at in (
        supports.filter(
            idea__status__in=reviewed, idea__campaign__support_threshold__isnull=False
        )
        .order_by("idea_id", "created_at")
        .values_list("idea_id", "created_at")
        .iterator(chunk_size=5000)
    ):
        by_idea[idea_id].append(created_at)
    pages = {page.pk: page for page in CampaignPage.objects.all()}
    past = {}
    for (
        pk,
        author_id,
        campaign_id,
        title,
        status,
        created_at,
    ) in ideas.values_list(
        "pk", "author_id", "campaign_id", "title", "status", "created_at"
    ).iterator(chunk_size=5000):
        facts = rules.IdeaFacts(pk, author_id, campaign_id, title)
        if status not in PUBLIC_STATUSES:
            past[pk] = PastIdea(facts, None)
            continue
        campaign = pages.get(campaign_id)
        steps = status_steps(demo, status, created_at, campaign, by_idea.get(pk, []))
        past[pk] = PastIdea(facts, created_at, steps)
    del by_idea

    def actions(rows) -> Iterator[PastAction]:
        for row in rows.order_by("created_at", "pk").iterator(chunk_size=5000):
            yield PastAction._make(row)

    return _pay(
        past,
        actions(supports.values_list("pk", "idea_id", "member_id", "created_at")),
        actions(comments.values_list("pk", "idea_id", "author_id", "created_at")),
        _Members.load(member_ids),
    )


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
    #: The members loaded, if not everyone.
    only: list[int] | None = None

    @classmethod
    def load(cls, member_ids: set[int] | None) -> _Members:
        """The members given, or everyone (None)."""
        users = get_user_model().objects.all()
        addresses = EmailAddress.objects.filter(verified=True)
        if member_ids is not None:
            users = users.filter(pk__in=member_ids)
            addresses = addresses.filter(user_id__in=member_ids)
        members = list(
            users.only("pk", "is_active", "is_staff", "is_superuser", "date_joined")
        )
        return cls(
            earners={m.pk for m in members if permissions.earns_points(m)},
            joined={m.pk: m.date_joined for m in members},
            verified=set(addresses.values_list("user_id", flat=True)),
            min_account_days=RewardSettings.load().supporter_min_account_days,
            only=None if member_ids is None else sorted(member_ids),
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
    supports: Iterable[PastAction],
    comments: Iterable[PastAction],
    members: _Members,
) -> Iterator[tuple[datetime.datetime, rules.Earned]]:
    """What the rules say each past fact earned, in time order (ties: ideas,
    then supports, then comments, each in its own order). ``supports`` and
    ``comments`` come sorted by (moment, id); they are read as they are merged.
    """
    events: list[tuple[datetime.datetime, rules.Earned]] = []
    published: dict[int, int] = defaultdict(int)
    for idea in sorted(
        (idea for idea in ideas.values() if idea.published_at is not None),
        key=lambda idea: (idea.published_at, idea.facts.id),
    ):
        author_id = idea.facts.author_id
        published[author_id] += 1
        at = idea.published_at
        tenth = published[author_id] == rules.TEN_IDEAS
        events.append((at, rules.idea_published(idea.facts, at=at, tenth=tenth)))
        for status, when in idea.steps:
            events.append(
                (
                    when,
                    rules.status_reached(
                        idea.facts, status, threshold_reached=True, at=when
                    ),
                )
            )
    events.sort(key=lambda pair: pair[0])  # stable: ties keep the order above

    def supported_events() -> Iterator[tuple[datetime.datetime, rules.Earned]]:
        supported: set[int] = set()
        given: dict[int, int] = defaultdict(int)
        for support in supports:
            given[support.member_id] += 1
            yield (
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
            supported.add(support.idea_id)

    def commented_events() -> Iterator[tuple[datetime.datetime, rules.Earned]]:
        for comment in comments:
            yield (
                comment.created_at,
                rules.comment_posted(
                    ideas[comment.idea_id].facts,
                    comment_id=comment.id,
                    member_id=comment.member_id,
                    at=comment.created_at,
                ),
            )

    # merge is stable: on a tie, the earlier iterable's item comes first.
    return heapq.merge(
        events, supported_events(), commented_events(), key=lambda pair: pair[0]
    )


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
    return _pay(ideas, supports, comments, members)


#: Facts priced and posted at a time: the ledger is written as it is computed.
FACTS_PER_POSTING = 50_000


@transaction.atomic
def _pay(
    ideas: dict[int, PastIdea],
    supports: Iterable[PastAction],
    comments: Iterable[PastAction],
    members: _Members,
) -> Paid:
    """Pay the facts in time order, a slice at a time: each slice's keys are
    looked up, priced against the caps of its days (what the ledger held, plus
    what the slices before paid), and posted."""
    active = {
        rule.trigger: rule
        for rule in EarningRule.objects.filter(is_active=True, points__gt=0)
    }
    # A fresh ledger has paid nothing: no key to look up.
    ledger_empty = not Entry.objects.exists()
    # Keys another fact may give again (a member's first idea) are remembered
    # across slices; a fact's own key comes once.
    repeated: set[str] = set()
    earned: dict[tuple[int, int, datetime.date], int] | None = None
    first: dict[tuple[int, str], datetime.datetime] = {}
    paid = Paid()
    wallets_paid: set[int] = set()
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    stream = _earned(ideas, supports, comments, members)
    while True:
        facts = list(itertools.islice(stream, FACTS_PER_POSTING))
        if not facts:
            break
        for _at, item in facts:
            for reached in item.milestones:
                key = (reached.member_id, reached.milestone)
                if key not in first or reached.at < first[key]:
                    first[key] = reached.at
        awards = [award for _at, item in facts for award in item.awards]
        if earned is None:
            earned = _earned_on_those_days(facts[0][0], active, members.only)
        else:
            # The stream is in time order: days before this slice's are done.
            today = rules.day_of(facts[0][0])
            earned = defaultdict(
                int, {slot: n for slot, n in earned.items() if slot[2] >= today}
            )
        keys = [award.key for award in awards if award.trigger in active]
        known = set(repeated) if ledger_empty else _paid_keys(keys) | repeated
        kept = rules.payable(awards, rules=active, earners=members.earners, paid=known)
        repeated.update(award.key for award in kept if not _own_key(award))
        postings = rules.priced(
            kept, rules=active, multipliers=_multipliers(kept), earned=earned
        )
        del facts, awards, kept
        if postings:
            wallets = ledger.lock_wallets(posting.member_id for posting in postings)
            if connection.vendor == "postgresql":
                _copy_entries(wallets, postings)
                for member_id, change in ledger.balance_changes(postings).items():
                    moved = totals[member_id]
                    for column, delta in enumerate(change):
                        moved[column] += delta
            else:
                ledger.post(wallets, postings)
            paid.entries += len(postings)
            paid.points += sum(posting.amount for posting in postings)
            wallets_paid.update(wallets)
    if totals:
        # The wallets move once, by what every slice paid them.
        ledger.move_balances(ledger.lock_wallets(totals), totals)
    paid.wallets = len(wallets_paid)
    paid.badges = _grant_badges(first, earners=members.earners)
    return paid


#: The Entry columns ``_copy_entries`` writes, in order.
COPIED = (
    "wallet",
    "kind",
    "amount",
    "held_amount",
    "rule",
    "key",
    "source",
    "idea_id",
    "comment_id",
    "campaign_id",
    "memo",
    "reason",
    "created_at",
)


def _copy_entries(wallets: dict, postings: list[ledger.Posting]) -> None:
    """The earnings ``ledger.post`` would write, through PostgreSQL's COPY: a
    brand's two million entries through bulk_create took most of the seed's
    time. Earnings only move balances up, so none can go negative; the caller
    moves the wallets by ``ledger.balance_changes``."""
    now = timezone.now()
    write_rows(
        Entry,
        COPIED,
        (
            (
                wallets[posting.member_id].pk,
                str(posting.kind),
                posting.amount,
                posting.held_amount,
                posting.rule.pk if posting.rule else None,
                posting.key,
                posting.source,
                posting.idea_id,
                posting.comment_id,
                posting.campaign_id,
                str(posting.memo)[:255],
                posting.memo.stored() if isinstance(posting.memo, Reason) else {},
                posting.created_at or now,
            )
            for posting in postings
        ),
    )


def _own_key(award: rules.Award) -> bool:
    """Whether the award's key names the fact it is paid for (``support-given:7``
    for ``support:7``), so no other fact gives it. A key that may name its
    member is never taken for one: ``first-idea:288`` of the idea 288 by the
    member 288 is given again by their next idea."""
    named = award.key.rpartition(":")[2]
    return named == award.source.rpartition(":")[2] and named != str(award.member_id)


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


def _earned_on_those_days(
    since: datetime.datetime, active: dict, members: list[int] | None
) -> dict:
    """What the ledger already holds toward each (member, capped rule, day),
    from the day of ``since``, for these members (None: everyone)."""
    earned: dict[tuple[int, int, datetime.date], int] = defaultdict(int)
    capped = [rule.pk for rule in active.values() if rule.daily_cap is not None]
    start = timezone.localtime(since).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = Entry.objects.filter(
        kind=EntryKind.EARN, rule_id__in=capped, created_at__gte=start
    )
    if members is not None:
        rows = rows.filter(wallet__member_id__in=members)
    for member_id, rule_id, amount, when in rows.values_list(
        "wallet__member_id", "rule_id", "amount", "created_at"
    ).iterator(chunk_size=5000):
        earned[(member_id, rule_id, rules.day_of(when))] += amount
    return earned


def _grant_badges(
    first: dict[tuple[int, str], datetime.datetime], *, earners: set[int]
) -> int:
    """Each member's badge for a milestone, dated when they first reached it."""
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
