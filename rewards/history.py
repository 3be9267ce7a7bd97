"""Importing history: the points the rules would have paid for what already happened.

The demo seed (and a site that starts the points economy on an existing community)
writes ideas, supports and comments in the past without sending domain events. This
module replays them through the earning rules as the receivers in ``earning`` would
have: same idempotency keys, sources and memos, staff and young or unverified
supporters earn nothing, daily caps apply per member, rule and day of the action,
and every entry is dated when the action happened. It writes through
``ledger.post``, so wallets, lifetime points and levels move with the entries.

It knows the idea domain only through the plain facts the caller passes in.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from rewards import ledger, permissions
from rewards.earning import STATUS_MILESTONES, STATUS_TRIGGERS, Award, capped_points
from rewards.models import (
    Badge,
    CampaignMultiplier,
    EarningRule,
    Entry,
    EntryKind,
    MemberBadge,
    Milestone,
    RewardSettings,
    Trigger,
    Wallet,
)

#: Entries written per statement.
CHUNK = 5000
#: Keys looked up per query (SQLite allows 999 parameters on old builds).
KEYS_PER_QUERY = 900


class IdeaFacts(NamedTuple):
    """An idea as the rules see it.

    ``published_at`` is None for an idea that never became public (it earns
    nothing). ``statuses`` are the steps it reached after publication, in order,
    with when: ``under_review`` only when it reached its campaign's support
    threshold, then ``shortlisted``, ``in_rnd``, ``shipped``.
    """

    id: int
    author_id: int
    campaign_id: int | None
    title: str
    published_at: datetime.datetime | None
    statuses: tuple[tuple[str, datetime.datetime], ...] = ()


class SupportFacts(NamedTuple):
    id: int
    idea_id: int
    member_id: int
    created_at: datetime.datetime


class CommentFacts(NamedTuple):
    id: int
    idea_id: int
    member_id: int
    created_at: datetime.datetime


@dataclass
class Imported:
    entries: int = 0
    points: int = 0
    badges: int = 0
    wallets: int = 0


def _quoted(title: str) -> str:
    return f"“{title[:120]}”"


STATUS_MEMOS = {
    Trigger.THRESHOLD_REACHED: gettext_noop(
        "%s reached its campaign's support threshold"
    ),
    Trigger.SHORTLISTED: gettext_noop("%s was shortlisted"),
    Trigger.PROMOTED: gettext_noop("%s was promoted into R&D"),
    Trigger.SHIPPED: gettext_noop("%s was shipped"),
}


def _awards(
    ideas: dict[int, IdeaFacts],
    supports: Sequence[SupportFacts],
    comments: Sequence[CommentFacts],
    supporter_pays,
) -> Iterator[tuple[datetime.datetime, Award]]:
    """What each past action would have awarded, with when it happened."""
    # Translated once: a big history makes a hundred thousand of these.
    published_memo = _("Idea published: %s")
    first_memo = _("Your first idea: %s")
    received_memo = _("Support received on %s")
    given_memo = _("You supported %s")
    comment_memo = _("Comment on %s")
    status_memos = {trigger: _(memo) for trigger, memo in STATUS_MEMOS.items()}
    quoted = {idea.id: _quoted(idea.title) for idea in ideas.values()}
    first_idea: dict[int, IdeaFacts] = {}
    for idea in ideas.values():
        if idea.published_at is None:
            continue
        common = {
            "member_id": idea.author_id,
            "source": f"idea:{idea.id}",
            "idea_id": idea.id,
            "campaign_id": idea.campaign_id,
        }
        yield (
            idea.published_at,
            Award(
                trigger=Trigger.IDEA_PUBLISHED,
                key=f"idea-published:{idea.id}",
                memo=published_memo % quoted[idea.id],
                **common,
            ),
        )
        earliest = first_idea.get(idea.author_id)
        if earliest is None or (idea.published_at, idea.id) < (
            earliest.published_at,
            earliest.id,
        ):
            first_idea[idea.author_id] = idea
        for status, when in idea.statuses:
            trigger = STATUS_TRIGGERS.get(status)
            if trigger is None:
                continue
            yield (
                when,
                Award(
                    trigger=trigger,
                    key=f"{trigger}:{idea.id}",
                    memo=status_memos[trigger] % quoted[idea.id],
                    **common,
                ),
            )
    for member_id, idea in first_idea.items():
        yield (
            idea.published_at,
            Award(
                trigger=Trigger.FIRST_IDEA,
                member_id=member_id,
                key=f"first-idea:{member_id}",
                source=f"idea:{idea.id}",
                memo=first_memo % quoted[idea.id],
                idea_id=idea.id,
                campaign_id=idea.campaign_id,
            ),
        )
    for support in supports:
        idea = ideas[support.idea_id]
        if not supporter_pays(support.member_id, support.created_at):
            continue
        common = {
            "source": f"support:{support.id}",
            "idea_id": idea.id,
            "campaign_id": idea.campaign_id,
        }
        yield (
            support.created_at,
            Award(
                trigger=Trigger.SUPPORT_RECEIVED,
                member_id=idea.author_id,
                key=f"support-received:{support.id}",
                memo=received_memo % quoted[idea.id],
                **common,
            ),
        )
        yield (
            support.created_at,
            Award(
                trigger=Trigger.SUPPORT_GIVEN,
                member_id=support.member_id,
                key=f"support-given:{support.id}",
                memo=given_memo % quoted[idea.id],
                **common,
            ),
        )
    for comment in comments:
        idea = ideas[comment.idea_id]
        yield (
            comment.created_at,
            Award(
                trigger=Trigger.COMMENT_POSTED,
                member_id=comment.member_id,
                key=f"comment:{comment.id}",
                source=f"comment:{comment.id}",
                memo=comment_memo % quoted[idea.id],
                idea_id=idea.id,
                comment_id=comment.id,
                campaign_id=idea.campaign_id,
            ),
        )


def _milestones(
    ideas: dict[int, IdeaFacts],
    supports: Sequence[SupportFacts],
    comments: Sequence[CommentFacts],
) -> dict[tuple[int, str], datetime.datetime]:
    """(member, milestone) -> when it was reached, as the receivers grant them."""
    reached: dict[tuple[int, str], datetime.datetime] = {}

    def mark(member_id: int, milestone: str, when: datetime.datetime) -> None:
        key = (member_id, milestone)
        if key not in reached or when < reached[key]:
            reached[key] = when

    published: dict[int, list[datetime.datetime]] = defaultdict(list)
    for idea in ideas.values():
        if idea.published_at is None:
            continue
        published[idea.author_id].append(idea.published_at)
        for status, when in idea.statuses:
            if status in STATUS_MILESTONES:
                mark(idea.author_id, STATUS_MILESTONES[status], when)
    for member_id, times in published.items():
        times.sort()
        mark(member_id, Milestone.FIRST_IDEA, times[0])
        if len(times) >= 10:
            mark(member_id, Milestone.TEN_IDEAS, times[9])
    given = defaultdict(int)
    for support in supports:  # in time order
        mark(
            ideas[support.idea_id].author_id,
            Milestone.FIRST_SUPPORT_RECEIVED,
            support.created_at,
        )
        given[support.member_id] += 1
        if given[support.member_id] == 100:
            mark(
                support.member_id, Milestone.HUNDRED_SUPPORTS_GIVEN, support.created_at
            )
    for comment in comments:
        mark(comment.member_id, Milestone.FIRST_COMMENT, comment.created_at)
    return reached


def _paid_keys(keys: list[str]) -> set[str]:
    paid: set[str] = set()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        paid.update(
            Entry.objects.filter(
                key__in=keys[start : start + KEYS_PER_QUERY]
            ).values_list("key", flat=True)
        )
    return paid


def _day(when: datetime.datetime) -> datetime.date:
    """The day a cap counts in, in the site's time zone, like the receivers."""
    return timezone.localtime(when).date()


@transaction.atomic
def import_history(
    *,
    ideas: Iterable[IdeaFacts],
    supports: Iterable[SupportFacts] = (),
    comments: Iterable[CommentFacts] = (),
) -> Imported:
    """Pay what the earning rules would have paid for past actions, and grant the
    badges they reached. Keys already in the ledger are skipped, and the points
    they paid count toward that day's caps, so importing twice adds nothing.

    Supports and comments on ideas not given (or never published) are ignored.
    """
    ideas = {idea.id: idea for idea in ideas}
    public = {pk for pk, idea in ideas.items() if idea.published_at is not None}
    supports = sorted(
        (s for s in supports if s.idea_id in public),
        key=lambda s: (s.created_at, s.id),
    )
    comments = sorted(
        (c for c in comments if c.idea_id in public),
        key=lambda c: (c.created_at, c.id),
    )
    member_ids = (
        {idea.author_id for idea in ideas.values()}
        | {support.member_id for support in supports}
        | {comment.member_id for comment in comments}
    )
    members = {
        member.pk: member
        for member in get_user_model()
        .objects.filter(pk__in=member_ids)
        .only("pk", "is_active", "is_staff", "is_superuser", "date_joined")
    }
    earners = {pk for pk, member in members.items() if permissions.earns_points(member)}
    verified = set(
        EmailAddress.objects.filter(user_id__in=member_ids, verified=True).values_list(
            "user_id", flat=True
        )
    )
    min_age = datetime.timedelta(days=RewardSettings.load().supporter_min_account_days)

    def supporter_pays(member_id: int, when: datetime.datetime) -> bool:
        """The receivers' guard, as it stood when the member supported."""
        member = members.get(member_id)
        return (
            member is not None
            and member_id in verified
            and member.date_joined <= when - min_age
        )

    result = Imported()
    rules = {
        rule.trigger: rule
        for rule in EarningRule.objects.filter(is_active=True, points__gt=0)
    }
    awards = sorted(
        (
            (when, award)
            for when, award in _awards(ideas, supports, comments, supporter_pays)
            if award.trigger in rules and award.member_id in earners
        ),
        key=lambda pair: pair[0],
    )
    paid = _paid_keys([award.key for _when, award in awards])
    awards = [(when, award) for when, award in awards if award.key not in paid]
    postings = _postings(awards, rules)
    if postings:
        wallets = ledger.lock_wallets(posting.member_id for posting in postings)
        _write(wallets, postings)
        result.entries = len(postings)
        result.points = sum(posting.amount for posting in postings)
        result.wallets = len(wallets)
    result.badges = _grant_badges(
        _milestones(ideas, supports, comments), earners=earners
    )
    return result


def _postings(
    awards: list[tuple[datetime.datetime, Award]], rules: dict[str, EarningRule]
) -> list[ledger.Posting]:
    """The entries to write, in time order, within each member's daily caps."""
    if not awards:
        return []
    campaign_ids = {award.campaign_id for _when, award in awards if award.campaign_id}
    multipliers = dict(
        CampaignMultiplier.objects.filter(campaign_id__in=campaign_ids).values_list(
            "campaign_id", "multiplier"
        )
    )
    # What is already in the ledger for those days counts toward the caps.
    capped = [rule.pk for rule in rules.values() if rule.daily_cap is not None]
    start = timezone.localtime(awards[0][0]).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    earned: dict[tuple[int, int, datetime.date], int] = defaultdict(int)
    for member_id, rule_id, amount, when in Entry.objects.filter(
        kind=EntryKind.EARN, rule_id__in=capped, created_at__gte=start
    ).values_list("wallet__member_id", "rule_id", "amount", "created_at"):
        earned[(member_id, rule_id, _day(when))] += amount
    postings = []
    for when, award in awards:
        rule = rules[award.trigger]
        slot = (award.member_id, rule.pk, _day(when))
        points = capped_points(
            rule,
            multipliers.get(award.campaign_id, Decimal(1)),
            earned_so_far=earned[slot],
        )
        earned[slot] += points
        if points > 0:
            postings.append(award.posting(rule, points, created_at=when))
    return postings


def _grant_badges(
    reached: dict[tuple[int, str], datetime.datetime], *, earners: set[int]
) -> int:
    badges = dict(Badge.objects.filter(is_active=True).values_list("milestone", "pk"))
    rows = [
        MemberBadge(member_id=member_id, badge_id=badges[milestone], awarded_at=when)
        for (member_id, milestone), when in sorted(reached.items())
        if member_id in earners and milestone in badges
    ]
    if not rows:
        return 0
    before = MemberBadge.objects.count()
    MemberBadge.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return MemberBadge.objects.count() - before


def _write(wallets: dict[int, Wallet], postings: list[ledger.Posting]) -> None:
    """Insert the entries and move the locked wallets, like ``ledger.post``.

    A history holds tens of thousands of entries, and ``bulk_create`` spends most
    of its time preparing model instances (SQLite takes 62 rows per statement), so
    rows go straight to ``executemany``; columns come from the model, so a new
    field with a default is filled in. Earnings only: no balance can go negative.
    """
    fields = [field for field in Entry._meta.concrete_fields if not field.primary_key]
    connection = connections[router.db_for_write(Entry)]
    defaults = {field.attname: field.get_default() for field in fields}
    dated = [
        index
        for index, field in enumerate(fields)
        if field.get_internal_type() == "DateTimeField"
    ]
    rows = []
    for posting in postings:
        values = {
            **defaults,
            "wallet_id": wallets[posting.member_id].pk,
            "kind": posting.kind,
            "amount": posting.amount,
            "held_amount": posting.held_amount,
            "rule_id": posting.rule.pk if posting.rule else None,
            "reverses_id": posting.reverses.pk if posting.reverses else None,
            "redemption_id": posting.redemption.pk if posting.redemption else None,
            "key": posting.key,
            "source": posting.source,
            "idea_id": posting.idea_id,
            "comment_id": posting.comment_id,
            "campaign_id": posting.campaign_id,
            "memo": posting.memo[:255],
            "actor_id": posting.actor.pk if posting.actor else None,
            "created_at": posting.created_at or timezone.now(),
        }
        row = [values[field.attname] for field in fields]
        for index in dated:
            row[index] = fields[index].get_db_prep_save(row[index], connection)
        rows.append(row)
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model
        quote(Entry._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start : start + CHUNK])
    ledger.move_balances(wallets, ledger.balance_changes(postings))
