"""Redeeming each kind of reward: vouchers, goods, donations and money."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from rewards import redemptions, vouchers
from rewards.errors import (
    InvalidInput,
    NotAllowed,
    WrongState,
)
from rewards.iban import mask_iban, validate_iban
from rewards.models import (
    EntryKind,
    Redemption,
    RedemptionStatus,
    RewardKind,
    RewardSettings,
    VoucherCode,
)
from rewards.redemptions import Details
from tests.rewards.conftest import give, make_reward
from tests.rewards.redemptions.helpers import ADDRESS, IBAN, balances, money, stock

pytestmark = pytest.mark.usefixtures("clean_audit")


def import_codes(reward, staff, text="code\nAAA-111\nBBB-222\n"):
    return vouchers.import_voucher_codes(actor=staff, reward=reward, csv_text=text)


# Vouchers -----------------------------------------------------------------------
def test_a_voucher_with_codes_is_issued_and_settled_at_once(funded, staff):
    reward = make_reward(kind=RewardKind.VOUCHER, cost=30)
    import_codes(reward, staff)

    redemption = redemptions.redeem(member=funded, reward=reward)

    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.FULFILLED
    assert redemption.closed_at is not None
    assert redemption.voucher.code == "AAA-111"
    assert balances(funded) == (70, 0)
    assert sorted(redemption.entries.values_list("kind", flat=True)) == [
        EntryKind.HOLD,
        EntryKind.SETTLE,
    ]


def test_a_voucher_without_codes_waits_and_cannot_be_fulfilled(funded, staff):
    reward = make_reward(kind=RewardKind.VOUCHER, cost=30)

    redemption = redemptions.redeem(member=funded, reward=reward)

    assert redemption.status == RedemptionStatus.PENDING
    assert balances(funded) == (70, 30)
    with pytest.raises(WrongState, match="No voucher code is left"):
        redemptions.fulfil(actor=staff, redemption=redemption)
    assert Redemption.objects.get().status == RedemptionStatus.PENDING


def test_fulfilling_a_waiting_voucher_after_an_import_issues_the_oldest_code(
    funded, charlie, staff
):
    give(charlie, 100, actor=staff)
    reward = make_reward(kind=RewardKind.VOUCHER, cost=30)
    first = redemptions.redeem(member=funded, reward=reward)
    second = redemptions.redeem(member=charlie, reward=reward)

    result = import_codes(reward, staff, "ZZZ-999\nAAA-111\nZZZ-999\n")

    assert (result.added, result.duplicates, result.waiting) == (2, 1, 2)
    redemptions.fulfil(actor=staff, redemption=second, note="Enjoy")
    redemptions.fulfil(actor=staff, redemption=first)
    assert VoucherCode.objects.get(redemption=second).code == "ZZZ-999"
    assert VoucherCode.objects.get(redemption=first).code == "AAA-111"
    assert balances(funded) == (70, 0)
    second.refresh_from_db()
    assert (second.status, second.decided_by, second.note) == (
        RedemptionStatus.FULFILLED,
        staff,
        "Enjoy",
    )


def test_an_import_skips_codes_already_in_the_pool(staff):
    reward = make_reward(kind=RewardKind.VOUCHER)
    import_codes(reward, staff)

    result = import_codes(reward, staff, "AAA-111\nCCC-333\n")

    assert (result.added, result.duplicates) == (1, 1)
    assert VoucherCode.objects.count() == 3


def test_an_import_needs_codes_a_voucher_and_the_permission(bob, staff):
    reward = make_reward(kind=RewardKind.VOUCHER)
    with pytest.raises(InvalidInput, match="no code"):
        import_codes(reward, staff, "code\n\n")
    with pytest.raises(InvalidInput, match="voucher"):
        import_codes(make_reward(kind=RewardKind.GOODS), staff)
    with pytest.raises(NotAllowed):
        import_codes(reward, bob)
    assert not VoucherCode.objects.exists()


# Goods, donations, money -----------------------------------------------------
def test_goods_need_a_shipping_address(funded):
    reward = make_reward(kind=RewardKind.GOODS, cost=40, stock=3)

    with pytest.raises(InvalidInput, match="postcode, city"):
        redemptions.redeem(
            member=funded,
            reward=reward,
            details=Details(
                shipping_name="Bob", shipping_address="1 rue", shipping_country="FR"
            ),
        )

    assert not Redemption.objects.exists()
    assert balances(funded) == (100, 0)
    assert stock(reward) == 3


def test_goods_with_an_address_are_held_and_taken_from_stock(funded):
    reward = make_reward(kind=RewardKind.GOODS, cost=40, stock=3)

    redemption = redemptions.redeem(member=funded, reward=reward, details=ADDRESS)

    assert redemption.status == RedemptionStatus.PENDING
    assert redemption.shipping_city == "Lille"
    assert balances(funded) == (60, 40)
    assert stock(reward) == 2


def test_a_donation_holds_its_cost(funded):
    reward = make_reward(kind=RewardKind.DONATION, cost=25, cause="Sea shepherds")

    redemption = redemptions.redeem(member=funded, reward=reward)

    assert (redemption.points, redemption.amount_cents) == (25, 0)
    assert balances(funded) == (75, 25)


def test_money_needs_the_minimum(funded, staff):
    give(funded, 2000, actor=staff)

    with pytest.raises(InvalidInput, match="at least 1000 points"):
        redemptions.redeem(
            member=funded,
            reward=money(),
            details=Details(points=999, account_holder="Bob", iban=IBAN),
        )
    with pytest.raises(InvalidInput, match="at least 1000 points"):
        redemptions.redeem(
            member=funded,
            reward=money(),
            details=Details(account_holder="Bob", iban=IBAN),
        )
    assert not Redemption.objects.exists()


def test_money_pays_at_the_rate_of_the_settings(funded, staff):
    give(funded, 2000, actor=staff)
    config = RewardSettings.load()
    config.points_per_currency_unit = 50
    config.save()

    redemption = redemptions.redeem(
        member=funded,
        reward=money(),
        details=Details(points=1525, account_holder=" Bob Martin ", iban=IBAN),
    )

    assert redemption.amount_cents == 3050
    assert redemption.currency == "EUR"
    assert redemption.iban == "DE89370400440532013000"
    assert redemption.account_holder == "Bob Martin"
    assert balances(funded) == (2100 - 1525, 1525)


def test_money_needs_an_account_holder_and_a_valid_iban(funded, staff):
    give(funded, 2000, actor=staff)
    with pytest.raises(InvalidInput, match="account holder"):
        redemptions.redeem(
            member=funded, reward=money(), details=Details(points=1000, iban=IBAN)
        )
    with pytest.raises(InvalidInput, match="typing mistake"):
        redemptions.redeem(
            member=funded,
            reward=money(),
            details=Details(
                points=1000, account_holder="Bob", iban="DE89370400440532013001"
            ),
        )
    assert not Redemption.objects.exists()


@pytest.mark.parametrize(
    ("iban", "message"),
    [
        ("hello", "This is not an IBAN"),
        ("DE89 3704 0044 0532 0130 01", "typing mistake: its check digits"),
        ("DE8937040044053201300", "An IBAN from DE has 22 characters, not 21."),
        ("US12345678901234567890", "We cannot pay to accounts in US."),
    ],
)
def test_an_iban_error_says_what_is_wrong(iban, message):
    with pytest.raises(ValidationError) as error:
        validate_iban(iban)

    assert message in error.value.messages[0]


def test_a_valid_iban_is_normalised_and_masked():
    iban = validate_iban("fr14 2004-1010 0505 0001 3m02 606")

    assert iban == "FR1420041010050500013M02606"
    assert mask_iban(iban) == "FR14 •••• •••• 2606"
