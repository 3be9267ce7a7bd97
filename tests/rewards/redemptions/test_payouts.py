"""Money payouts: the bank export and marking them paid."""

from __future__ import annotations

import csv
import io

import pytest
from wagtail.models import ModelLogEntry

from rewards import payouts, redemptions
from rewards.errors import (
    InvalidInput,
    NotAllowed,
    WrongState,
)
from rewards.models import (
    Redemption,
    RedemptionStatus,
    RewardKind,
)
from rewards.redemptions import Details
from tests.rewards.conftest import give, make_reward
from tests.rewards.redemptions.helpers import ADDRESS, IBAN, balances, money

pytestmark = pytest.mark.usefixtures("clean_audit")


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
