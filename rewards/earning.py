"""Earning points: receivers of the idea domain's events, paying by the rules.

They run inside the transaction of the change that sent the event, so a support
and its points commit or fail together. Every award has an idempotency key, so a
replayed event pays nothing twice. This module knows ``ideas`` only through
``ideas.events`` and the objects the events carry.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from allauth.account.models import EmailAddress
from django.db.models import Exists, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cocreate.i18n import in_site_language
from ideas import events
from ideas.statuses import PUBLIC_STATUSES, IdeaStatus
from rewards import achievements, ledger, notices, permissions
from rewards.models import (
    CampaignMultiplier,
    EarningRule,
    Entry,
    EntryKind,
    Milestone,
    RewardSettings,
    Trigger,
)

#: Status an idea moves to -> what its author earns for it.
STATUS_TRIGGERS = {
    IdeaStatus.UNDER_REVIEW: Trigger.THRESHOLD_REACHED,
    IdeaStatus.SHORTLISTED: Trigger.SHORTLISTED,
    IdeaStatus.IN_RND: Trigger.PROMOTED,
    IdeaStatus.SHIPPED: Trigger.SHIPPED,
}
STATUS_MILESTONES = {
    IdeaStatus.SHORTLISTED: Milestone.IDEA_SHORTLISTED,
    IdeaStatus.IN_RND: Milestone.IDEA_IN_RND,
    IdeaStatus.SHIPPED: Milestone.IDEA_SHIPPED,
}
#: Ideas that count towards an author's milestones: public ones, but not those
#: merged into another idea (the duplicate's author did not bring a new idea).
COUNTED_IDEA_STATUSES = tuple(
    status for status in PUBLIC_STATUSES if status != IdeaStatus.DUPLICATE
)


@dataclass
class Award:
    trigger: str
    member_id: int
    key: str
    source: str
    memo: str
    idea_id: int | None = None
    comment_id: int | None = None
    campaign_id: int | None = None

    def posting(
        self,
        rule: EarningRule,
        points: int,
        created_at: datetime.datetime | None = None,
    ) -> ledger.Posting:
        return ledger.Posting(
            member_id=self.member_id,
            kind=EntryKind.EARN,
            key=self.key,
            amount=points,
            rule=rule,
            source=self.source,
            idea_id=self.idea_id,
            comment_id=self.comment_id,
            campaign_id=self.campaign_id,
            memo=self.memo,
            created_at=created_at,
        )


def capped_points(rule: EarningRule, multiplier: Decimal, *, earned_so_far: int) -> int:
    """What the rule pays, times the campaign's multiplier (rounded half up), within
    what its daily cap leaves after ``earned_so_far`` points today."""
    points = int(
        (Decimal(rule.points) * multiplier).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )
    if rule.daily_cap is not None:
        points = min(points, max(rule.daily_cap - earned_so_far, 0))
    return points


def _start_of_day() -> datetime.datetime:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def _multipliers(campaign_ids: set[int]) -> dict[int, Decimal]:
    if not campaign_ids:
        return {}
    return dict(
        CampaignMultiplier.objects.filter(campaign_id__in=campaign_ids).values_list(
            "campaign_id", "multiplier"
        )
    )


def pay(
    awards: list[Award], *, actor_id: int | None = None, notify: bool = True
) -> list[Entry]:
    """Pay what the rules say for each award, within daily caps; skip keys paid.

    Members other than ``actor_id`` (who acted and sees it on the page) are told
    in their notifications, unless ``notify`` is off (supports: one notice per
    support would drown the rest; they show in the wallet).
    """
    if not awards:
        return []
    rules = {
        rule.trigger: rule
        for rule in EarningRule.objects.filter(
            trigger__in={award.trigger for award in awards},
            is_active=True,
            points__gt=0,
        )
    }
    awards = [award for award in awards if award.trigger in rules]
    if not awards:
        return []
    wallets = ledger.lock_wallets(award.member_id for award in awards)
    # Keys are read under the wallets' locks: a concurrent award of the same key
    # (two first ideas at once) has committed by now and is skipped, not repeated.
    paid = set(
        Entry.objects.filter(key__in=[award.key for award in awards]).values_list(
            "key", flat=True
        )
    )
    awards = [
        award
        for award in awards
        if award.key not in paid
        and permissions.earns_points(wallets[award.member_id].member)
    ]
    if not awards:
        return []
    multipliers = _multipliers({a.campaign_id for a in awards if a.campaign_id})
    capped = [award for award in awards if rules[award.trigger].daily_cap is not None]
    earned_today: dict[tuple[int, int], int] = {}
    if capped:
        rows = (
            Entry.objects.filter(
                wallet__in=[wallets[a.member_id] for a in capped],
                rule__in=[rules[a.trigger] for a in capped],
                kind=EntryKind.EARN,
                created_at__gte=_start_of_day(),
            )
            .values("wallet_id", "rule_id")
            .annotate(total=Sum("amount"))
        )
        earned_today = {(r["wallet_id"], r["rule_id"]): r["total"] for r in rows}
    postings = []
    for award in awards:
        rule = rules[award.trigger]
        slot = (wallets[award.member_id].pk, rule.pk)
        points = capped_points(
            rule,
            multipliers.get(award.campaign_id, Decimal(1)),
            earned_so_far=earned_today.get(slot, 0),
        )
        earned_today[slot] = earned_today.get(slot, 0) + points
        if points > 0:
            postings.append(award.posting(rule, points))
    entries = ledger.post(wallets, postings)
    if notify:
        notices.points_earned(entries, actor_id=actor_id)
    return entries


def support_pays(supporter) -> bool:
    """Supports from brand-new or unverified accounts count but pay nobody."""
    return _supporter_facts(supporter)[0]


def _supporter_facts(supporter) -> tuple[bool, bool]:
    """Whether the support pays, and whether the supporter has given 100 supports.

    The settings, the email check and the 100th support in one query: this runs
    inside every support.
    """
    config = RewardSettings.objects.annotate(
        verified=Exists(EmailAddress.objects.filter(user=supporter, verified=True)),
        # The 100th support exists or not: no full count on every support.
        hundred_given=Exists(supporter.supports.all()[99:100]),
    ).first()
    if config is None:  # a new site: the settings row is made on first use
        RewardSettings.load()
        return _supporter_facts(supporter)
    days = config.supporter_min_account_days
    if supporter.date_joined > timezone.now() - datetime.timedelta(days=days):
        return False, config.hundred_given
    return config.verified, config.hundred_given


def _quoted(title: str) -> str:
    return f"“{title[:120]}”"


# Receivers -------------------------------------------------------------------


@in_site_language()
def on_idea_published(sender, idea, member, **kwargs) -> None:
    common = {
        "member_id": member.pk,
        "source": f"idea:{idea.pk}",
        "idea_id": idea.pk,
        "campaign_id": idea.campaign_id,
    }
    pay(
        [
            Award(
                trigger=Trigger.IDEA_PUBLISHED,
                key=f"idea-published:{idea.pk}",
                memo=_("Idea published: %s") % _quoted(idea.title),
                **common,
            ),
            Award(
                trigger=Trigger.FIRST_IDEA,
                key=f"first-idea:{member.pk}",
                memo=_("Your first idea: %s") % _quoted(idea.title),
                **common,
            ),
        ],
        actor_id=member.pk,
    )
    achievements.grant(member, Milestone.FIRST_IDEA)
    if member.ideas.filter(status__in=COUNTED_IDEA_STATUSES)[9:10].exists():
        achievements.grant(member, Milestone.TEN_IDEAS)


@in_site_language()
def on_idea_supported(sender, idea, support, member, **kwargs) -> None:
    pays, hundred_given = _supporter_facts(member)
    if pays:
        common = {
            "source": f"support:{support.pk}",
            "idea_id": idea.pk,
            "campaign_id": idea.campaign_id,
        }
        pay(
            [
                Award(
                    trigger=Trigger.SUPPORT_RECEIVED,
                    member_id=idea.author_id,
                    key=f"support-received:{support.pk}",
                    memo=_("Support received on %s") % _quoted(idea.title),
                    **common,
                ),
                Award(
                    trigger=Trigger.SUPPORT_GIVEN,
                    member_id=member.pk,
                    key=f"support-given:{support.pk}",
                    memo=_("You supported %s") % _quoted(idea.title),
                    **common,
                ),
            ],
            actor_id=member.pk,
            notify=False,
        )
    if idea.supports_count == 1:
        achievements.grant_by_id(idea.author_id, Milestone.FIRST_SUPPORT_RECEIVED)
    if hundred_given:
        achievements.grant(member, Milestone.HUNDRED_SUPPORTS_GIVEN)


@in_site_language()
def on_support_withdrawn(sender, idea, member, support_id, **kwargs) -> None:
    entries = Entry.objects.filter(
        source=f"support:{support_id}",
        kind=EntryKind.EARN,
        reversed_by__isnull=True,
    ).select_related("wallet")
    ledger.reverse(
        entries,
        why="withdrawn",
        memo=_("Support withdrawn on %s") % _quoted(idea.title),
    )


@in_site_language()
def on_comment_posted(sender, comment, idea, member, **kwargs) -> None:
    pay(
        [
            Award(
                trigger=Trigger.COMMENT_POSTED,
                member_id=member.pk,
                key=f"comment:{comment.pk}",
                source=f"comment:{comment.pk}",
                memo=_("Comment on %s") % _quoted(idea.title),
                idea_id=idea.pk,
                comment_id=comment.pk,
                campaign_id=idea.campaign_id,
            )
        ],
        actor_id=member.pk,
    )
    achievements.grant(member, Milestone.FIRST_COMMENT)


def _threshold_reached(idea) -> bool:
    campaign = idea.campaign
    threshold = campaign.support_threshold if campaign else None
    return bool(threshold) and idea.supports_count >= threshold


def _pay_author_for_status(idea, status: str) -> None:
    trigger = STATUS_TRIGGERS.get(status)
    if trigger is None:
        return
    if trigger == Trigger.THRESHOLD_REACHED and not _threshold_reached(idea):
        return
    labels = {
        Trigger.THRESHOLD_REACHED: _("%s reached its campaign's support threshold"),
        Trigger.SHORTLISTED: _("%s was shortlisted"),
        Trigger.PROMOTED: _("%s was promoted into R&D"),
        Trigger.SHIPPED: _("%s was shipped"),
    }
    pay(
        [
            Award(
                trigger=trigger,
                member_id=idea.author_id,
                key=f"{trigger}:{idea.pk}",
                source=f"idea:{idea.pk}",
                memo=labels[trigger] % _quoted(idea.title),
                idea_id=idea.pk,
                campaign_id=idea.campaign_id,
            )
        ]
    )
    milestone = STATUS_MILESTONES.get(status)
    if milestone:
        achievements.grant_by_id(idea.author_id, milestone)


@in_site_language()
def on_status_changed(sender, idea, old_status, new_status, **kwargs) -> None:
    _pay_author_for_status(idea, new_status)


@in_site_language()
def on_idea_promoted(sender, idea, **kwargs) -> None:
    _pay_author_for_status(idea, IdeaStatus.IN_RND)


def _earned_by(content):
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
def on_content_removed(sender, content, **kwargs) -> None:
    entries = _earned_by(content).filter(kind=EntryKind.EARN, reversed_by__isnull=True)
    ledger.reverse(
        entries.select_related("wallet"),
        why="removed",
        memo=_("Removed by a moderator: %s") % _quoted(str(content)),
    )


@in_site_language()
def on_content_restored(sender, content, **kwargs) -> None:
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
                memo=_("Restored by a moderator: %s") % _quoted(str(content)),
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
        (events.idea_promoted, on_idea_promoted),
        (events.content_removed, on_content_removed),
        (events.content_restored, on_content_restored),
    ]
    for signal, receiver in pairs:
        signal.connect(receiver, dispatch_uid=f"rewards.{receiver.__name__}")
