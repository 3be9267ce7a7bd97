"""Voucher pools: the codes a voucher reward hands out, imported from a CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from rewards import permissions
from rewards.errors import (
    InvalidInput,
    NotAllowed,
)
from rewards.models import (
    OPEN_REDEMPTION_STATUSES,
    Redemption,
    Reward,
    RewardKind,
    VoucherCode,
)

if TYPE_CHECKING:
    from cocreate.members.types import User


@dataclass
class ImportResult:
    added: int
    duplicates: int
    waiting: int


@transaction.atomic
def import_voucher_codes(*, actor: User, reward: Reward, csv_text: str) -> ImportResult:
    """Add codes from a CSV (one code per line, first column; a "code" header is
    skipped). Codes already in the pool are counted, not added twice.
    """
    if not permissions.can_import_vouchers(actor):
        raise NotAllowed(_("You may not import voucher codes."))
    if reward.kind != RewardKind.VOUCHER:
        raise InvalidInput(_("Only voucher rewards have a pool of codes."))
    codes: list[str] = []
    for line, row in enumerate(csv.reader(io.StringIO(csv_text)), start=1):
        if not row or not row[0].strip():
            continue
        code = row[0].strip()
        if not codes and code.lower() in ("code", "codes", "voucher"):
            continue
        if len(code) > 120:
            raise InvalidInput(
                _("Line %(line)d: a code has at most 120 characters.") % {"line": line}
            )
        codes.append(code)
    if not codes:
        raise InvalidInput(_("The file holds no code: one code per line, please."))
    reward = Reward.objects.select_for_update().get(pk=reward.pk)
    unique = list(dict.fromkeys(codes))
    known = set(
        VoucherCode.objects.filter(reward=reward, code__in=unique).values_list(
            "code", flat=True
        )
    )
    new = [code for code in unique if code not in known]
    VoucherCode.objects.bulk_create(
        [VoucherCode(reward=reward, code=code) for code in new]
    )
    log(
        instance=reward,
        action="cocreate.rewards.import_codes",
        user=actor,
        data={"added": len(new)},
    )
    waiting = Redemption.objects.filter(
        reward=reward, status__in=OPEN_REDEMPTION_STATUSES
    ).count()
    return ImportResult(
        added=len(new), duplicates=len(codes) - len(new), waiting=waiting
    )
