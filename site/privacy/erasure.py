"""Erasing a member's account: asked for, cancellable during a grace period, then
carried out by ``manage.py apply_erasures`` (daily) or at once by staff.

The member row is never deleted (ideas, comments, wallets and ledger entries
protect it): every registered eraser removes or pseudonymises what its app holds,
then the row itself becomes "former member #N", inactive, with an unusable
password and a placeholder email no one can receive.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cocreate.images import delete_on_commit
from cocreate.members import staff_security
from cocreate.members.models import User
from cocreate.privacy import account_data, emails, exports, permissions
from cocreate.privacy.errors import NotAllowed, PrivacyError
from cocreate.privacy.models import DataExport, Erasure
from cocreate.privacy.names import former_member_name
from cocreate.privacy.registry import erasers

logger = logging.getLogger(__name__)

ERASED_EMAIL_DOMAIN = "erased.invalid"  # RFC 2606: never delivered


def grace_period() -> datetime.timedelta:
    return datetime.timedelta(days=settings.COCREATE_ERASURE_GRACE_DAYS)


def scheduled_erasure(member: User) -> Erasure | None:
    return Erasure.objects.filter(
        member=member, cancelled_at__isnull=True, completed_at__isnull=True
    ).first()


def is_erased(member: User) -> bool:
    return Erasure.objects.filter(member=member, completed_at__isnull=False).exists()


def _check(actor: User, member: User) -> bool:
    """True when staff act for the member; raises when nobody may."""
    if actor.pk == member.pk and permissions.is_member(actor):
        return False
    if permissions.can_handle_requests(actor):
        return True
    raise NotAllowed(_("You may not erase this account."))


def _is_staff_account(member: User) -> bool:
    """May open the admin, or is a superuser: its erasure could take the brand
    team's access with it, so only a superuser erases it for someone else."""
    return member.is_superuser or member.is_staff or staff_security.is_staff(member)


@transaction.atomic
def request_erasure(
    *,
    member: User,
    actor: User,
    keep_content: bool,
    at_once: bool = False,
    reference: str = "",
) -> Erasure:
    """Schedule the erasure after the grace period. Staff may erase at once
    (``at_once``) a request received by email, once they checked who sent it."""
    staff = _check(actor, member)
    if staff and not actor.is_superuser and _is_staff_account(member):
        raise NotAllowed(
            _(
                "This is a staff account (or a superuser's): only a superuser may "
                "erase it. Ask one to do it, or to remove its staff rights first."
            )
        )
    member = User.objects.select_for_update().get(pk=member.pk)
    if is_erased(member):
        raise PrivacyError(_("This account is erased already."))
    if scheduled_erasure(member) is not None:
        raise PrivacyError(_("An erasure of this account is already scheduled."))
    if at_once and not staff:
        raise NotAllowed(_("The erasure waits for the grace period."))
    now = timezone.now()
    erasure = Erasure.objects.create(
        member=member,
        requested_by=actor if staff else None,
        keep_content=keep_content,
        requested_at=now,
        due_at=now if at_once else now + grace_period(),
    )
    if staff:
        log(
            instance=erasure,
            action="cocreate.privacy.erasure_scheduled",
            user=actor,
            data={
                "member": member.pk,
                "keep_content": keep_content,
                "at_once": at_once,
                "reference": reference[:120],
            },
        )
    if at_once:
        return erase(erasure=erasure, actor=actor)
    transaction.on_commit(
        lambda: emails.send(
            member,
            "erasure_scheduled",
            {"due_at": erasure.due_at, "keep_content": keep_content},
        )
    )
    return erasure


@transaction.atomic
def cancel_erasure(*, member: User, actor: User, reference: str = "") -> Erasure:
    staff = _check(actor, member)
    erasure = (
        Erasure.objects.select_for_update()
        .filter(member=member, cancelled_at__isnull=True, completed_at__isnull=True)
        .first()
    )
    if erasure is None:
        raise PrivacyError(_("No erasure of this account is scheduled."))
    erasure.cancelled_at = timezone.now()
    erasure.save(update_fields=["cancelled_at"])
    if staff:
        log(
            instance=erasure,
            action="cocreate.privacy.erasure_cancelled",
            user=actor,
            data={"member": member.pk, "reference": reference[:120]},
        )
    return erasure


@transaction.atomic
def erase(*, erasure: Erasure, actor: User | None = None) -> Erasure:
    """Carry out a scheduled erasure, all of it or nothing. Run again on an
    erased account, it does nothing."""
    erasure = Erasure.objects.select_for_update().get(pk=erasure.pk)
    if not erasure.is_scheduled:
        return erasure
    member = User.objects.select_for_update().get(pk=erasure.member_id)
    for eraser in erasers().values():
        eraser(member, erasure.keep_content)
    account_data.erase_account_data(member, erasure.keep_content)
    for export in DataExport.objects.filter(member=member).exclude(file_name=""):
        transaction.on_commit(partial(exports.delete_file, export), robust=True)
    _anonymise(member)
    erasure.completed_at = timezone.now()
    erasure.save(update_fields=["completed_at"])
    log(
        instance=erasure,
        action="cocreate.privacy.erased",
        user=actor,
        data={"member": erasure.member_id, "keep_content": erasure.keep_content},
    )
    return erasure


def _anonymise(member: User) -> None:
    delete_on_commit(member.avatar)
    member.avatar = ""
    member.email = f"former-member-{member.pk}@{ERASED_EMAIL_DOMAIN}"
    member.display_name = former_member_name(member)
    member.first_name = ""
    member.last_name = ""
    member.contact_consent = False
    member.research_consent = False
    member.marketing_consent = False
    member.is_active = False
    member.is_staff = False
    member.is_superuser = False
    member.last_login = None
    member.set_unusable_password()
    member.save()
    member.groups.clear()
    member.user_permissions.clear()


def apply_due(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Erase every account whose grace period ended, each in its own
    transaction: one that fails (logged) never stops the others. Returns how
    many were erased and how many failed."""
    now = now or timezone.now()
    done = failed = 0
    due = Erasure.objects.filter(
        cancelled_at__isnull=True, completed_at__isnull=True, due_at__lte=now
    ).order_by("due_at", "pk")
    for erasure in list(due):
        try:
            erase(erasure=erasure)
        except Exception:  # noqa: BLE001 - logged; the next run tries again
            logger.exception("Erasure %s failed", erasure.pk)
            failed += 1
        else:
            done += 1
    return done, failed
