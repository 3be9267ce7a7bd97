"""The funded wallets and requests the redemption tests share."""

from __future__ import annotations

import pytest

from rewards import redemptions
from rewards.models import (
    RewardKind,
)
from rewards.redemptions import Details
from tests.rewards.conftest import give, make_reward
from tests.rewards.redemptions.helpers import ADDRESS, IBAN, money


@pytest.fixture
def funded(bob, staff):
    """Bob has 100 points to spend."""
    give(bob, 100, actor=staff)
    return bob


# Transitions --------------------------------------------------------------------
@pytest.fixture
def pending(funded):
    reward = make_reward(kind=RewardKind.GOODS, cost=40, stock=3)
    return redemptions.redeem(member=funded, reward=reward, details=ADDRESS)


# Money payouts -------------------------------------------------------------------
@pytest.fixture
def payout(funded, staff):
    give(funded, 1400, actor=staff)
    redemption = redemptions.redeem(
        member=funded,
        reward=money(),
        details=Details(points=1250, account_holder="=HYPERLINK(evil)", iban=IBAN),
    )
    redemptions.approve(actor=staff, redemption=redemption)
    return redemption
