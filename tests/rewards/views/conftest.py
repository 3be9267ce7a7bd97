"""The rewards and funds the members' pages tests share."""

from __future__ import annotations

import pytest

from rewards import ledger
from rewards.models import (
    Reward,
    RewardKind,
    VoucherCode,
)


@pytest.fixture
def fund(superuser):
    """Give a member points through the ledger, as staff would."""

    def give(member, amount: int) -> None:
        ledger.adjust(
            member=member, amount=amount, memo="Welcome points", actor=superuser
        )

    return give


@pytest.fixture
def voucher(db):
    reward = Reward.objects.create(
        title="10 € voucher", kind=RewardKind.VOUCHER, cost=100
    )
    VoucherCode.objects.create(reward=reward, code="SHOES-1234")
    return reward


@pytest.fixture
def goods(db):
    return Reward.objects.create(
        title="Water bottle", kind=RewardKind.GOODS, cost=200, stock=3
    )


@pytest.fixture
def donation(db):
    return Reward.objects.create(
        title="Plant trees", kind=RewardKind.DONATION, cost=50, cause="Forests Now"
    )


@pytest.fixture
def money(db):
    return Reward.objects.create(title="Cash out", kind=RewardKind.MONEY, cost=500)
