"""Freezing a wallet: a member under review for fraud keeps earning but cannot
redeem until staff lift it. Both are audit-logged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from rewards import ledger, permissions
from rewards.errors import InvalidInput, NotAllowed
from rewards.models import Wallet

if TYPE_CHECKING:
    from cocreate.members.types import User


@transaction.atomic
def freeze(*, actor: User, member: User, reason: str) -> Wallet:
    if not permissions.can_adjust_points(actor):
        raise NotAllowed(_("You may not freeze members' points."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Please say why you freeze this member's points."))
    wallet = ledger.lock_wallets([member.pk])[member.pk]
    wallet.frozen_at = timezone.now()
    wallet.frozen_reason = reason[:255]
    wallet.save(update_fields=["frozen_at", "frozen_reason", "updated_at"])
    log(
        instance=wallet,
        action="cocreate.rewards.freeze",
        user=actor,
        data={"reason": reason},
    )
    return wallet


@transaction.atomic
def unfreeze(*, actor: User, member: User) -> Wallet:
    if not permissions.can_adjust_points(actor):
        raise NotAllowed(_("You may not unfreeze members' points."))
    wallet = ledger.lock_wallets([member.pk])[member.pk]
    wallet.frozen_at = None
    wallet.frozen_reason = ""
    wallet.save(update_fields=["frozen_at", "frozen_reason", "updated_at"])
    log(instance=wallet, action="cocreate.rewards.unfreeze", user=actor)
    return wallet


def wallet_of(member: User) -> Wallet:
    """The member's wallet as it stands (an empty one if they never earned)."""
    return Wallet.objects.filter(member=member).select_related("level").first() or (
        Wallet(member=member)
    )
