"""Earning points: receivers of the idea domain's events, paying by the rules.

``rewards.rules`` says what each event pays (the demo seed asks it too); these
receivers read what the ledger holds, post it, and grant the badges. They run
inside the transaction of the change that sent the event, so a support and its
points commit or fail together. Every award has an idempotency key, so a replayed
event pays nothing twice. This module knows ``ideas`` only through ``ideas.events``
and the objects the events carry.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Exists
from django.utils import timezone
from django.utils.translation import gettext_noop

from cocreate.i18n import in_site_language
from ideas import events
from ideas.statuses import PUBLIC_STATUSES, IdeaStatus
from rewards import achievements, ledger, notices, permissions, rules
from rewards.models import (
    CampaignMultiplier,
    EarningRule,
    Entry,
    EntryKind,
    RewardSettings,
    Wallet,
)
from rewards.reasons import Reason

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cocreate.members.types import User

#: An idea, a comment or a support as ideas' events hand them: rewards reads
#: their fields and never imports ideas' models (the import contracts).
IdeasObject = Any

#: Ideas that count towards an author's milestones: public ones, but not those
#: merged into another idea (the duplicate's author did not bring a new idea).
COUNTED_IDEA_STATUSES = tuple(
    status for status in PUBLIC_STATUSES if status != IdeaStatus.DUPLICATE
)


def _start_of_day() -> datetime.datetime:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


#: The rules that pay and the campaigns' multipliers change rarely and are read
#: by every support: cached, and forgotten whenever one is saved or deleted.
RULES_CACHE_KEY = "rewards:rules:v1"
MULTIPLIERS_CACHE_KEY = "rewards:multipliers:v1"
TABLES_TIMEOUT = 300


def active_rules() -> dict[str, EarningRule]:
    """The active rules that pay something, by trigger."""
    table = cache.get(RULES_CACHE_KEY)
    if table is None:
        table = {
            rule.trigger: rule
            for rule in EarningRule.objects.filter(is_active=True, points__gt=0)
        }
        cache.set(RULES_CACHE_KEY, table, timeout=TABLES_TIMEOUT)
    return table


def _multipliers(campaign_ids: set[int]) -> dict[int, Decimal]:
    if not campaign_ids:
        return {}
    table = cache.get(MULTIPLIERS_CACHE_KEY)
    if table is None:
        table = dict(
            CampaignMultiplier.objects.values_list("campaign_id", "multiplier")
        )
        cache.set(MULTIPLIERS_CACHE_KEY, table, timeout=TABLES_TIMEOUT)
    return {pk: table[pk] for pk in campaign_ids if pk in table}


def forget_tables(**kwargs: object) -> None:
    """Drop the cached rules and multipliers, now and once the change commits (so
    no process keeps what it read before); connected to their saves and deletes."""

    def forget() -> None:
        cache.delete_many([RULES_CACHE_KEY, MULTIPLIERS_CACHE_KEY])

    forget()
    transaction.on_commit(forget)


def _ledger_state(
    awards: list[rules.Award],
    wallets: dict[int, Wallet],
    active: dict[str, EarningRule],
    earners: set[int],
) -> tuple[set[str], dict[tuple[int, int, datetime.date], int]]:
    """The awards' keys already in the ledger, and what each capped (member, rule)
    earned today, in one query (this runs inside every support).

    Read under the wallets' locks: a concurrent award of the same key (two first
    ideas at once) has committed by now and is skipped, not repeated."""
    keys = [award.key for award in awards]
    capped = [
        award
        for award in awards
        if award.member_id in earners and active[award.trigger].daily_cap is not None
    ]
    # Raw SQL: the ORM cannot say this UNION in one statement, and compiling two
    # querysets cost more than running them. Names are ours, values placeholders.
    ops = connection.ops
    table, key = ops.quote_name(Entry._meta.db_table), ops.quote_name("key")
    sql = f"SELECT {key}, NULL, NULL, 0 FROM {table} WHERE {key} IN ({_marks(keys)})"  # noqa: S608
    params: list[Any] = list(keys)
    if capped:
        wallet_ids = sorted({wallets[award.member_id].pk for award in capped})
        rule_ids = sorted({active[award.trigger].pk for award in capped})
        sql += (
            f" UNION ALL SELECT '', wallet_id, rule_id, SUM(amount) FROM {table}"  # noqa: S608
            " WHERE kind = %s AND created_at >= %s"
            f" AND wallet_id IN ({_marks(wallet_ids)})"
            f" AND rule_id IN ({_marks(rule_ids)}) GROUP BY wallet_id, rule_id"
        )
        params += [
            str(EntryKind.EARN),
            ops.adapt_datetimefield_value(_start_of_day()),
            *wallet_ids,
            *rule_ids,
        ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    members = {wallet.pk: member_id for member_id, wallet in wallets.items()}
    today = rules.day_of(None)
    paid = {key for key, wallet_id, _rule_id, _total in rows if wallet_id is None}
    earned_today = {
        (members[wallet_id], rule_id, today): int(total)
        for _key, wallet_id, rule_id, total in rows
        if wallet_id is not None
    }
    return paid, earned_today


def _marks(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def pay(
    awards: list[rules.Award], *, actor_id: int | None = None, notify: bool = True
) -> list[Entry]:
    """Pay what the rules say for each award, within daily caps; skip keys paid.

    Members other than ``actor_id`` (who acted and sees it on the page) are told
    in their notifications, unless ``notify`` is off (supports: one notice per
    support would drown the rest; they show in the wallet).
    """
    if not awards:
        return []
    active = active_rules()
    awards = [award for award in awards if award.trigger in active]
    if not awards:
        return []
    wallets = ledger.lock_wallets(award.member_id for award in awards)
    earners = {
        member_id
        for member_id, wallet in wallets.items()
        if permissions.earns_points(wallet.member)
    }
    paid, earned_today = _ledger_state(awards, wallets, active, earners)
    awards = rules.payable(awards, rules=active, earners=earners, paid=paid)
    if not awards:
        return []
    multipliers = _multipliers({a.campaign_id for a in awards if a.campaign_id})
    postings = rules.priced(
        awards, rules=active, multipliers=multipliers, earned=earned_today
    )
    entries = ledger.post(wallets, postings)
    if notify:
        notices.points_earned(entries, actor_id=actor_id)
    return entries


def support_pays(supporter: User) -> bool:
    """Supports from brand-new or unverified accounts count but pay nobody."""
    return _supporter_facts(supporter)[0]


def _supporter_facts(supporter: User) -> tuple[bool, bool]:
    """Whether the support pays, and whether the supporter has given 100 supports.

    The settings, the email check and the 100th support in one query: this runs
    inside every support.
    """
    config = RewardSettings.objects.annotate(
        verified=Exists(EmailAddress.objects.filter(user=supporter, verified=True)),
        # The 100th support exists or not: no full count on every support.
        hundred_given=Exists(
            supporter.supports.all()[
                rules.HUNDRED_SUPPORTS - 1 : rules.HUNDRED_SUPPORTS
            ]
        ),
    ).first()
    if config is None:  # a new site: the settings row is made on first use
        RewardSettings.load()
        return _supporter_facts(supporter)
    pays = rules.supporter_pays(
        joined=supporter.date_joined,
        verified=config.verified,
        min_account_days=config.supporter_min_account_days,
    )
    return pays, config.hundred_given


def _facts(idea: IdeasObject, *, author_id: int | None = None) -> rules.IdeaFacts:
    return rules.IdeaFacts(
        id=idea.pk,
        author_id=idea.author_id if author_id is None else author_id,
        campaign_id=idea.campaign_id,
        title=idea.title,
    )


def _grant(milestones: list[rules.Reached], member: User | None = None) -> None:
    """Badges for the milestones; ``member`` is the one who acted, already loaded."""
    for reached in milestones:
        if member is not None and reached.member_id == member.pk:
            achievements.grant(member, reached.milestone)
        else:
            achievements.grant_by_id(reached.member_id, reached.milestone)


def _quoted(title: str) -> str:
    return f"“{title[:120]}”"


# Receivers -------------------------------------------------------------------


@in_site_language()
def on_idea_published(
    sender: object, idea: IdeasObject, member: User, **kwargs: object
) -> None:
    tenth = member.ideas.filter(status__in=COUNTED_IDEA_STATUSES)[
        rules.TEN_IDEAS - 1 : rules.TEN_IDEAS
    ].exists()
    earned = rules.idea_published(_facts(idea, author_id=member.pk), tenth=tenth)
    pay(earned.awards, actor_id=member.pk)
    _grant(earned.milestones, member)


@in_site_language()
def on_idea_supported(
    sender: object,
    idea: IdeasObject,
    support: IdeasObject,
    member: User,
    **kwargs: object,
) -> None:
    pays, hundred_given = _supporter_facts(member)
    earned = rules.idea_supported(
        _facts(idea),
        support_id=support.pk,
        supporter_id=member.pk,
        pays=pays,
        first_support=idea.supports_count == 1,
        hundredth=hundred_given,
    )
    pay(earned.awards, actor_id=member.pk, notify=False)
    _grant(earned.milestones, member)


@in_site_language()
def on_support_withdrawn(
    sender: object, idea: IdeasObject, member: User, support_id: int, **kwargs: object
) -> None:
    entries = Entry.objects.filter(
        source=f"support:{support_id}",
        kind=EntryKind.EARN,
        reversed_by__isnull=True,
    ).select_related("wallet")
    ledger.reverse(
        entries,
        why="withdrawn",
        memo=Reason(gettext_noop("Support withdrawn on %s"), (_quoted(idea.title),)),
    )


@in_site_language()
def on_comment_posted(
    sender: object,
    comment: IdeasObject,
    idea: IdeasObject,
    member: User,
    **kwargs: object,
) -> None:
    earned = rules.comment_posted(
        _facts(idea), comment_id=comment.pk, member_id=member.pk
    )
    pay(earned.awards, actor_id=member.pk)
    _grant(earned.milestones, member)


def _threshold_reached(idea: IdeasObject) -> bool:
    campaign = idea.campaign
    threshold = campaign.support_threshold if campaign else None
    return bool(threshold) and idea.supports_count >= threshold


def _pay_author_for_status(idea: IdeasObject, status: str) -> None:
    if status not in rules.STATUS_TRIGGERS:
        return
    threshold_reached = status == IdeaStatus.UNDER_REVIEW and _threshold_reached(idea)
    earned = rules.status_reached(
        _facts(idea), status, threshold_reached=threshold_reached
    )
    pay(earned.awards)
    _grant(earned.milestones)


@in_site_language()
def on_status_changed(
    sender: object,
    idea: IdeasObject,
    old_status: str,
    new_status: str,
    **kwargs: object,
) -> None:
    """The one place a status pays: promotion and shipping pay by their move."""
    _pay_author_for_status(idea, new_status)


def _earned_by(content: IdeasObject) -> QuerySet[Entry]:
    """What a piece of content earned for its author (not for its supporters)."""
    kind = content._meta.model_name
    if kind == "comment":
        return Entry.objects.filter(comment_id=content.pk)
    if kind == "idea":
        return Entry.objects.filter(
            idea_id=content.pk,
            comment_id__isnull=True,
            wallet__member_id=content.author_id,
        )
    return Entry.objects.none()


@in_site_language()
def on_content_removed(
    sender: object, content: IdeasObject, provisional: bool = False, **kwargs: object
) -> None:
    """A final removal takes back what the content earned; one by reports waits
    for the moderator's confirmation, so a wrongful burst of reports costs nothing."""
    if provisional:
        return
    entries = _earned_by(content).filter(kind=EntryKind.EARN, reversed_by__isnull=True)
    ledger.reverse(
        entries.select_related("wallet"),
        why="removed",
        memo=Reason(
            gettext_noop("Removed by a moderator: %s"), (_quoted(str(content)),)
        ),
    )


@in_site_language()
def on_content_restored(sender: object, content: IdeasObject, **kwargs: object) -> None:
    """Pay back what the removal took, once per reversal."""
    reversals = list(
        Entry.objects.filter(
            kind=EntryKind.REVERSAL,
            key__startswith="reversal:removed:",
            reverses__in=_earned_by(content),
            amount__lt=0,
        ).select_related("wallet", "rule")
    )
    if not reversals:
        return
    wallets = ledger.lock_wallets(reversal.wallet.member_id for reversal in reversals)
    paid = set(
        Entry.objects.filter(
            key__in=[f"restore:{reversal.pk}" for reversal in reversals]
        ).values_list("key", flat=True)
    )
    live_supports = None
    postings = []
    for reversal in reversals:
        if f"restore:{reversal.pk}" in paid:
            continue
        if reversal.source.startswith("support:") and content._meta.model_name == (
            "idea"
        ):
            if live_supports is None:
                live_supports = {
                    f"support:{pk}"
                    for pk in content.supports.values_list("pk", flat=True)
                }
            if reversal.source not in live_supports:
                continue  # the support was withdrawn while the idea was hidden
        postings.append(
            ledger.Posting(
                member_id=reversal.wallet.member_id,
                kind=EntryKind.EARN,
                key=f"restore:{reversal.pk}",
                amount=-reversal.amount,
                rule=reversal.rule,
                source=reversal.source,
                idea_id=reversal.idea_id,
                comment_id=reversal.comment_id,
                campaign_id=reversal.campaign_id,
                memo=Reason(
                    gettext_noop("Restored by a moderator: %s"),
                    (_quoted(str(content)),),
                ),
            )
        )
    ledger.post(wallets, postings)


def connect_receivers() -> None:
    pairs = [
        (events.idea_published, on_idea_published),
        (events.idea_supported, on_idea_supported),
        (events.support_withdrawn, on_support_withdrawn),
        (events.comment_posted, on_comment_posted),
        (events.idea_status_changed, on_status_changed),
        (events.content_removed, on_content_removed),
        (events.content_restored, on_content_restored),
    ]
    for signal, receiver in pairs:
        signal.connect(receiver, dispatch_uid=f"rewards.{receiver.__name__}")
