"""The personas and requests the rewards back-office tests share."""

from __future__ import annotations

import pytest

from rewards import ledger, redemptions
from rewards.models import (
    RewardKind,
    Wallet,
)
from rewards.redemptions import Details
from tests.factories import UserFactory
from tests.rewards.admin.helpers import (
    IBAN,
    SHIPPING,
    client_for,
    grant,
    make_reward,
)


@pytest.fixture
def dana(db):
    return UserFactory(
        email="dana@example.com",
        display_name="Dana",
        is_superuser=True,
        is_staff=True,
    )


@pytest.fixture
def mo(db):
    user = UserFactory(email="mo@example.com", display_name="Mo", is_staff=True)
    grant(user, "wagtailadmin.access_admin", "rewards.change_redemption")
    return user


@pytest.fixture
def tess(db):
    user = UserFactory(email="tess@example.com", display_name="Tess", is_staff=True)
    grant(user, "wagtailadmin.access_admin")
    return user


@pytest.fixture
def dana_client(dana):
    return client_for(dana)


@pytest.fixture
def give(dana):
    def give(member, points: int) -> Wallet:
        ledger.adjust(member=member, amount=points, memo="Welcome gift", actor=dana)
        return Wallet.objects.get(member=member)

    return give


@pytest.fixture
def goods_request(alice, give):
    """Alice asks for a T-shirt (100 points) with 300 points in her wallet."""
    give(alice, 300)
    reward = make_reward(RewardKind.GOODS, title="T-shirt", stock=5)
    return redemptions.redeem(member=alice, reward=reward, details=SHIPPING)


@pytest.fixture
def payout_request(alice, give):
    """Alice converts 1000 points into 10 euros to her bank account."""
    give(alice, 1500)
    reward = make_reward(RewardKind.MONEY, title="Cash out", cost=1000)
    return redemptions.redeem(
        member=alice,
        reward=reward,
        details=Details(points=1000, account_holder="Alice Martin", iban=IBAN),
    )
