"""Helpers the members' rewards pages tests share."""

from __future__ import annotations

import datetime
import itertools

from django.db import transaction
from django.urls import reverse

from rewards import ledger, wallets
from rewards.models import (
    Entry,
    EntryKind,
    Reward,
)

ADDRESS = {
    "shipping_name": "Alice Martin",
    "shipping_address": "12 rue des Lilas",
    "shipping_postcode": "69001",
    "shipping_city": "Lyon",
    "shipping_country": "France",
}


def available(member) -> int:
    return wallets.wallet_of(member).available


def held(member) -> int:
    return wallets.wallet_of(member).held


def redeem_url(reward: Reward) -> str:
    return reverse("rewards:redeem", args=[reward.pk])


_keys = itertools.count(1)


def earn(
    member,
    points: int,
    *,
    at: datetime.datetime | None = None,
    campaign_id: int | None = None,
    idea_id: int | None = None,
) -> Entry:
    """Points earned (they count toward levels and leaderboards), written through
    the ledger as an earning rule would, at a chosen time."""
    with transaction.atomic():
        wallets_ = ledger.lock_wallets([member.pk])
        (entry,) = ledger.post(
            wallets_,
            [
                ledger.Posting(
                    member_id=member.pk,
                    kind=EntryKind.EARN,
                    key=f"test-earn:{next(_keys)}",
                    amount=points,
                    memo="Earned in a test",
                    campaign_id=campaign_id,
                    idea_id=idea_id,
                    created_at=at,
                )
            ],
        )
    return entry
