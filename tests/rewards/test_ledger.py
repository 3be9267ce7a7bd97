"""The ledger: append-only entries, cached balances that never go negative, manual
adjustments that need a reason, a permission and leave a trace (DESIGN rule 3)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from ideas import discussion, events, voting
from ideas.models import Idea
from rewards import ledger, redemptions
from rewards.errors import InvalidInput, NotAllowed, NotEnoughPoints
from rewards.models import Entry, EntryKind, Wallet
from tests.rewards.conftest import give, make_reward, points, seasoned, wallet

pytestmark = pytest.mark.usefixtures("clean_audit")


def test_post_refuses_a_negative_balance_and_writes_nothing(bob, staff):
    give(bob, 3, actor=staff)

    with pytest.raises(NotEnoughPoints), transaction.atomic():
        wallets = ledger.lock_wallets([bob.pk])
        ledger.post(
            wallets,
            [
                ledger.Posting(
                    member_id=bob.pk, kind=EntryKind.ADJUSTMENT, key="a", amount=5,
                    memo="Bonus", actor=staff,
                ),
                ledger.Posting(
                    member_id=bob.pk, kind=EntryKind.ADJUSTMENT, key="b", amount=-9,
                    memo="Clawback", actor=staff,
                ),
            ],
        )  # fmt: skip

    assert not Entry.objects.filter(key__in=["a", "b"]).exists()
    assert points(bob) == 3


def test_post_refuses_to_release_more_than_is_held(bob, staff):
    give(bob, 10, actor=staff)
    redemption = redemptions.redeem(member=bob, reward=make_reward(cost=4))

    with pytest.raises(NotEnoughPoints), transaction.atomic():
        wallets = ledger.lock_wallets([bob.pk])
        ledger.post(
            wallets,
            [
                ledger.Posting(
                    member_id=bob.pk, kind=EntryKind.RELEASE, key="release:x",
                    amount=5, held_amount=-5, redemption=redemption,
                )
            ],
        )  # fmt: skip

    assert (wallet(bob).available, wallet(bob).held) == (6, 4)


def test_post_moves_the_cached_balances_with_its_entries(bob, staff):
    with transaction.atomic():
        wallets = ledger.lock_wallets([bob.pk])
        ledger.post(
            wallets,
            [
                ledger.Posting(
                    member_id=bob.pk, kind=EntryKind.ADJUSTMENT, key="x", amount=7,
                    memo="Welcome", actor=staff,
                )
            ],
        )  # fmt: skip

    stored = wallet(bob)
    assert stored.available == 7
    assert stored.lifetime_earned == 0  # adjustments are not earnings
    assert wallets[bob.pk].available == 7  # the locked copy follows


def test_post_moves_several_wallets_in_one_update(alice, bob, staff, charlie):
    give(charlie, 5, actor=staff)
    with transaction.atomic():
        wallets = ledger.lock_wallets([alice.pk, bob.pk, charlie.pk])
        postings = [
            ledger.Posting(
                member_id=member.pk, kind=EntryKind.EARN, key=f"gift:{member.pk}",
                amount=amount, memo="Gift",
            )
            for member, amount in ((alice, 2), (bob, 9), (charlie, 1))
        ]  # fmt: skip
        with CaptureQueriesContext(connection) as captured:
            ledger.post(wallets, postings)

    updates = [q["sql"] for q in captured if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1, updates
    assert [points(m) for m in (alice, bob, charlie)] == [2, 9, 6]
    assert [wallet(m).lifetime_earned for m in (alice, bob, charlie)] == [2, 9, 1]
    assert wallets[bob.pk].available == 9


def test_post_announces_its_entries_to_whoever_listens(bob, staff):
    heard = []

    def listener(sender, entries, **kwargs):
        heard.extend(entries)

    ledger.entries_posted.connect(listener)
    try:
        give(bob, 4, actor=staff)
    finally:
        ledger.entries_posted.disconnect(listener)

    (entry,) = heard
    assert (entry.wallet.member_id, entry.amount) == (bob.pk, 4)


def test_the_ledger_knows_nothing_of_requests_or_pages():
    """What a page shows of a posting (the "+5 points" toast) listens to the
    ledger; the ledger imports none of it."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(ledger))
    imported = {
        alias.name if isinstance(node, ast.Import) else f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }

    assert "rewards.feedback" not in imported
    assert not any(
        name.startswith(("django.http", "cocreate.http")) for name in imported
    )


def test_lock_wallets_creates_missing_wallets_at_the_first_level(alice, bob):
    with transaction.atomic():
        wallets = ledger.lock_wallets([bob.pk, alice.pk, bob.pk])

    assert set(wallets) == {alice.pk, bob.pk}
    assert Wallet.objects.count() == 2
    assert wallet(bob).level.name == "Newcomer"


def test_an_adjustment_needs_a_memo(bob, staff):
    for memo in ("", "   ", None):
        with pytest.raises(InvalidInput, match="say why"):
            ledger.adjust(member=bob, amount=5, memo=memo, actor=staff)

    assert not Entry.objects.exists()


def test_an_adjustment_of_zero_is_refused(bob, staff):
    with pytest.raises(InvalidInput, match="0 points"):
        ledger.adjust(member=bob, amount=0, memo="Nothing", actor=staff)


def test_a_member_may_not_adjust_points(alice, bob):
    with pytest.raises(NotAllowed):
        ledger.adjust(member=bob, amount=50, memo="A gift", actor=alice)

    with pytest.raises(NotAllowed):
        ledger.adjust(member=bob, amount=50, memo="Mine", actor=bob)

    assert not Entry.objects.exists()
    assert points(bob) == 0


def test_plain_staff_without_the_permission_may_not_adjust(bob):
    moderator = seasoned(is_staff=True)

    with pytest.raises(NotAllowed):
        ledger.adjust(member=bob, amount=5, memo="Why not", actor=moderator)


def test_an_adjustment_writes_an_entry_with_its_actor_and_memo(bob, staff):
    entry = ledger.adjust(
        member=bob, amount=25, memo="  Prize of the photo contest ", actor=staff
    )

    entry.refresh_from_db()
    assert entry.kind == EntryKind.ADJUSTMENT
    assert entry.amount == 25
    assert entry.actor == staff
    assert entry.memo == "Prize of the photo contest"
    assert points(bob) == 25


def test_an_adjustment_is_written_to_the_audit_log(bob, staff):
    ledger.adjust(member=bob, amount=8, memo="Goodwill", actor=staff)

    log = ModelLogEntry.objects.get(action="cocreate.rewards.adjust")
    assert log.user == staff
    assert log.object_id == str(wallet(bob).pk)
    assert log.data == {"member": bob.pk, "amount": 8, "memo": "Goodwill"}


def test_a_negative_adjustment_takes_points_back(bob, staff):
    give(bob, 10, actor=staff)

    ledger.adjust(member=bob, amount=-4, memo="Duplicate prize", actor=staff)

    assert points(bob) == 6


def test_a_negative_adjustment_cannot_go_below_zero(bob, staff):
    give(bob, 10, actor=staff)

    with pytest.raises(NotEnoughPoints, match="only 10 points"):
        ledger.adjust(member=bob, amount=-11, memo="Too much", actor=staff)

    assert points(bob) == 10
    assert Entry.objects.count() == 1


def test_successive_adjustments_have_their_own_keys(bob, staff):
    for amount in (5, -2, 3):
        ledger.adjust(member=bob, amount=amount, memo="Fix", actor=staff)

    assert Entry.objects.values("key").distinct().count() == 3
    assert points(bob) == 6


@pytest.mark.parametrize("field", ["available", "held", "lifetime_earned"])
def test_the_database_refuses_a_negative_wallet(bob, staff, field):
    give(bob, 5, actor=staff)

    with pytest.raises(IntegrityError), transaction.atomic():
        Wallet.objects.filter(member=bob).update(**{field: -1})

    assert points(bob) == 5


def test_the_database_refuses_a_second_reversal_of_one_entry(idea, bob):
    voting.support(member=bob, idea=idea)
    voting.withdraw_support(member=bob, idea=idea)
    reversal = Entry.objects.filter(kind=EntryKind.REVERSAL).first()

    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(
            wallet=reversal.wallet,
            kind=EntryKind.REVERSAL,
            amount=0,
            reverses=reversal.reverses,
            key="reversal:again",
        )


def test_the_database_refuses_a_reused_key(bob, staff):
    entry = ledger.adjust(member=bob, amount=5, memo="Once", actor=staff)

    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(
            wallet=entry.wallet, kind=EntryKind.EARN, amount=5, key=entry.key
        )


def test_the_database_refuses_an_adjustment_without_actor(bob):
    with transaction.atomic():
        wallet_row = ledger.lock_wallets([bob.pk])[bob.pk]

    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(
            wallet=wallet_row, kind=EntryKind.ADJUSTMENT, amount=5, memo="x", key="k"
        )


def test_no_service_changes_or_deletes_an_entry(idea, alice, bob, charlie, staff):
    """Append-only: a tour of every service writes entries, never updates them."""
    with CaptureQueriesContext(connection) as captured:
        give(charlie, 100, actor=staff)
        voting.support(member=bob, idea=idea)
        voting.support(member=charlie, idea=idea)
        voting.withdraw_support(member=bob, idea=idea)
        comment = discussion.post_comment(author=bob, idea=idea, body="Yes")
        discussion.remove_comment(actor=bob, comment=comment)
        events.content_removed.send(sender=Idea, content=idea, actor=None, reason="")
        events.content_restored.send(sender=Idea, content=idea, actor=None)
        ledger.adjust(member=charlie, amount=-3, memo="Fix", actor=staff)
        reward = make_reward(cost=10, stock=5)
        kept = redemptions.redeem(member=charlie, reward=reward)
        refused = redemptions.redeem(member=charlie, reward=reward)
        cancelled = redemptions.redeem(member=charlie, reward=reward)
        redemptions.fulfil(actor=staff, redemption=kept)
        redemptions.reject(actor=staff, redemption=refused, note="Sold out")
        redemptions.cancel(actor=charlie, redemption=cancelled)

    writes = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith(("UPDATE", "DELETE"))
        and "rewards_entry" in query["sql"].split(" SET ")[0].split(" WHERE ")[0]
    ]
    assert writes == []
    assert Entry.objects.count() >= 12
