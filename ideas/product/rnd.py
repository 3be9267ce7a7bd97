"""Promotion into R&D and shipping: the two steps that leave Cocreate for the
product team's own tools, each recorded with where the idea went."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cocreate.members.roles import MODERATORS, PRODUCT_TEAM
from ideas import events, lifecycle, permissions, workflow
from ideas.errors import AlreadyDone, InvalidInput, NotAllowed
from ideas.lifecycle import Action
from ideas.models import Idea, IdeaStatus, Promotion
from ideas.statuses import status_in_sentence

if TYPE_CHECKING:
    from cocreate.members.types import User

#: Statuses an idea can be promoted from.
PROMOTABLE = lifecycle.sources(Action.PROMOTE)


def possible_owners() -> QuerySet[User]:
    """Who may own an idea in R&D: active members of the product team or the
    moderators, and administrators. The one rule: the admin form offers them,
    ``promote`` (so the API too) checks it."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(groups__name=PRODUCT_TEAM)
            | Q(groups__name=MODERATORS)
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("display_name", "pk")
    )


def _check_url(url: str, message: str) -> str:
    url = (url or "").strip()
    if len(url) > 500:  # the columns' length
        raise InvalidInput(_("Please keep links under 500 characters."))
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as exc:
            raise InvalidInput(message) from exc
    return url


def _note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise InvalidInput(
            _("Please write a note: it tells the author and supporters why.")
        )
    return note


@transaction.atomic
def promote(
    *,
    actor: User,
    idea: Idea,
    ticket_key: str,
    ticket_url: str = "",
    owner: User,
    target_date: datetime.date | None = None,
    note: str,
) -> Promotion:
    """Move an idea into R&D, recording its R&D ticket, owner and target date."""
    if not permissions.can_promote(actor):
        raise NotAllowed(_("Only the product team promotes ideas into R&D."))
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.status == IdeaStatus.IN_RND:
        raise AlreadyDone(_("This idea is already in R&D."))
    if idea.status not in PROMOTABLE:
        raise InvalidInput(
            _("This idea is %s; it cannot be promoted into R&D.")
            % status_in_sentence(idea.status)
        )
    ticket_key = (ticket_key or "").strip()
    if not ticket_key:
        raise InvalidInput(_("Please give the R&D ticket, e.g. RND-142."))
    if len(ticket_key) > 60:
        raise InvalidInput(_("Please keep the R&D ticket under 60 characters."))
    ticket_url = _check_url(
        ticket_url, _("The ticket link must be a web address (http or https).")
    )
    if owner is None:
        raise InvalidInput(_("Please choose who owns the idea in R&D."))
    if not owner.is_active:
        raise InvalidInput(
            _("%s can no longer sign in; please choose another owner.")
            % (owner.display_name or _("This member"))
        )
    if not possible_owners().filter(pk=owner.pk).exists():
        raise InvalidInput(
            _(
                "%s is not in the product team or the moderators; please choose "
                "an owner from the brand team."
            )
            % (owner.display_name or _("This member"))
        )
    if target_date is not None and target_date < timezone.localdate():
        raise InvalidInput(_("The target date is in the past."))
    note = _note(note)
    promotion, _created = Promotion.objects.update_or_create(
        idea=idea,
        defaults={
            "ticket_key": ticket_key,
            "ticket_url": ticket_url,
            "owner": owner,
            "target_date": target_date,
            "promoted_by": actor,
            "promoted_at": timezone.now(),
            "product_url": "",
            "shipped_at": None,
            "shipped_by": None,
        },
    )
    workflow.record(
        idea,
        new_status=IdeaStatus.IN_RND,
        action=Action.PROMOTE,
        actor=actor,
        note=note,
    )
    log(
        instance=idea,
        action="cocreate.idea.promote",
        user=actor,
        data={
            "ticket": ticket_key,
            "owner": owner.pk,
            "target_date": target_date.isoformat() if target_date else None,
        },
    )
    events.idea_promoted.send(sender=Idea, idea=idea, actor=actor, promotion=promotion)
    return promotion


@transaction.atomic
def ship(*, actor: User, idea: Idea, product_url: str, note: str) -> Promotion:
    """Mark an idea in R&D shipped, with a link to the product that came of it."""
    if not permissions.can_promote(actor):
        raise NotAllowed(_("Only the product team marks ideas shipped."))
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.status == IdeaStatus.SHIPPED:
        raise AlreadyDone(_("This idea has already shipped."))
    promotion = Promotion.objects.filter(idea=idea).first()
    if idea.status not in lifecycle.sources(Action.SHIP) or promotion is None:
        raise InvalidInput(
            _("Only ideas in R&D can ship: promote this idea into R&D first.")
        )
    product_url = _check_url(
        product_url, _("The product link must be a web address (http or https).")
    )
    if not product_url:
        raise InvalidInput(_("Please give the link to the product."))
    note = _note(note)
    promotion.product_url = product_url
    promotion.shipped_at = timezone.now()
    promotion.shipped_by = actor
    promotion.save(update_fields=["product_url", "shipped_at", "shipped_by"])
    workflow.record(
        idea,
        new_status=IdeaStatus.SHIPPED,
        action=Action.SHIP,
        actor=actor,
        note=note,
    )
    log(
        instance=idea,
        action="cocreate.idea.ship",
        user=actor,
        data={"product_url": product_url},
    )
    events.idea_shipped.send(sender=Idea, idea=idea, actor=actor, promotion=promotion)
    return promotion
