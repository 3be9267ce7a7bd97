"""What the points economy holds about a member, for their download and their
erasure; registered with ``cocreate.privacy`` from ``RewardsConfig.ready``.

Erasure keeps the wallet and every ledger entry (the wallet now belongs to the
former member), so balances, leaderboards' totals and ``rewards_audit`` stay
right; open requests are cancelled through the ledger, and the addresses,
account holders and IBANs of every request are erased.
"""

from __future__ import annotations

from typing import Any

from cocreate.privacy.registry import register_eraser, register_exporter
from rewards import redemptions
from rewards.iban import mask_iban
from rewards.models import (
    OPEN_REDEMPTION_STATUSES,
    Entry,
    MemberBadge,
    Redemption,
    Wallet,
)


def export_points(member: Any) -> dict[str, Any]:
    wallet = Wallet.objects.filter(member=member).select_related("level").first()
    if wallet is None:
        return {"wallet": None, "entries": [], "badges": []}
    return {
        "wallet": {
            "available": wallet.available,
            "held": wallet.held,
            "lifetime_earned": wallet.lifetime_earned,
            "level": wallet.level.i18n.name if wallet.level else None,
            "frozen_at": wallet.frozen_at,
            "frozen_reason": wallet.frozen_reason,
        },
        "entries": [
            {
                "when": entry.created_at,
                "kind": entry.kind,
                "points": entry.amount,
                "held_points": entry.held_amount,
                "reason": entry.memo,
                "source": entry.source,
                "idea": entry.idea_id,
                "comment": entry.comment_id,
                "redemption": entry.redemption_id,
            }
            for entry in Entry.objects.filter(wallet=wallet).order_by(
                "created_at", "pk"
            )
        ],
        "badges": [
            {"badge": award.badge.i18n.name, "when": award.awarded_at}
            for award in MemberBadge.objects.filter(member=member).select_related(
                "badge"
            )
        ],
    }


def export_redemptions(member: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": redemption.pk,
            "reward": redemption.reward.i18n.title,
            "kind": redemption.reward.kind,
            "points": redemption.points,
            "status": redemption.status,
            "requested_at": redemption.created_at,
            "closed_at": redemption.closed_at,
            "shipping_name": redemption.shipping_name,
            "shipping_address": redemption.shipping_address,
            "shipping_postcode": redemption.shipping_postcode,
            "shipping_city": redemption.shipping_city,
            "shipping_country": redemption.shipping_country,
            "account_holder": redemption.account_holder,
            # Never the full number, even to its owner: a zip travels.
            "iban": mask_iban(redemption.iban)
            if redemption.iban
            else redemption.iban_masked,
            "amount_cents": redemption.amount_cents,
            "currency": redemption.currency,
            "note": redemption.note,
            "voucher_code": getattr(getattr(redemption, "voucher", None), "code", None),
        }
        for redemption in Redemption.objects.filter(member=member)
        .select_related("reward", "voucher")
        .order_by("created_at", "pk")
    ]


def erase(member: Any, keep_content: bool) -> None:
    for redemption in Redemption.objects.filter(
        member=member, status__in=OPEN_REDEMPTION_STATUSES
    ):
        redemptions.close_for_erasure(redemption=redemption)
    Redemption.objects.filter(member=member).update(
        shipping_name="",
        shipping_address="",
        shipping_postcode="",
        shipping_city="",
        shipping_country="",
        account_holder="",
        iban="",
        iban_masked="",
    )
    Wallet.objects.filter(member=member).update(frozen_reason="")


def register() -> None:
    register_exporter("points", export_points)
    register_exporter("redemptions", export_redemptions)
    register_eraser("rewards", erase)
