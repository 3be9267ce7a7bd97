"""Helpers the redemption tests share."""

from __future__ import annotations

from rewards.models import (
    Reward,
    RewardKind,
)
from rewards.redemptions import Details
from tests.rewards.conftest import make_reward, wallet

IBAN = "DE89 3704 0044 0532 0130 00"


ADDRESS = Details(
    shipping_name="Bob Martin",
    shipping_address="12 rue des Lilas",
    shipping_postcode="59000",
    shipping_city="Lille",
    shipping_country="France",
)


def balances(member) -> tuple[int, int]:
    stored = wallet(member)
    return stored.available, stored.held


def stock(reward: Reward) -> int | None:
    return Reward.objects.get(pk=reward.pk).stock


def money(**fields) -> Reward:
    fields.setdefault("title", "Cash back")
    return make_reward(kind=RewardKind.MONEY, cost=100, **fields)
