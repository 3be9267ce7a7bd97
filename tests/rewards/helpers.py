"""Helpers the rewards tests share."""

from django.db import transaction

from rewards import ledger
from rewards.models import EntryKind


def earn(member, amount: int) -> None:
    """Lifetime points through the ledger, so the wallet's level follows."""
    with transaction.atomic():
        wallets = ledger.lock_wallets([member.pk])
        ledger.post(
            wallets,
            [
                ledger.Posting(
                    member_id=member.pk,
                    kind=EntryKind.EARN,
                    key=f"test:{member.pk}:{amount}",
                    amount=amount,
                )
            ],
        )
