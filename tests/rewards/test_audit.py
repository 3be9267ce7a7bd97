"""The audit recomputes every wallet from its entries and checks the ledger's rules;
`manage.py rewards_audit` exits non-zero when anything disagrees."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import F

from ideas import discussion, events, voting
from ideas.models import Idea
from rewards import ledger, redemptions
from rewards.audit import run_audit
from rewards.models import Entry, EntryKind, Redemption, RedemptionStatus, Wallet
from tests.rewards.conftest import give, make_reward, wallet

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_ledger(idea, alice, bob, charlie, staff):
    """A bit of everything: supports, a withdrawal, comments, a removal and its
    restore, adjustments and redemptions in every state."""
    voting.support(member=bob, idea=idea)
    voting.support(member=charlie, idea=idea)
    voting.withdraw_support(member=charlie, idea=idea)
    comment = discussion.post_comment(author=bob, idea=idea, body="Yes")
    discussion.remove_comment(actor=bob, comment=comment)
    events.content_removed.send(sender=Idea, content=idea, actor=None, reason="")
    events.content_restored.send(sender=Idea, content=idea, actor=None)
    give(charlie, 100, actor=staff)
    ledger.adjust(member=charlie, amount=-5, memo="Duplicate", actor=staff)
    reward = make_reward(cost=10, stock=10)
    fulfilled, rejected, cancelled, _pending = (
        redemptions.redeem(member=charlie, reward=reward) for _ in range(4)
    )
    redemptions.fulfil(actor=staff, redemption=fulfilled)
    redemptions.reject(actor=staff, redemption=rejected, note="No")
    redemptions.cancel(actor=charlie, redemption=cancelled)


def audit() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("rewards_audit", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def problems() -> list[str]:
    return [str(discrepancy) for discrepancy in run_audit().discrepancies]


def test_the_audit_is_clean_after_a_mix_of_actions(busy_ledger):
    report = run_audit()

    assert report.clean, problems()
    assert report.wallets == 3
    assert report.entries == Entry.objects.count()


def test_the_command_says_all_is_well_and_exits_0(busy_ledger):
    code, out, err = audit()

    assert code == 0
    assert out.strip() == "wallets: 3, discrepancies: 0"
    assert err == ""


def test_the_command_on_an_empty_ledger(db):
    code, out, _err = audit()

    assert (code, out.strip()) == (0, "wallets: 0, discrepancies: 0")


def test_a_drifted_wallet_is_reported_and_the_command_fails(busy_ledger, charlie):
    drifted = wallet(charlie)
    Wallet.objects.filter(pk=drifted.pk).update(available=F("available") + 7)

    with pytest.raises(SystemExit) as exit_:
        call_command("rewards_audit", stdout=io.StringIO(), stderr=io.StringIO())
    code, out, err = audit()

    assert exit_.value.code != 0
    assert code == 1
    assert out.strip() == "wallets: 3, discrepancies: 1"
    assert err.strip() == (
        f"wallet {drifted.pk} (member {charlie.pk}): available is "
        f"{drifted.available + 7} but its entries sum to {drifted.available}"
    )


def test_a_wrong_level_is_reported(busy_ledger, alice):
    Wallet.objects.filter(member=alice).update(level=None)

    assert problems() == [
        f"wallet {wallet(alice).pk} (member {alice.pk}): level does not match "
        f"{wallet(alice).lifetime_earned} points"
    ]


def test_a_reversal_that_takes_more_than_it_reverses_is_reported(idea, bob):
    voting.support(member=bob, idea=idea)
    earned = Entry.objects.get(wallet__member=bob)
    Entry.objects.create(
        wallet=earned.wallet,
        kind=EntryKind.REVERSAL,
        amount=-5,
        reverses=earned,
        key="reversal:forged",
    )

    found = problems()

    assert f"reversal {Entry.objects.get(key='reversal:forged').pk} does not" in (
        " ".join(found)
    )


def test_a_redemption_marked_fulfilled_without_settling_is_reported(charlie, staff):
    give(charlie, 50, actor=staff)
    redemption = redemptions.redeem(member=charlie, reward=make_reward())
    Redemption.objects.filter(pk=redemption.pk).update(
        status=RedemptionStatus.FULFILLED
    )

    assert problems() == [
        f"wallet {wallet(charlie).pk} (member {charlie.pk}): redemption "
        f"{redemption.pk} is fulfilled but its hold is not settled once"
    ]


def test_a_hold_cannot_be_both_settled_and_released(charlie, staff):
    """The audit would report it; the database refuses it first."""
    give(charlie, 50, actor=staff)
    redemption = redemptions.redeem(member=charlie, reward=make_reward())
    redemptions.fulfil(actor=staff, redemption=redemption)

    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(
            wallet=wallet(charlie),
            kind=EntryKind.RELEASE,
            amount=10,
            held_amount=-10,
            redemption=redemption,
            key=f"release:{redemption.pk}",
        )

    assert run_audit().clean


def test_an_open_redemption_with_a_closed_hold_is_reported(charlie, staff):
    give(charlie, 50, actor=staff)
    redemption = redemptions.redeem(member=charlie, reward=make_reward())
    redemptions.cancel(actor=charlie, redemption=redemption)
    Redemption.objects.filter(pk=redemption.pk).update(status=RedemptionStatus.PENDING)

    assert problems() == [
        f"wallet {wallet(charlie).pk} (member {charlie.pk}): redemption "
        f"{redemption.pk} is open but its hold was closed"
    ]
