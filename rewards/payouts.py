"""Money payouts: the bank file of approved cash-outs, and marking them paid."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cocreate.spreadsheets import neutralise
from rewards import permissions
from rewards.errors import (
    InvalidInput,
    NotAllowed,
)
from rewards.models import (
    Redemption,
    RedemptionStatus,
    RewardKind,
)
from rewards.redemptions import fulfil

if TYPE_CHECKING:
    from cocreate.members.types import User

PAYOUT_COLUMNS = [
    "redemption",
    "requested",
    "member",
    "email",
    "account_holder",
    "iban",
    "amount",
    "currency",
    "points",
]


def payout_rows(redemptions: Iterable[Redemption]) -> Iterator[list[str]]:
    yield PAYOUT_COLUMNS
    for redemption in redemptions:
        yield [
            str(redemption.pk),
            redemption.created_at.isoformat(),
            redemption.member.public_name,
            redemption.member.email,
            redemption.account_holder,
            redemption.iban,
            f"{redemption.amount_cents // 100}.{redemption.amount_cents % 100:02d}",
            redemption.currency,
            str(redemption.points),
        ]


@transaction.atomic
def export_payouts(*, actor: User) -> tuple[str, int]:
    """CSV of approved money payouts not exported yet, for the finance team; stamps
    them exported, so a second export never lists (and pays) them again.

    The file carries full account numbers, so only staff who manage redemptions
    get it and each export is written to the audit log.
    """
    if not permissions.can_manage_redemptions(actor):
        raise NotAllowed(_("You may not manage redemptions."))
    redemptions = list(
        Redemption.objects.select_for_update(of=("self",))
        .filter(
            reward__kind=RewardKind.MONEY,
            status=RedemptionStatus.APPROVED,
            exported_at__isnull=True,
            member__wallet__frozen_at__isnull=True,  # members under review wait
        )
        .select_related("member")
        .order_by("created_at", "id")
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in payout_rows(redemptions):
        writer.writerow([neutralise(cell) for cell in row])
    now = timezone.now()
    Redemption.objects.filter(pk__in=[r.pk for r in redemptions]).update(
        exported_at=now
    )
    for redemption in redemptions:
        log(instance=redemption, action="cocreate.rewards.export_payout", user=actor)
    return buffer.getvalue(), len(redemptions)


@transaction.atomic
def mark_paid(*, actor: User, redemptions: Iterable[Redemption]) -> int:
    """Mark exported payouts as paid: their held points are settled and their IBANs
    erased, the masked form kept (the bank file has them; we need them no more)."""
    if not permissions.can_manage_redemptions(actor):
        raise NotAllowed(_("You may not manage redemptions."))
    count = 0
    for redemption in redemptions:
        if redemption.reward.kind != RewardKind.MONEY:
            raise InvalidInput(_("Only money payouts are marked paid."))
        fulfil(actor=actor, redemption=redemption, note=_("Paid"))
        count += 1
    return count
