"""Converting points: redeem, then approve, fulfil, reject or cancel.

Redeeming holds the points (available -> held); fulfilment settles the hold (the
points are spent), rejection and cancellation release it (back to available) and
put the item back in stock. Locks are always taken in one order: redemption,
reward, then wallet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from wagtail.log_actions import log

from cocreate import ratelimit
from cocreate.i18n import in_site_language
from cocreate.members.sanctions import refusal
from rewards import ledger, notices, permissions
from rewards.errors import (
    InvalidInput,
    NotAllowed,
    NotEnoughPoints,
    Unavailable,
    WrongState,
)
from rewards.iban import forget_iban, validate_iban
from rewards.models import (
    OPEN_REDEMPTION_STATUSES,
    EntryKind,
    Redemption,
    RedemptionStatus,
    Reward,
    RewardKind,
    RewardSettings,
    VoucherCode,
    Wallet,
)
from rewards.reasons import Reason, RewardTitle

if TYPE_CHECKING:
    from cocreate.members.types import User


@dataclass
class Details:
    """What a member tells us with a redemption, depending on the reward's kind."""

    points: int | None = None  # money: how many points to convert
    shipping_name: str = ""
    shipping_address: str = ""
    shipping_postcode: str = ""
    shipping_city: str = ""
    shipping_country: str = ""
    account_holder: str = ""
    iban: str = ""


def _check_available(reward: Reward, member: User) -> None:
    now = timezone.now()
    if not reward.is_active:
        raise Unavailable(_("“%s” is no longer offered.") % reward.i18n.title)
    if reward.available_from and now < reward.available_from:
        raise Unavailable(
            _("“%(title)s” can be redeemed from %(when)s.")
            % {
                "title": reward.i18n.title,
                "when": formats.date_format(
                    timezone.localtime(reward.available_from), "DATETIME_FORMAT"
                ),
            }
        )
    if reward.available_until and now > reward.available_until:
        raise Unavailable(
            _("“%(title)s” could be redeemed until %(when)s.")
            % {
                "title": reward.i18n.title,
                "when": formats.date_format(
                    timezone.localtime(reward.available_until), "DATETIME_FORMAT"
                ),
            }
        )
    if reward.stock is not None and reward.stock <= 0:
        raise Unavailable(_("“%s” is out of stock.") % reward.i18n.title)
    if reward.limit_per_member is not None:
        taken = (
            Redemption.objects.filter(member=member, reward=reward)
            .exclude(status__in=[RedemptionStatus.REJECTED, RedemptionStatus.CANCELLED])
            .count()
        )
        if taken >= reward.limit_per_member:
            raise Unavailable(
                _("You have reached the limit of %(limit)d for “%(title)s”.")
                % {"limit": reward.limit_per_member, "title": reward.i18n.title}
            )


def _points_and_money(reward: Reward, details: Details) -> tuple[int, int, str]:
    """(points, amount in cents, currency) for this redemption."""
    if reward.kind != RewardKind.MONEY:
        return reward.cost, 0, ""
    config = RewardSettings.load()
    minimum = max(reward.cost, config.money_minimum_points)
    points = details.points
    if points is None or points < minimum:
        raise InvalidInput(
            _("Convert at least %(minimum)d points.") % {"minimum": minimum}
        )
    rate = config.points_per_currency_unit
    return points, points * 100 // rate, config.currency


def _validated(reward: Reward, details: Details) -> Details:
    if reward.kind == RewardKind.GOODS:
        missing = [
            label
            for label, value in [
                (_("name"), details.shipping_name),
                (_("address"), details.shipping_address),
                (_("postcode"), details.shipping_postcode),
                (_("city"), details.shipping_city),
                (_("country"), details.shipping_country),
            ]
            if not value.strip()
        ]
        if missing:
            raise InvalidInput(
                _("We need a shipping address; please add the %s.")
                % ", ".join(str(label) for label in missing)
            )
    if reward.kind == RewardKind.MONEY:
        if not details.account_holder.strip():
            raise InvalidInput(_("Please give the name of the account holder."))
        try:
            details.iban = validate_iban(details.iban)
        except ValidationError as exc:
            raise InvalidInput(exc.messages[0]) from exc
    return details


@transaction.atomic
def redeem(
    *, member: User, reward: Reward, details: Details | None = None
) -> Redemption:
    """Convert points into a reward: hold them and, for a voucher, issue a code.

    Takes a row lock on the reward, so two members racing for the last item queue
    up and exactly one gets it; a refusal writes nothing.
    """
    details = details or Details()
    if not permissions.can_redeem(member):
        raise NotAllowed(refusal(member) or _("Please log in to redeem your points."))
    if not ratelimit.hit("redeem", str(member.pk)):
        raise Unavailable(
            _("You have sent many requests in a short time; please try again later.")
        )
    reward = Reward.objects.select_for_update().get(pk=reward.pk)
    _check_available(reward, member)
    details = _validated(reward, details)
    points, cents, currency = _points_and_money(reward, details)
    wallets = ledger.lock_wallets([member.pk])
    wallet = wallets[member.pk]
    if wallet.is_frozen:
        raise NotAllowed(
            _("Your points are frozen: %(reason)s. Please contact the team.")
            % {"reason": wallet.frozen_reason or _("under review")}
        )
    if wallet.available < points:
        raise NotEnoughPoints(
            _("“%(title)s” costs %(cost)d points and you have %(available)d available.")
            % {
                "title": reward.i18n.title,
                "cost": points,
                "available": wallet.available,
            }
        )
    redemption = Redemption.objects.create(
        member=member,
        reward=reward,
        points=points,
        shipping_name=details.shipping_name.strip(),
        shipping_address=details.shipping_address.strip(),
        shipping_postcode=details.shipping_postcode.strip(),
        shipping_city=details.shipping_city.strip(),
        shipping_country=details.shipping_country.strip(),
        account_holder=details.account_holder.strip(),
        iban=details.iban,
        amount_cents=cents,
        currency=currency,
    )
    ledger.post(
        wallets,
        [
            ledger.Posting(
                member_id=member.pk,
                kind=EntryKind.HOLD,
                key=f"hold:{redemption.pk}",
                amount=-points,
                held_amount=points,
                redemption=redemption,
                memo=Reason(gettext_noop("Held for %s"), (RewardTitle(reward),)),
            )
        ],
    )
    if reward.stock is not None:
        Reward.objects.filter(pk=reward.pk).update(stock=F("stock") - 1)
        reward.stock -= 1
    if reward.kind == RewardKind.VOUCHER:
        code = _draw_code(reward)
        if code is not None:
            _issue(redemption, code, wallets)
    return redemption


def _draw_code(reward: Reward) -> VoucherCode | None:
    """The oldest unissued code; the caller holds the reward's lock."""
    return (
        VoucherCode.objects.filter(reward=reward, redemption__isnull=True)
        .order_by("id")
        .first()
    )


def _issue(
    redemption: Redemption, code: VoucherCode, wallets: dict[int, Wallet]
) -> None:
    code.redemption = redemption
    code.issued_at = timezone.now()
    code.save(update_fields=["redemption", "issued_at"])
    _settle(redemption, wallets)
    redemption.status = RedemptionStatus.FULFILLED
    redemption.closed_at = timezone.now()
    redemption.save(update_fields=["status", "closed_at"])


def _settle(redemption: Redemption, wallets: dict[int, Wallet]) -> None:
    ledger.post(
        wallets,
        [
            ledger.Posting(
                member_id=redemption.member_id,
                kind=EntryKind.SETTLE,
                key=f"settle:{redemption.pk}",
                held_amount=-redemption.points,
                redemption=redemption,
                memo=Reason(
                    gettext_noop("Spent on %s"), (RewardTitle(redemption.reward),)
                ),
            )
        ],
    )


def _release(redemption: Redemption, wallets: dict[int, Wallet], memo: str) -> None:
    ledger.post(
        wallets,
        [
            ledger.Posting(
                member_id=redemption.member_id,
                kind=EntryKind.RELEASE,
                key=f"release:{redemption.pk}",
                amount=redemption.points,
                held_amount=-redemption.points,
                redemption=redemption,
                memo=memo,
            )
        ],
    )
    Reward.objects.filter(pk=redemption.reward_id, stock__isnull=False).update(
        stock=F("stock") + 1
    )


def _locked(redemption: Redemption) -> tuple[Redemption, dict[int, Wallet]]:
    redemption = (
        Redemption.objects.select_for_update(of=("self",))
        .select_related("reward", "member")
        .get(pk=redemption.pk)
    )
    Reward.objects.select_for_update().filter(pk=redemption.reward_id).first()
    return redemption, ledger.lock_wallets([redemption.member_id])


def _refuse_frozen(wallet: Wallet) -> None:
    """A member under review is not paid: approval and payout wait for the unfreeze
    (a refusal or a cancellation stays possible)."""
    if wallet.is_frozen:
        raise WrongState(
            _("This member's points are frozen (%s): unfreeze them first.")
            % (wallet.frozen_reason or _("under review"))
        )


def _check_staff(actor: User, redemption: Redemption | None = None) -> None:
    if not permissions.can_manage_redemptions(actor):
        raise NotAllowed(_("You may not manage redemptions."))
    if redemption is not None and redemption.member_id == actor.pk:
        raise NotAllowed(_("Someone else in the team decides on your own requests."))


def _close(redemption: Redemption, status: str, actor: User, note: str) -> None:
    redemption.status = status
    redemption.closed_at = timezone.now()
    redemption.decided_by = actor
    redemption.note = note[:255]
    fields = ["status", "closed_at", "decided_by", "note", *forget_iban(redemption)]
    redemption.save(update_fields=fields)


@transaction.atomic
def approve(*, actor: User, redemption: Redemption, note: str = "") -> Redemption:
    """Accept a waiting redemption; it is fulfilled later (shipped, paid, donated)."""
    _check_staff(actor, redemption)
    redemption, wallets = _locked(redemption)
    _refuse_frozen(wallets[redemption.member_id])
    if redemption.status != RedemptionStatus.PENDING:
        raise WrongState(
            _("Only waiting redemptions can be approved; this one is %s.")
            % redemption.get_status_display().lower()
        )
    redemption.status = RedemptionStatus.APPROVED
    redemption.decided_by = actor
    redemption.note = note[:255]
    redemption.save(update_fields=["status", "decided_by", "note"])
    log(instance=redemption, action="cocreate.rewards.approve", user=actor)
    notices.redemption_changed(redemption)
    return redemption


@transaction.atomic
def fulfil(*, actor: User, redemption: Redemption, note: str = "") -> Redemption:
    """Deliver: the held points are spent. A voucher draws a code from its pool."""
    _check_staff(actor, redemption)
    redemption, wallets = _locked(redemption)
    if redemption.status not in OPEN_REDEMPTION_STATUSES:
        raise WrongState(
            _("This redemption is already %s.")
            % redemption.get_status_display().lower()
        )
    _refuse_frozen(wallets[redemption.member_id])
    if redemption.reward.kind == RewardKind.MONEY and redemption.exported_at is None:
        raise WrongState(
            _("Payout %d has not been exported for payment yet.") % redemption.pk
        )
    if redemption.reward.kind == RewardKind.VOUCHER:
        code = _draw_code(redemption.reward)
        if code is None:
            raise WrongState(
                _("No voucher code is left for “%s”; import codes first.")
                % redemption.reward.title
            )
        _issue(redemption, code, wallets)
        redemption.decided_by = actor
        redemption.note = note[:255]
        redemption.save(update_fields=["decided_by", "note"])
    else:
        _settle(redemption, wallets)
        _close(redemption, RedemptionStatus.FULFILLED, actor, note)
    log(instance=redemption, action="cocreate.rewards.fulfil", user=actor)
    notices.redemption_changed(redemption)
    return redemption


@transaction.atomic
def reject(*, actor: User, redemption: Redemption, note: str) -> Redemption:
    """Refuse: the points go back to the member and the item back in stock."""
    _check_staff(actor, redemption)
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Please tell the member why their request is refused."))
    redemption, wallets = _locked(redemption)
    if redemption.status not in OPEN_REDEMPTION_STATUSES:
        raise WrongState(
            _("This redemption is already %s.")
            % redemption.get_status_display().lower()
        )
    _release(redemption, wallets, _("Returned: %s was refused") % redemption.reward)
    _close(redemption, RedemptionStatus.REJECTED, actor, note)
    log(
        instance=redemption,
        action="cocreate.rewards.reject",
        user=actor,
        data={"note": note},
    )
    notices.redemption_changed(redemption)
    return redemption


@transaction.atomic
def cancel(*, actor: User, redemption: Redemption, note: str = "") -> Redemption:
    """The member takes back a waiting request (staff may cancel any open one,
    with a note the member reads)."""
    staff = permissions.can_manage_redemptions(actor)
    if not staff and not (
        permissions.is_member(actor) and redemption.member_id == actor.pk
    ):
        raise NotAllowed(_("You can only cancel your own requests."))
    redemption, wallets = _locked(redemption)
    allowed = OPEN_REDEMPTION_STATUSES if staff else (RedemptionStatus.PENDING,)
    if redemption.status not in allowed:
        raise WrongState(
            _("This request is %s and can no longer be cancelled.")
            % redemption.get_status_display().lower()
        )
    _release(redemption, wallets, _("Returned: %s was cancelled") % redemption.reward)
    _close(redemption, RedemptionStatus.CANCELLED, actor, note)
    if staff and redemption.member_id != actor.pk:
        log(
            instance=redemption,
            action="cocreate.rewards.cancel",
            user=actor,
            data={"note": note},
        )
        notices.redemption_changed(redemption)
    return redemption


@transaction.atomic
def close_for_erasure(*, redemption: Redemption) -> Redemption:
    """An open request of a member whose account is being erased: cancelled, its
    points released through the ledger (so the audit stays right), nobody
    notified (the account is going). Called by ``rewards.privacy`` only."""
    redemption, wallets = _locked(redemption)
    if redemption.status not in OPEN_REDEMPTION_STATUSES:
        return redemption
    memo = Reason(
        gettext_noop("Returned: %s was cancelled"), (RewardTitle(redemption.reward),)
    )
    with in_site_language():
        note = _("Cancelled: the account was erased.")
    _release(redemption, wallets, memo)
    redemption.status = RedemptionStatus.CANCELLED
    redemption.closed_at = timezone.now()
    redemption.note = note
    fields = ["status", "closed_at", "note", *forget_iban(redemption)]
    redemption.save(update_fields=fields)
    return redemption
