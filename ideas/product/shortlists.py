"""Shortlists: the product team gathers ideas into named lists, with a note per
idea and a manual order. Every change is audit-logged and sends
``shortlist_changed`` (webhooks listen)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ideas import events, permissions, workflow
from ideas.errors import AlreadyDone, InvalidInput, NotAllowed
from ideas.models import (
    PUBLIC_STATUSES,
    Idea,
    IdeaStatus,
    Shortlist,
    ShortlistEntry,
)
from ideas.statuses import status_in_sentence

if TYPE_CHECKING:
    from cocreate.members.types import User

#: Statuses from which adding to a shortlist may also move the idea to shortlisted:
#: the early ones of the plain status changes the lifecycle allows to shortlisted
#: (the move itself is ``workflow.change_status``).
MAY_BECOME_SHORTLISTED = (IdeaStatus.PUBLISHED, IdeaStatus.UNDER_REVIEW)


def _check(actor: User) -> None:
    if not permissions.can_manage_shortlists(actor):
        raise NotAllowed(_("Only the product team manages shortlists."))


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > 2_000:
        raise InvalidInput(_("Please keep the note under 2,000 characters."))
    return note


def _changed(shortlist: Shortlist, actor: User, action: str, idea: Idea | None) -> None:
    Shortlist.objects.filter(pk=shortlist.pk).update(updated_at=timezone.now())
    log(
        instance=shortlist,
        action=f"cocreate.shortlist.{action}",
        user=actor,
        data={
            "idea": idea.pk if idea else None,
            "idea_title": idea.title if idea else "",
        },
    )
    events.shortlist_changed.send(
        sender=Shortlist, shortlist=shortlist, actor=actor, action=action, idea=idea
    )


@transaction.atomic
def add_idea(
    *,
    actor: User,
    shortlist: Shortlist,
    idea: Idea,
    note: str = "",
    mark_shortlisted: bool = False,
    status_note: str = "",
) -> ShortlistEntry:
    """Put an idea at the end of a shortlist; optionally move it to *shortlisted*
    with a public note in the same transaction (an idea already shortlisted stays
    as it is)."""
    _check(actor)
    note = _clean_note(note)
    shortlist = Shortlist.objects.select_for_update().get(pk=shortlist.pk)
    # The idea's status as stored, not as the caller's copy remembers it.
    idea = Idea.objects.get(pk=idea.pk)
    if idea.status not in PUBLIC_STATUSES or idea.status == IdeaStatus.DUPLICATE:
        raise InvalidInput(
            _("This idea is %s; it cannot go on a shortlist.")
            % status_in_sentence(idea.status)
        )
    move_status = mark_shortlisted and idea.status != IdeaStatus.SHORTLISTED
    if move_status and idea.status not in MAY_BECOME_SHORTLISTED:
        raise InvalidInput(
            _(
                "This idea is %s; it cannot move to shortlisted, so it was not "
                "added. Add it without changing its status instead."
            )
            % status_in_sentence(idea.status)
        )
    if ShortlistEntry.objects.filter(shortlist=shortlist, idea=idea).exists():
        raise AlreadyDone(
            _("“%(idea)s” is already on “%(shortlist)s”.")
            % {"idea": idea.title, "shortlist": shortlist.name}
        )
    last = shortlist.entries.aggregate(last=Max("position"))["last"]
    try:
        with transaction.atomic():
            entry = ShortlistEntry.objects.create(
                shortlist=shortlist,
                idea=idea,
                note=note,
                position=0 if last is None else last + 1,
                added_by=actor,
            )
    except IntegrityError as exc:  # a concurrent add of the same idea
        raise AlreadyDone(
            _("“%(idea)s” is already on “%(shortlist)s”.")
            % {"idea": idea.title, "shortlist": shortlist.name}
        ) from exc
    if move_status:
        # Refuses without a note; the entry above rolls back with it.
        workflow.change_status(
            actor=actor,
            idea=idea,
            new_status=IdeaStatus.SHORTLISTED,
            note=status_note,
        )
    _changed(shortlist, actor, "added", idea)
    return entry


@transaction.atomic
def remove_idea(*, actor: User, shortlist: Shortlist, idea: Idea) -> None:
    """Take an idea off a shortlist; its status stays as it is."""
    _check(actor)
    deleted, _rows = ShortlistEntry.objects.filter(
        shortlist=shortlist, idea=idea
    ).delete()
    if not deleted:
        raise AlreadyDone(_("This idea is not on this shortlist."))
    _changed(shortlist, actor, "removed", idea)


@transaction.atomic
def set_note(
    *, actor: User, shortlist: Shortlist, idea: Idea, note: str
) -> ShortlistEntry:
    _check(actor)
    note = _clean_note(note)
    try:
        entry = ShortlistEntry.objects.select_for_update().get(
            shortlist=shortlist, idea=idea
        )
    except ShortlistEntry.DoesNotExist as exc:
        raise InvalidInput(_("This idea is not on this shortlist.")) from exc
    entry.note = note
    entry.save(update_fields=["note"])
    _changed(shortlist, actor, "noted", idea)
    return entry


@transaction.atomic
def reorder(*, actor: User, shortlist: Shortlist, idea_ids: Sequence[int]) -> None:
    """Set the manual order: ``idea_ids`` lists every idea of the shortlist once."""
    _check(actor)
    shortlist = Shortlist.objects.select_for_update().get(pk=shortlist.pk)
    entries = {e.idea_id: e for e in shortlist.entries.all()}
    if len(idea_ids) != len(set(idea_ids)) or set(idea_ids) != set(entries):
        raise InvalidInput(
            _("The shortlist changed meanwhile; reload the page and try again.")
        )
    for position, idea_id in enumerate(idea_ids):
        entries[idea_id].position = position
    ShortlistEntry.objects.bulk_update(entries.values(), ["position"])
    _changed(shortlist, actor, "reordered", None)


@transaction.atomic
def move(*, actor: User, shortlist: Shortlist, idea: Idea, offset: int) -> None:
    """Move an idea up (negative offset) or down the manual order."""
    _check(actor)
    # Locked before reading the order, so two quick clicks move it twice.
    shortlist = Shortlist.objects.select_for_update().get(pk=shortlist.pk)
    order = list(
        shortlist.entries.order_by("position", "id").values_list("idea_id", flat=True)
    )
    if idea.pk not in order:
        raise InvalidInput(_("This idea is not on this shortlist."))
    index = order.index(idea.pk)
    target = max(0, min(len(order) - 1, index + offset))
    if target == index:
        raise AlreadyDone(_("This idea is already at that end of the list."))
    order.insert(target, order.pop(index))
    reorder(actor=actor, shortlist=shortlist, idea_ids=order)
