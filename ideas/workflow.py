"""The status workflow: the brand team moves ideas along, always with a public note,
and a campaign's support threshold moves an idea to review by itself.

Every change, whichever service makes it, goes through ``record``: checked against
the lifecycle's table (``ideas.lifecycle``), recorded as a ``StatusChange`` (the
idea page's timeline) and announced with ``idea_status_changed``, once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cocreate.i18n import in_site_language
from cocreate.markup import render_markdown
from ideas import events, lifecycle, permissions
from ideas.errors import AlreadyDone, InvalidInput, NotAllowed
from ideas.lifecycle import Action
from ideas.models import Idea, IdeaStatus, StatusChange
from ideas.statuses import status_in_sentence

if TYPE_CHECKING:
    from cocreate.members.types import User

#: Statuses the brand team moves ideas between by a plain status change. Pending,
#: hidden and duplicate have their own services (moderation and merges).
WORKFLOW_STATUSES = lifecycle.sources(Action.CHANGE_STATUS)
#: Statuses a plain status change may move an idea to. Going into R&D and shipping
#: record where the idea went, so they have their own services (``product.rnd``).
MANUAL_STATUSES = lifecycle.targets(Action.CHANGE_STATUS)


def record(
    idea: Idea, *, new_status: str, action: Action, actor: User | None, note: str
) -> StatusChange:
    """Write the new status, its timeline entry and its event, if the lifecycle
    allows ``action`` to move the idea from its status to ``new_status``.

    Every status change goes through here. The caller holds the idea's row lock
    (``idea.status`` is the stored one) and sends nothing else for the move.
    """
    old_status = idea.status
    lifecycle.check(old=old_status, new=new_status, action=action, actor=actor)
    now = timezone.now()
    Idea.objects.filter(pk=idea.pk).update(status=new_status, status_changed_at=now)
    idea.status = new_status
    idea.status_changed_at = now
    change = StatusChange.objects.create(
        idea=idea,
        old_status=old_status,
        new_status=new_status,
        actor=actor,
        note=note,
        note_html=render_markdown(note) if note else "",
        created_at=now,
    )
    events.idea_status_changed.send(
        sender=Idea,
        idea=idea,
        old_status=old_status,
        new_status=new_status,
        actor=actor,
        note=note,
        status_change=change,
    )
    return change


def _use_instead(new_status: str) -> str:
    """The action the brand team uses for a status a plain change cannot reach."""
    hints = {
        Action.PROMOTE: _(
            "Use “Promote into R&D”: it records the R&D ticket, its owner and "
            "the target date."
        ),
        Action.SHIP: _(
            "Use “Mark shipped”: it records the link to the product that came of it."
        ),
    }
    for action in lifecycle.actions_to(new_status):
        if action in hints:
            return hints[action]
    return ""


@transaction.atomic
def change_status(
    *, actor: User, idea: Idea, new_status: str, note: str
) -> StatusChange:
    """Move an idea to another workflow status with a public note."""
    if not permissions.can_change_status(actor):
        raise NotAllowed(_("Only the brand team can change an idea's status."))
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if new_status not in MANUAL_STATUSES:
        raise InvalidInput(
            _use_instead(new_status)
            or _("Ideas cannot be moved to this status by hand.")
        )
    if idea.status not in WORKFLOW_STATUSES:
        raise InvalidInput(
            _("This idea is %s; its status cannot change now.")
            % status_in_sentence(idea.status)
        )
    if idea.status == new_status:
        raise AlreadyDone(
            _("This idea is already %s.") % status_in_sentence(new_status)
        )
    note = (note or "").strip()
    if not note:
        raise InvalidInput(
            _("Please write a note: it tells the author and supporters why.")
        )
    old_status = idea.status
    change = record(
        idea,
        new_status=new_status,
        action=Action.CHANGE_STATUS,
        actor=actor,
        note=note,
    )
    log(
        instance=idea,
        action="cocreate.idea.status",
        user=actor,
        data={"old": old_status, "new": new_status, "note": note},
    )
    return change


@in_site_language()
def reach_threshold(idea: Idea, threshold: int) -> StatusChange:
    """Called by ``voting.support`` under the idea's lock when supports reach the
    campaign's threshold: the idea goes to review and the brand team is alerted."""
    return record(
        idea,
        new_status=IdeaStatus.UNDER_REVIEW,
        action=Action.REACH_THRESHOLD,
        actor=None,
        note=_("This idea reached %(count)d supports: the brand team reviews it now.")
        % {"count": threshold},
    )
