"""Supporting ideas: one support per member per idea, counted exactly once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from cocreate import ratelimit
from cocreate.members.consents import require_current_terms
from cocreate.members.sanctions import refusal
from ideas import events, permissions, trending, workflow
from ideas.errors import AlreadyDone, NotAllowed, RateLimited
from ideas.models import Idea, IdeaStatus, Support
from ideas.ranking import hot_score

if TYPE_CHECKING:
    from cocreate.members.types import User


#: What a support never reads of its idea (the button, the points and the live
#: update show counts, status and title): left in the table, not sent each time.
LONG_TEXTS = ("description", "description_html", "hidden_reason")


def _refusal(member: User, idea: Idea) -> str:
    if not permissions.is_member(member):
        return _("Please log in to support ideas.")
    if suspended := refusal(member):
        return suspended
    if idea.author_id == member.pk:
        return _("You cannot support your own idea.")
    return _("This idea is not open for support.")


def _set_supports(idea: Idea, delta: int, *, recent: int) -> Idea:
    """Move the counter, the hot score and the week's supports (by ``recent``)
    together, in one UPDATE; the caller holds the row lock."""
    new_count = max(idea.supports_count + delta, 0)
    Idea.objects.filter(pk=idea.pk).update(
        supports_count=F("supports_count") + delta,
        hot_score=hot_score(new_count, idea.created_at),
        recent_supports=F("recent_supports") + recent,
    )
    idea.supports_count = new_count
    idea.hot_score = hot_score(new_count, idea.created_at)
    idea.recent_supports = max(idea.recent_supports + recent, 0)
    return idea


@transaction.atomic
def support(*, member: User, idea: Idea) -> Support:
    """Support an idea.

    Only ``idea.pk`` of the argument is used: the idea is read once, under a row
    lock (SELECT FOR UPDATE), so concurrent supports queue up. The support's
    ``idea`` carries the new counts and hot score, so callers render and
    broadcast without reading again. The unique constraint refuses a member's
    second support; its error rolls this whole transaction back.
    """
    if not ratelimit.hit("support", str(getattr(member, "pk", ""))):
        raise RateLimited(_("Too many supports in a short time; please slow down."))
    idea = (
        Idea.objects.select_for_update(of=("self",))
        .defer(*LONG_TEXTS)
        .annotate(threshold=F("campaign__support_threshold"))
        .get(pk=idea.pk)
    )
    if not permissions.can_support(member, idea):
        raise NotAllowed(_refusal(member, idea))
    require_current_terms(member)
    try:
        created = Support.objects.create(idea=idea, member=member)
    except IntegrityError as exc:
        raise AlreadyDone(_("You already support this idea.")) from exc
    trending.count_support(idea.pk, trending.support_day(created.created_at))
    _set_supports(idea, +1, recent=+1)
    events.idea_supported.send(sender=Idea, idea=idea, support=created, member=member)
    # Supports arrive one at a time: the one that reaches the threshold moves the
    # idea; an idea the team moved back to published is not moved again.
    if (
        idea.threshold
        and idea.status == IdeaStatus.PUBLISHED
        and idea.supports_count == idea.threshold
    ):
        workflow.reach_threshold(idea, idea.threshold)
    return created


@transaction.atomic
def withdraw_support(*, member: User, idea: Idea) -> Idea:
    """Take a support back; the counter and hot score drop in the same transaction."""
    if not ratelimit.hit("support", str(getattr(member, "pk", ""))):
        raise RateLimited(_("Too many supports in a short time; please slow down."))
    if not permissions.is_member(member):
        raise NotAllowed(_("Please log in to support ideas."))
    idea = Idea.objects.select_for_update().defer(*LONG_TEXTS).get(pk=idea.pk)
    existing = Support.objects.filter(idea=idea, member=member).first()
    if existing is None:
        raise AlreadyDone(_("You do not support this idea."))
    support_id = existing.pk
    existing.delete()
    # A support of a day that left the window is no longer in the week's sum.
    counted = trending.uncount_support(
        idea.pk, trending.support_day(existing.created_at)
    )
    _set_supports(idea, -1, recent=-1 if counted else 0)
    events.support_withdrawn.send(
        sender=Idea, idea=idea, member=member, support_id=support_id
    )
    return idea
