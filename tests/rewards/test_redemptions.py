"""Converting points: redeem holds them; fulfil spends them; reject and cancel give
them back and put the item back in stock. Every refusal writes nothing."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from rewards import payouts, redemptions, vouchers, wallets
from rewards.errors import (
    InvalidInput,
    NotAllowed,
    NotEnoughPoints,
    Unavailable,
    WrongState,
)
from rewards.iban import mask_iban, validate_iban
from rewards.models import (
    Entry,
    EntryKind,
    Redemption,
    RedemptionStatus,
    Reward,
    RewardKind,
    RewardSettings,
    VoucherCode,
)
from rewards.redemptions import Details
from tests.rewards.conftest import give, make_reward, points, wallet

pytestmark = pytest.mark.usefixtures("clean_audit")

IBAN = "DE89 3704 0044 0532 0130 00"
ADDRESS = Details(
    shipping_name="Bob Martin",
    shipping_address="12 rue des Lilas",
    shipping_postcode="59000",
    shipping_city="Lille",
    shipping_country="France",
)


@pytest.fixture
def funded(bob, staff):
    """Bob has 100 points to spend."""
    give(bob, 100, actor=staff)
    return bob


def balances(member) -> tuple[int, int]:
    stored = wallet(member)
    return stored.available, stored.held


def stock(reward: Reward) -> int | None:
    return Reward.objects.get(pk=reward.pk).stock


def money(**fields) -> Reward:
    fields.setdefault("title", "Cash back")
    return make_reward(kind=RewardKind.MONEY, cost=100, **fields)


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


# Transitions --------------------------------------------------------------------


@pytest.fixture
def pending(funded):
    reward = make_reward(kind=RewardKind.GOODS, cost=40, stock=3)
    return redemptions.redeem(member=funded, reward=reward, details=ADDRESS)


def test_approve_then_fulfil_spends_the_held_points(pending, funded, staff):
    redemptions.approve(actor=staff, redemption=pending, note="Ships Monday")
    assert Redemption.objects.get().status == RedemptionStatus.APPROVED
    assert balances(funded) == (60, 40)

    redemptions.fulfil(actor=staff, redemption=pending, note="Shipped")

    stored = Redemption.objects.get()
    assert (stored.status, stored.note, stored.decided_by) == (
        RedemptionStatus.FULFILLED,
        "Shipped",
        staff,
    )
    assert stored.closed_at is not None
    assert balances(funded) == (60, 0)
    assert stock(pending.reward) == 2
    assert (
        ModelLogEntry.objects.filter(
            action__in=["cocreate.rewards.approve", "cocreate.rewards.fulfil"]
        ).count()
        == 2
    )


def test_a_pending_redemption_can_be_fulfilled_directly(pending, funded, staff):
    redemptions.fulfil(actor=staff, redemption=pending)

    assert Redemption.objects.get().status == RedemptionStatus.FULFILLED
    assert balances(funded) == (60, 0)


def test_reject_needs_a_note(pending, staff):
    with pytest.raises(InvalidInput, match="why"):
        redemptions.reject(actor=staff, redemption=pending, note="  ")

    assert Redemption.objects.get().status == RedemptionStatus.PENDING


def test_reject_releases_the_points_and_restocks(pending, funded, staff):
    redemptions.reject(actor=staff, redemption=pending, note="Address abroad")

    stored = Redemption.objects.get()
    assert (stored.status, stored.note) == (RedemptionStatus.REJECTED, "Address abroad")
    assert balances(funded) == (100, 0)
    assert stock(pending.reward) == 3


def test_an_approved_redemption_can_still_be_rejected(pending, funded, staff):
    redemptions.approve(actor=staff, redemption=pending)

    redemptions.reject(actor=staff, redemption=pending, note="Lost in transit")

    assert balances(funded) == (100, 0)


def test_the_member_cancels_a_waiting_request(pending, funded):
    redemptions.cancel(actor=funded, redemption=pending)

    assert Redemption.objects.get().status == RedemptionStatus.CANCELLED
    assert balances(funded) == (100, 0)
    assert stock(pending.reward) == 3


def test_the_member_cannot_cancel_an_approved_request(pending, funded, staff):
    redemptions.approve(actor=staff, redemption=pending)

    with pytest.raises(WrongState, match="approved and can no longer"):
        redemptions.cancel(actor=funded, redemption=pending)

    assert balances(funded) == (60, 40)


def test_staff_may_cancel_an_approved_request(pending, funded, staff):
    redemptions.approve(actor=staff, redemption=pending)

    redemptions.cancel(actor=staff, redemption=pending)

    assert balances(funded) == (100, 0)
    assert ModelLogEntry.objects.filter(action="cocreate.rewards.cancel").exists()


def test_another_member_cannot_cancel(pending, charlie, funded):
    with pytest.raises(NotAllowed, match="your own"):
        redemptions.cancel(actor=charlie, redemption=pending)

    assert Redemption.objects.get().status == RedemptionStatus.PENDING


def test_members_cannot_manage_redemptions(pending, funded, charlie):
    for action in (redemptions.approve, redemptions.fulfil):
        with pytest.raises(NotAllowed):
            action(actor=funded, redemption=pending)
    with pytest.raises(NotAllowed):
        redemptions.reject(actor=charlie, redemption=pending, note="No")
    assert Redemption.objects.get().status == RedemptionStatus.PENDING


@pytest.mark.parametrize("closing", ["fulfil", "reject", "cancel"])
def test_a_closed_redemption_refuses_every_transition(pending, funded, staff, closing):
    if closing == "reject":
        redemptions.reject(actor=staff, redemption=pending, note="No")
    else:
        getattr(redemptions, closing)(actor=staff, redemption=pending)
    before = (balances(funded), stock(pending.reward), Entry.objects.count())

    with pytest.raises(WrongState):
        redemptions.approve(actor=staff, redemption=pending)
    with pytest.raises(WrongState):
        redemptions.fulfil(actor=staff, redemption=pending)
    with pytest.raises(WrongState):
        redemptions.reject(actor=staff, redemption=pending, note="Again")
    with pytest.raises(WrongState):
        redemptions.cancel(actor=staff, redemption=pending)
    with pytest.raises(WrongState):
        redemptions.cancel(actor=funded, redemption=pending)

    assert (balances(funded), stock(pending.reward), Entry.objects.count()) == before


def test_approving_twice_is_refused(pending, staff):
    redemptions.approve(actor=staff, redemption=pending)

    with pytest.raises(WrongState, match="Only waiting"):
        redemptions.approve(actor=staff, redemption=pending)


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


def test_export_payouts_lists_approved_payouts_and_stamps_them(payout, staff):
    text, count = payouts.export_payouts(actor=staff)

    rows = list(csv.reader(io.StringIO(text)))
    assert count == 1
    assert rows[0] == payouts.PAYOUT_COLUMNS
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["redemption"] == str(payout.pk)
    assert row["iban"] == "DE89370400440532013000"
    assert (row["amount"], row["currency"], row["points"]) == ("12.50", "EUR", "1250")
    assert row["email"] == "bob@example.com"
    assert Redemption.objects.get().exported_at is not None
    assert ModelLogEntry.objects.filter(
        action="cocreate.rewards.export_payout"
    ).exists()


def test_export_payouts_neutralises_formulas(payout, staff, funded):
    funded.display_name = "@SUM(A1:A9)"
    funded.save()

    text, _count = payouts.export_payouts(actor=staff)

    row = list(csv.reader(io.StringIO(text)))[1]
    assert "'=HYPERLINK(evil)" in row
    assert "'@SUM(A1:A9)" in row
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_export_payouts_leaves_out_pending_and_other_kinds(funded, staff):
    give(funded, 1400, actor=staff)
    redemptions.redeem(
        member=funded,
        reward=money(),
        details=Details(points=1000, account_holder="Bob", iban=IBAN),
    )
    goods = redemptions.redeem(
        member=funded, reward=make_reward(kind=RewardKind.GOODS), details=ADDRESS
    )
    redemptions.approve(actor=staff, redemption=goods)

    text, count = payouts.export_payouts(actor=staff)

    assert count == 0
    assert text.splitlines() == [",".join(payouts.PAYOUT_COLUMNS)]


def test_a_payout_is_exported_once(payout, staff):
    payouts.export_payouts(actor=staff)

    text, count = payouts.export_payouts(actor=staff)

    assert count == 0
    assert len(text.splitlines()) == 1


def test_only_managers_export_payouts(payout, funded):
    with pytest.raises(NotAllowed):
        payouts.export_payouts(actor=funded)

    assert Redemption.objects.get().exported_at is None


def test_mark_paid_needs_an_export_first(payout, staff, funded):
    with pytest.raises(WrongState, match="not been exported"):
        payouts.mark_paid(actor=staff, redemptions=[payout])

    assert Redemption.objects.get().status == RedemptionStatus.APPROVED


def test_mark_paid_settles_exported_payouts(payout, staff, funded):
    payouts.export_payouts(actor=staff)

    count = payouts.mark_paid(
        actor=staff, redemptions=Redemption.objects.select_related("reward")
    )

    assert count == 1
    stored = Redemption.objects.get()
    assert (stored.status, stored.note) == (RedemptionStatus.FULFILLED, "Paid")
    assert balances(funded) == (1500 - 1250, 0)


def test_mark_paid_refuses_other_kinds(pending, staff):
    with pytest.raises(InvalidInput, match="Only money"):
        payouts.mark_paid(actor=staff, redemptions=[pending])


# IBANs at rest ------------------------------------------------------------------

PLAIN_IBAN = "DE89370400440532013000"


def stored_iban(redemption) -> str:
    """The IBAN column as the database holds it, past the field's decryption."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT iban FROM rewards_redemption WHERE id = %s", [redemption.pk]
        )
        return cursor.fetchone()[0]


def test_the_database_never_holds_a_plain_iban(payout):
    column = stored_iban(payout)

    assert column and PLAIN_IBAN not in column
    assert PLAIN_IBAN[-4:] not in column
    assert Redemption.objects.get(pk=payout.pk).iban == PLAIN_IBAN
    assert Redemption.objects.get(pk=payout.pk).masked_iban == "DE89 •••• •••• 3000"


def test_the_payout_file_still_has_the_full_iban(payout, staff):
    text, _count = payouts.export_payouts(actor=staff)

    row = dict(zip(*list(csv.reader(io.StringIO(text))), strict=True))
    assert row["iban"] == PLAIN_IBAN


def test_a_paid_payout_forgets_its_iban_but_keeps_it_masked(payout, staff):
    payouts.export_payouts(actor=staff)

    payouts.mark_paid(
        actor=staff, redemptions=Redemption.objects.select_related("reward")
    )

    stored = Redemption.objects.get(pk=payout.pk)
    assert stored.iban == ""
    assert stored_iban(payout) == ""
    assert stored.masked_iban == "DE89 •••• •••• 3000"
    assert PLAIN_IBAN not in stored.iban_masked


@pytest.mark.parametrize("close", ["reject", "cancel"])
def test_a_closed_payout_forgets_its_iban(funded, staff, close):
    give(funded, 1400, actor=staff)
    payout = redemptions.redeem(
        member=funded,
        reward=money(),
        details=Details(points=1250, account_holder="Bob", iban=IBAN),
    )
    actor = funded if close == "cancel" else staff
    getattr(redemptions, close)(actor=actor, redemption=payout, note="No")

    stored = Redemption.objects.get(pk=payout.pk)
    assert (stored.iban, stored_iban(payout)) == ("", "")
    assert stored.masked_iban == "DE89 •••• •••• 3000"


def test_an_open_payout_keeps_its_iban_until_paid(payout, staff):
    payouts.export_payouts(actor=staff)

    assert Redemption.objects.get(pk=payout.pk).iban == PLAIN_IBAN
    assert stored_iban(payout) != ""


def test_ibans_are_encrypted_with_the_configured_key(payout, settings):
    from cryptography.fernet import Fernet
    from django.test import override_settings

    from rewards import iban

    token = stored_iban(payout)
    derived = iban.derived_key(settings.SECRET_KEY)
    assert Fernet(derived).decrypt(token.encode()).decode() == PLAIN_IBAN

    key = Fernet.generate_key()
    # Rotation: the old token still reads; a new write uses the first key.
    with override_settings(IBAN_ENCRYPTION_KEY=f"{key.decode()}, {derived.decode()}"):
        assert Redemption.objects.get(pk=payout.pk).iban == PLAIN_IBAN
        Redemption.objects.filter(pk=payout.pk).update(iban=PLAIN_IBAN)
        assert Fernet(key).decrypt(stored_iban(payout).encode()) == PLAIN_IBAN.encode()
        Redemption.objects.filter(pk=payout.pk).update(iban="")  # for the audit


def test_a_wrong_key_is_refused_loudly_never_read_as_no_iban(payout):
    from cryptography.fernet import Fernet
    from django.core.exceptions import ImproperlyConfigured
    from django.test import override_settings

    with override_settings(IBAN_ENCRYPTION_KEY=Fernet.generate_key().decode()):
        with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
            Redemption.objects.get(pk=payout.pk)
    with override_settings(IBAN_ENCRYPTION_KEY="not-a-key"):
        with pytest.raises(ImproperlyConfigured, match="Fernet keys"):
            Redemption.objects.get(pk=payout.pk)


def test_the_migration_encrypts_plain_ibans_and_back(payout):
    import importlib

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module(
        "rewards.migrations.0003_iban_encrypted_at_rest"
    )
    editor = type("Editor", (), {"connection": connection})()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE rewards_redemption SET iban = %s WHERE id = %s",
            [PLAIN_IBAN, payout.pk],
        )

    migration.encrypt(apps, editor)
    token = stored_iban(payout)
    assert token != PLAIN_IBAN
    assert Redemption.objects.get(pk=payout.pk).iban == PLAIN_IBAN
    migration.encrypt(apps, editor)  # a second run leaves tokens as they are
    assert stored_iban(payout) == token

    migration.decrypt(apps, editor)
    assert stored_iban(payout) == PLAIN_IBAN
    migration.encrypt(apps, editor)  # as it was, for the ledger's audit


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
    from rewards.errors import WrongState

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
    from rewards.errors import WrongState

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
