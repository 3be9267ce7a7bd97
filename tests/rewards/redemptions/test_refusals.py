"""Redemptions refused at redeem time, and what members hear of decisions."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from rewards import payouts, redemptions, wallets
from rewards.errors import (
    NotAllowed,
    NotEnoughPoints,
    Unavailable,
    WrongState,
)
from rewards.models import (
    Redemption,
)
from tests.rewards.conftest import give, make_reward, points, wallet
from tests.rewards.redemptions.helpers import balances, stock

pytestmark = pytest.mark.usefixtures("clean_audit")


# Refusals at redeem time ---------------------------------------------------------
def test_the_last_item_goes_and_the_next_member_is_told(funded, charlie, staff):
    give(charlie, 100, actor=staff)
    reward = make_reward(cost=10, stock=1)
    redemptions.redeem(member=funded, reward=reward)

    with pytest.raises(Unavailable, match="out of stock"):
        redemptions.redeem(member=charlie, reward=reward)

    assert stock(reward) == 0
    assert balances(charlie) == (100, 0)


def test_a_limit_per_member_counts_open_and_fulfilled_requests(funded, staff):
    reward = make_reward(cost=10, limit_per_member=1)
    first = redemptions.redeem(member=funded, reward=reward)

    with pytest.raises(Unavailable, match="limit of 1"):
        redemptions.redeem(member=funded, reward=reward)

    redemptions.cancel(actor=funded, redemption=first)
    redemptions.redeem(member=funded, reward=reward)
    assert balances(funded) == (90, 10)


def test_a_reward_not_yet_available_says_from_when(funded):
    later = timezone.now() + datetime.timedelta(days=3)
    reward = make_reward(available_from=later)

    with pytest.raises(Unavailable, match="can be redeemed from"):
        redemptions.redeem(member=funded, reward=reward)


def test_a_reward_no_longer_available_says_until_when(funded):
    earlier = timezone.now() - datetime.timedelta(days=3)
    reward = make_reward(available_until=earlier)

    with pytest.raises(Unavailable, match="could be redeemed until"):
        redemptions.redeem(member=funded, reward=reward)


def test_a_withdrawn_reward_is_no_longer_offered(funded):
    with pytest.raises(Unavailable, match="no longer offered"):
        redemptions.redeem(member=funded, reward=make_reward(is_active=False))


def test_a_reward_inside_its_window_can_be_redeemed(funded):
    now = timezone.now()
    reward = make_reward(
        available_from=now - datetime.timedelta(days=1),
        available_until=now + datetime.timedelta(days=1),
    )

    redemptions.redeem(member=funded, reward=reward)

    assert balances(funded) == (90, 10)


def test_not_enough_points_holds_nothing(funded):
    reward = make_reward(cost=101, stock=2)

    with pytest.raises(NotEnoughPoints, match="costs 101 points and you have 100"):
        redemptions.redeem(member=funded, reward=reward)

    assert not Redemption.objects.exists()
    assert balances(funded) == (100, 0)
    assert stock(reward) == 2


def test_a_member_who_never_earned_has_not_enough_points(charlie):
    with pytest.raises(NotEnoughPoints):
        redemptions.redeem(member=charlie, reward=make_reward())

    assert points(charlie) == 0


def test_a_frozen_wallet_cannot_redeem(funded, staff):
    wallets.freeze(actor=staff, member=funded, reason="Supports from one household")

    with pytest.raises(NotAllowed, match="frozen: Supports from one household"):
        redemptions.redeem(member=funded, reward=make_reward())

    assert balances(funded) == (100, 0)
    wallets.unfreeze(actor=staff, member=funded)
    redemptions.redeem(member=funded, reward=make_reward())
    assert balances(funded) == (90, 10)


# Notices, frozen wallets and suspended members --------------------------------
def test_the_member_hears_of_each_decision(bob, staff):
    from cocreate.notifications.models import Notification

    give(bob, 2000, actor=staff)
    reward = make_reward(kind="goods", cost=500)
    details = redemptions.Details(
        shipping_name="Bob",
        shipping_address="1 Road",
        shipping_postcode="75001",
        shipping_city="Paris",
        shipping_country="France",
    )
    redemption = redemptions.redeem(member=bob, reward=reward, details=details)
    redemptions.approve(actor=staff, redemption=redemption)
    redemptions.fulfil(actor=staff, redemption=redemption, note="Posted today")
    titles = list(
        Notification.objects.filter(recipient=bob, kind="redemption")
        .order_by("id")
        .values_list("title", flat=True)
    )
    assert [t.split(" is ")[-1] for t in titles] == ["approved", "fulfilled"]


def test_a_frozen_members_request_is_neither_approved_nor_exported(bob, staff):
    from rewards import wallets

    give(bob, 2000, actor=staff)
    cash = make_reward(kind="money", cost=1000)
    redemption = redemptions.redeem(
        member=bob,
        reward=cash,
        details=redemptions.Details(
            points=1000, account_holder="Bob", iban="DE89370400440532013000"
        ),
    )
    wallets.freeze(actor=staff, member=bob, reason="Checking supports")
    with pytest.raises(WrongState, match="frozen"):
        redemptions.approve(actor=staff, redemption=redemption)
    wallets.unfreeze(actor=staff, member=bob)
    redemptions.approve(actor=staff, redemption=redemption)
    wallets.freeze(actor=staff, member=bob, reason="Again")
    _csv, count = payouts.export_payouts(actor=staff)
    assert count == 0


def test_a_suspended_member_is_told_why_they_cannot_redeem(bob, staff):
    import datetime

    from django.utils import timezone

    from cocreate.members.models import User
    from rewards.errors import NotAllowed

    give(bob, 2000, actor=staff)
    User.objects.filter(pk=bob.pk).update(
        suspended_until=timezone.now() + datetime.timedelta(days=1)
    )
    bob.refresh_from_db()
    with pytest.raises(NotAllowed, match="suspended until"):
        redemptions.redeem(member=bob, reward=make_reward(kind="donation", cost=100))


def test_redemptions_are_rate_limited(bob, staff, settings):
    from rewards.errors import Unavailable

    settings.COCREATE_RATE_LIMITS = {
        **settings.COCREATE_RATE_LIMITS,
        "redeem": "2/3600",
    }
    give(bob, 100, actor=staff)
    reward = make_reward(kind="donation", cost=10)
    for _ in range(2):
        redemptions.redeem(member=bob, reward=reward)
    with pytest.raises(Unavailable, match="many requests"):
        redemptions.redeem(member=bob, reward=reward)
    assert points(bob) == 80


def test_a_payout_not_exported_cannot_be_fulfilled(bob, staff):

    give(bob, 2000, actor=staff)
    cash = make_reward(kind="money", cost=1000)
    redemption = redemptions.redeem(
        member=bob,
        reward=cash,
        details=redemptions.Details(
            points=1000, account_holder="Bob", iban="DE89370400440532013000"
        ),
    )
    redemptions.approve(actor=staff, redemption=redemption)
    with pytest.raises(WrongState, match="not been exported"):
        redemptions.fulfil(actor=staff, redemption=redemption)
    assert wallet(bob).held == 1000
