"""Recompute every wallet from its entries and check the ledger's invariants."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum

from rewards import levels
from rewards.models import (
    EARNING_KINDS,
    OPEN_REDEMPTION_STATUSES,
    Entry,
    EntryKind,
    Redemption,
    RedemptionStatus,
    Wallet,
)


@dataclass
class Discrepancy:
    wallet_id: int | None
    member_id: int | None
    problem: str

    def __str__(self) -> str:
        who = f"wallet {self.wallet_id} (member {self.member_id})"
        return f"{who}: {self.problem}" if self.wallet_id else self.problem


@dataclass
class Report:
    wallets: int = 0
    entries: int = 0
    discrepancies: list[Discrepancy] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.discrepancies

    def summary(self) -> str:
        return f"wallets: {self.wallets}, discrepancies: {len(self.discrepancies)}"


def _check_wallets(report: Report) -> None:
    sums = {
        row["wallet"]: row
        for row in Entry.objects.values("wallet").annotate(
            available=Sum("amount"),
            held=Sum("held_amount"),
            lifetime=Sum("amount", filter=Q(kind__in=EARNING_KINDS)),
            count=Count("id"),
        )
    }
    for wallet in Wallet.objects.order_by("pk").iterator(chunk_size=2000):
        report.wallets += 1
        row = sums.get(wallet.pk, {})
        report.entries += row.get("count", 0)
        expected = {
            "available": row.get("available") or 0,
            "held": row.get("held") or 0,
            "lifetime_earned": row.get("lifetime") or 0,
        }
        for name, value in expected.items():
            cached = getattr(wallet, name)
            if cached != value:
                report.discrepancies.append(
                    Discrepancy(
                        wallet.pk,
                        wallet.member_id,
                        f"{name} is {cached} but its entries sum to {value}",
                    )
                )
            if value < 0:
                report.discrepancies.append(
                    Discrepancy(wallet.pk, wallet.member_id, f"{name} is negative")
                )
        if wallet.level_id != levels.level_id_for(expected["lifetime_earned"]):
            report.discrepancies.append(
                Discrepancy(
                    wallet.pk,
                    wallet.member_id,
                    f"level does not match {expected['lifetime_earned']} points",
                )
            )


def _check_reversals(report: Report) -> None:
    bad = (
        Entry.objects.filter(kind=EntryKind.REVERSAL)
        .filter(
            Q(reverses__isnull=True)
            | ~Q(reverses__kind=EntryKind.EARN)
            | ~Q(reverses__wallet=F("wallet"))
            | Q(amount__gt=0)
            | Q(amount__lt=-F("reverses__amount"))
        )
        .select_related("wallet")
    )
    for entry in bad:
        report.discrepancies.append(
            Discrepancy(
                entry.wallet_id,
                entry.wallet.member_id,
                f"reversal {entry.pk} does not undo one earned entry of its wallet",
            )
        )


def _check_holds(report: Report) -> None:
    entries = defaultdict(list)
    for redemption_id, kind, amount, held in Entry.objects.filter(
        redemption__isnull=False
    ).values_list("redemption_id", "kind", "amount", "held_amount"):
        entries[redemption_id].append((kind, amount, held))
    for redemption in Redemption.objects.select_related("member__wallet").iterator(
        chunk_size=2000
    ):
        lines = entries.pop(redemption.pk, [])
        holds = [line for line in lines if line[0] == EntryKind.HOLD]
        settles = [line for line in lines if line[0] == EntryKind.SETTLE]
        releases = [line for line in lines if line[0] == EntryKind.RELEASE]
        wallet = getattr(redemption.member, "wallet", None)
        where = (wallet.pk if wallet else None, redemption.member_id)
        problems = []
        if len(holds) != 1 or holds[0][2] != redemption.points:
            problems.append("is not held exactly once for its points")
        if redemption.status in OPEN_REDEMPTION_STATUSES and (settles or releases):
            problems.append("is open but its hold was closed")
        if redemption.status == RedemptionStatus.FULFILLED and (
            len(settles) != 1 or releases
        ):
            problems.append("is fulfilled but its hold is not settled once")
        if redemption.status in (
            RedemptionStatus.REJECTED,
            RedemptionStatus.CANCELLED,
        ) and (len(releases) != 1 or settles):
            problems.append("is closed but its hold is not released once")
        for problem in problems:
            report.discrepancies.append(
                Discrepancy(*where, f"redemption {redemption.pk} {problem}")
            )
    for redemption_id in entries:
        report.discrepancies.append(
            Discrepancy(
                None, None, f"entries name a missing redemption {redemption_id}"
            )
        )


def run_audit() -> Report:
    report = Report()
    _check_wallets(report)
    _check_reversals(report)
    _check_holds(report)
    return report
