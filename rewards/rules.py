"""What a fact pays: the earning rules as pure functions, written once.

The receivers in ``rewards.earning`` ask them what an event pays and post it at
once; the demo seed (``cocreate.demo.points``) asks them what its past would have
paid and posts it dated when each thing happened. Facts in, awards and milestones
out (member, trigger, idempotency key, memo, source, moment); ``payable`` and
``priced`` then apply the exclusions and the daily caps the same way for both.
Nothing here reads the database: the callers pass in what the ledger holds.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_noop

from ideas.statuses import IdeaStatus
from rewards import ledger
from rewards.models import EarningRule, EntryKind, Milestone, Trigger
from rewards.reasons import Reason

#: Status an idea moves to -> what its author earns for it.
STATUS_TRIGGERS: dict[str, Trigger] = {
    IdeaStatus.UNDER_REVIEW: Trigger.THRESHOLD_REACHED,
    IdeaStatus.SHORTLISTED: Trigger.SHORTLISTED,
    IdeaStatus.IN_RND: Trigger.PROMOTED,
    IdeaStatus.SHIPPED: Trigger.SHIPPED,
}
STATUS_MILESTONES: dict[str, Milestone] = {
    IdeaStatus.SHORTLISTED: Milestone.IDEA_SHORTLISTED,
    IdeaStatus.IN_RND: Milestone.IDEA_IN_RND,
    IdeaStatus.SHIPPED: Milestone.IDEA_SHIPPED,
}
STATUS_MEMOS = {
    Trigger.THRESHOLD_REACHED: gettext_noop(
        "%s reached its campaign's support threshold"
    ),
    Trigger.SHORTLISTED: gettext_noop("%s was shortlisted"),
    Trigger.PROMOTED: gettext_noop("%s was promoted into R&D"),
    Trigger.SHIPPED: gettext_noop("%s was shipped"),
}
#: A member's tenth idea earns a badge; their hundredth support another.
TEN_IDEAS = 10
HUNDRED_SUPPORTS = 100


@dataclass(frozen=True)
class IdeaFacts:
    """An idea as the rules see it: plain ids, so rewards needs no idea model."""

    id: int
    author_id: int
    campaign_id: int | None
    title: str


@dataclass(frozen=True)
class Award:
    """Points a fact may earn, before the rules' amounts, exclusions and caps.

    ``at`` is when it happened; None is now (the receivers), a moment in the past
    for a history (the demo seed), and it decides the day a daily cap counts in.
    """

    trigger: str
    member_id: int
    key: str
    source: str
    memo: str
    idea_id: int | None = None
    comment_id: int | None = None
    campaign_id: int | None = None
    at: datetime.datetime | None = None


@dataclass(frozen=True)
class Reached:
    """A milestone a fact made a member reach (a badge, once per member)."""

    member_id: int
    milestone: str
    at: datetime.datetime | None = None


@dataclass
class Earned:
    awards: list[Award] = field(default_factory=list)
    milestones: list[Reached] = field(default_factory=list)


def _quoted(title: str) -> str:
    return f"“{title[:120]}”"


def idea_published(
    idea: IdeaFacts, *, at: datetime.datetime | None = None, tenth: bool = False
) -> Earned:
    """Publishing pays its author, and their first idea once more (the key is per
    member, so only the first one pays). ``tenth``: the author now has ten ideas."""
    common: dict[str, Any] = {
        "member_id": idea.author_id,
        "source": f"idea:{idea.id}",
        "idea_id": idea.id,
        "campaign_id": idea.campaign_id,
        "at": at,
    }
    milestones = [Reached(idea.author_id, Milestone.FIRST_IDEA, at)]
    if tenth:
        milestones.append(Reached(idea.author_id, Milestone.TEN_IDEAS, at))
    return Earned(
        [
            Award(
                trigger=Trigger.IDEA_PUBLISHED,
                key=f"idea-published:{idea.id}",
                memo=Reason(gettext_noop("Idea published: %s"), (_quoted(idea.title),)),
                **common,
            ),
            Award(
                trigger=Trigger.FIRST_IDEA,
                key=f"first-idea:{idea.author_id}",
                memo=Reason(
                    gettext_noop("Your first idea: %s"), (_quoted(idea.title),)
                ),
                **common,
            ),
        ],
        milestones,
    )


def supporter_pays(
    *,
    joined: datetime.datetime,
    verified: bool,
    min_account_days: int,
    at: datetime.datetime | None = None,
) -> bool:
    """Supports from accounts younger than the settings' minimum (when they
    supported) or without a confirmed email count but pay nobody."""
    at = at or timezone.now()
    return verified and joined <= at - datetime.timedelta(days=min_account_days)


def idea_supported(
    idea: IdeaFacts,
    *,
    support_id: int,
    supporter_id: int,
    pays: bool,
    first_support: bool = False,
    hundredth: bool = False,
    at: datetime.datetime | None = None,
) -> Earned:
    """A paying support earns the idea's author and the supporter. ``first_support``:
    the idea's first; ``hundredth``: the supporter has now given a hundred."""
    earned = Earned()
    if pays:
        common: dict[str, Any] = {
            "source": f"support:{support_id}",
            "idea_id": idea.id,
            "campaign_id": idea.campaign_id,
            "at": at,
        }
        earned.awards = [
            Award(
                trigger=Trigger.SUPPORT_RECEIVED,
                member_id=idea.author_id,
                key=f"support-received:{support_id}",
                memo=Reason(
                    gettext_noop("Support received on %s"), (_quoted(idea.title),)
                ),
                **common,
            ),
            Award(
                trigger=Trigger.SUPPORT_GIVEN,
                member_id=supporter_id,
                key=f"support-given:{support_id}",
                memo=Reason(gettext_noop("You supported %s"), (_quoted(idea.title),)),
                **common,
            ),
        ]
    if first_support:
        earned.milestones.append(
            Reached(idea.author_id, Milestone.FIRST_SUPPORT_RECEIVED, at)
        )
    if hundredth:
        earned.milestones.append(
            Reached(supporter_id, Milestone.HUNDRED_SUPPORTS_GIVEN, at)
        )
    return earned


def comment_posted(
    idea: IdeaFacts,
    *,
    comment_id: int,
    member_id: int,
    at: datetime.datetime | None = None,
) -> Earned:
    return Earned(
        [
            Award(
                trigger=Trigger.COMMENT_POSTED,
                member_id=member_id,
                key=f"comment:{comment_id}",
                source=f"comment:{comment_id}",
                memo=Reason(gettext_noop("Comment on %s"), (_quoted(idea.title),)),
                idea_id=idea.id,
                comment_id=comment_id,
                campaign_id=idea.campaign_id,
                at=at,
            )
        ],
        [Reached(member_id, Milestone.FIRST_COMMENT, at)],
    )


def status_reached(
    idea: IdeaFacts,
    status: str,
    *,
    threshold_reached: bool,
    at: datetime.datetime | None = None,
) -> Earned:
    """A step of the lifecycle pays the author; review pays only when the idea got
    there by its campaign's support threshold (``threshold_reached``)."""
    trigger = STATUS_TRIGGERS.get(status)
    if trigger is None:
        return Earned()
    if trigger == Trigger.THRESHOLD_REACHED and not threshold_reached:
        return Earned()
    earned = Earned(
        [
            Award(
                trigger=trigger,
                member_id=idea.author_id,
                key=f"{trigger}:{idea.id}",
                source=f"idea:{idea.id}",
                memo=Reason(STATUS_MEMOS[trigger], (_quoted(idea.title),)),
                idea_id=idea.id,
                campaign_id=idea.campaign_id,
                at=at,
            )
        ]
    )
    milestone = STATUS_MILESTONES.get(status)
    if milestone:
        earned.milestones.append(Reached(idea.author_id, milestone, at))
    return earned


# Exclusions and caps: one way for the receivers and for a history -------------


def day_of(at: datetime.datetime | None) -> datetime.date:
    """The day a daily cap counts in: the site's time zone, from midnight."""
    return timezone.localtime(at).date() if at else timezone.localdate()


def payable(
    awards: Iterable[Award],
    *,
    rules: Mapping[str, EarningRule],
    earners: set[int],
    paid: set[str],
) -> list[Award]:
    """The awards that may pay: an active rule pays for them, their member earns
    points (not staff or brand accounts), and their key is not in the ledger yet
    (a replay, a second import). ``paid`` gains the keys kept, so a key given
    twice pays once."""
    kept = []
    for award in awards:
        if award.trigger in rules and award.member_id in earners:
            if award.key not in paid:
                paid.add(award.key)
                kept.append(award)
    return kept


def capped_points(rule: EarningRule, multiplier: Decimal, *, earned_so_far: int) -> int:
    """What the rule pays, times the campaign's multiplier (rounded half up), within
    what its daily cap leaves after ``earned_so_far`` points that day."""
    points = int(
        (Decimal(rule.points) * multiplier).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )
    if rule.daily_cap is not None:
        points = min(points, max(rule.daily_cap - earned_so_far, 0))
    return points


def priced(
    awards: Iterable[Award],
    *,
    rules: Mapping[str, EarningRule],
    multipliers: Mapping[int, Decimal],
    earned: MutableMapping[tuple[int, int, datetime.date], int],
) -> list[ledger.Posting]:
    """The postings for payable awards, taken in the order given (time order):
    each rule's points times its campaign's multiplier, within its daily cap.

    ``earned`` holds what each (member, rule, day) earned already, from the
    ledger; it gains what these postings pay. Awards a cap leaves at 0 post nothing.
    """
    postings = []
    for award in awards:
        rule = rules[award.trigger]
        slot = (award.member_id, rule.pk, day_of(award.at))
        points = capped_points(
            rule,
            # An award outside any campaign is paid as it is.
            Decimal(1)
            if award.campaign_id is None
            else multipliers.get(award.campaign_id, Decimal(1)),
            earned_so_far=earned.get(slot, 0),
        )
        earned[slot] = earned.get(slot, 0) + points
        if points > 0:
            postings.append(
                ledger.Posting(
                    member_id=award.member_id,
                    kind=EntryKind.EARN,
                    key=award.key,
                    amount=points,
                    rule=rule,
                    source=award.source,
                    idea_id=award.idea_id,
                    comment_id=award.comment_id,
                    campaign_id=award.campaign_id,
                    memo=award.memo,
                    created_at=award.at,
                )
            )
    return postings
