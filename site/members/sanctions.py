"""Sanctions: warn, suspend until a date, ban; lifted by a moderator; all recorded
and written to Wagtail's audit log. A suspension blocks every public change
(posting, supporting, commenting, following, the display name and avatar) and
redeeming; a ban also closes the account."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cocreate.members import events, permissions
from cocreate.members.models import Sanction, SanctionKind, User

if TYPE_CHECKING:
    from cocreate.members.types import Actor


class SanctionError(Exception):
    """``str(error)`` is a sentence the moderator reads."""


def _check(actor: User, member: User, reason: str) -> str:
    if not permissions.can_sanction(actor):
        raise SanctionError(_("You may not sanction members."))
    if member.pk == actor.pk:
        raise SanctionError(_("You cannot sanction yourself."))
    if member.is_superuser:
        raise SanctionError(_("Administrators cannot be sanctioned here."))
    reason = (reason or "").strip()
    if not reason:
        raise SanctionError(_("Please give a reason: the member will read it."))
    return reason


def _sync(member: User) -> None:
    """Set the member's cached suspension from their active sanctions."""
    active = [
        sanction
        for sanction in Sanction.objects.filter(
            member=member,
            lifted_at__isnull=True,
            kind__in=[SanctionKind.SUSPENSION, SanctionKind.BAN],
        )
        if sanction.is_active
    ]
    banned = any(s.kind == SanctionKind.BAN for s in active)
    ends = [
        s.until
        for s in active
        if s.kind == SanctionKind.SUSPENSION and s.until is not None
    ]
    member.suspended_until = max(ends) if ends else None
    member.is_active = not banned
    User.objects.filter(pk=member.pk).update(
        suspended_until=member.suspended_until, is_active=member.is_active
    )


@transaction.atomic
def sanction(
    *,
    actor: User,
    member: User,
    kind: str,
    reason: str,
    until: datetime.datetime | None = None,
) -> Sanction:
    """Record a warning, a suspension (``until`` in the future) or a ban."""
    reason = _check(actor, member, reason)
    if kind not in SanctionKind.values:
        raise SanctionError(_("Unknown kind of sanction."))
    if kind == SanctionKind.SUSPENSION:
        if until is None or until <= timezone.now():
            raise SanctionError(_("A suspension needs an end in the future."))
    else:
        until = None
    member = User.objects.select_for_update().get(pk=member.pk)
    record = Sanction.objects.create(
        member=member, kind=kind, reason=reason, until=until, actor=actor
    )
    _sync(member)
    log(
        instance=member,
        action=f"cocreate.member.{kind}",
        user=actor,
        data={"reason": reason, "until": until.isoformat() if until else None},
    )
    events.member_sanctioned.send(sender=Sanction, sanction=record)
    return record


@transaction.atomic
def lift(*, actor: User, sanction_record: Sanction, note: str = "") -> Sanction:
    if not permissions.can_sanction(actor):
        raise SanctionError(_("You may not lift sanctions."))
    record = Sanction.objects.select_for_update().get(pk=sanction_record.pk)
    if record.lifted_at is not None:
        raise SanctionError(_("This sanction was already lifted."))
    record.lifted_at = timezone.now()
    record.lifted_by = actor
    record.lift_note = (note or "").strip()[:255]
    record.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
    member = User.objects.select_for_update().get(pk=record.member_id)
    _sync(member)
    log(instance=member, action="cocreate.member.lift", user=actor)
    return record


def refusal(user: Actor | None) -> str | None:
    """Why this member may not take part right now, in words; None if they may."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_suspended:
        return _("Your account is suspended until %(until)s.") % {
            "until": formats.date_format(
                timezone.localtime(user.suspended_until), "DATETIME_FORMAT"
            )
        }
    return None
