"""Points under real concurrency: threads released together on PostgreSQL.

SQLite serialises every writer, so only PostgreSQL (row locks, READ COMMITTED)
can show a lost update, a double payment, an oversold item or a negative wallet.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection, transaction

from ideas import events, posting, voting
from ideas.models import Idea, Support
from rewards import ledger, redemptions
from rewards.audit import run_audit
from rewards.errors import NotEnoughPoints, Unavailable
from rewards.models import (
    Entry,
    EntryKind,
    MemberBadge,
    Redemption,
    Reward,
    Wallet,
)
from tests.concurrency import run_together
from tests.factories import IdeaFactory
from tests.rewards.conftest import make_reward, seasoned, wallet

THREADS = 20

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
    ),
]


@pytest.fixture(autouse=True)
def _defaults(settings):
    """Transactional tests empty the tables after each test, data migrations'
    rows too: put the default rules, levels and badges back first."""
    settings.COCREATE_RATE_LIMITS_ENABLED = False
    defaults = importlib.import_module("rewards.migrations.0002_defaults")
    defaults.install(apps, None)


def funded(count: int, points: int, staff) -> list:
    members = [seasoned() for _ in range(count)]
    for member in members:
        ledger.adjust(member=member, amount=points, memo="Test funds", actor=staff)
    return members


def assert_audit_clean() -> None:
    report = run_audit()
    assert report.clean, [str(d) for d in report.discrepancies]
    assert not Wallet.objects.filter(available__lt=0).exists()
    assert not Wallet.objects.filter(held__lt=0).exists()


def test_supports_withdrawals_and_redemptions_at_once_leave_the_audit_clean(
    alice, staff
):
    idea = IdeaFactory(author=alice)
    joining = funded(7, 10, staff)
    leaving = funded(7, 10, staff)
    spending = funded(6, 10, staff)
    for member in leaving:
        voting.support(member=member, idea=idea)
    reward = make_reward(cost=8, stock=3)

    outcomes = run_together(
        [lambda m=m: voting.support(member=m, idea=idea) for m in joining]
        + [lambda m=m: voting.withdraw_support(member=m, idea=idea) for m in leaving]
        + [lambda m=m: redemptions.redeem(member=m, reward=reward) for m in spending]
    )

    unexpected = [
        o
        for o in outcomes
        if isinstance(o, Exception) and not isinstance(o, Unavailable)
    ]
    assert unexpected == []
    assert_audit_clean()
    assert Idea.objects.get(pk=idea.pk).supports_count == len(joining)
    assert Support.objects.filter(idea=idea).count() == len(joining)
    assert Redemption.objects.count() == 3
    assert Reward.objects.get(pk=reward.pk).stock == 0
    assert wallet(alice).available == 2 * len(joining)
    assert {wallet(m).available for m in joining} == {11}
    assert {wallet(m).available for m in leaving} == {10}


def test_two_members_racing_for_the_last_item_one_gets_it(staff):
    members = funded(2, 50, staff)
    reward = make_reward(cost=30, stock=1)

    outcomes = run_together(
        [lambda m=m: redemptions.redeem(member=m, reward=reward) for m in members]
    )

    won = [o for o in outcomes if isinstance(o, Redemption)]
    lost = [o for o in outcomes if isinstance(o, Unavailable)]
    assert (len(won), len(lost)) == (1, 1), outcomes
    assert Redemption.objects.count() == 1
    assert Reward.objects.get(pk=reward.pk).stock == 0
    loser = next(m for m in members if m.pk != won[0].member_id)
    assert (wallet(loser).available, wallet(loser).held) == (50, 0)
    assert_audit_clean()


def test_twenty_members_racing_for_the_last_item_one_gets_it(staff):
    members = funded(THREADS, 50, staff)
    reward = make_reward(cost=30, stock=1)

    outcomes = run_together(
        [lambda m=m: redemptions.redeem(member=m, reward=reward) for m in members]
    )

    won = [o for o in outcomes if isinstance(o, Redemption)]
    lost = [o for o in outcomes if isinstance(o, Unavailable)]
    assert (len(won), len(lost)) == (1, THREADS - 1), outcomes
    assert Reward.objects.get(pk=reward.pk).stock == 0
    assert Wallet.objects.filter(held__gt=0).count() == 1
    assert (
        not Entry.objects.filter(kind=EntryKind.HOLD)
        .exclude(redemption=won[0])
        .exists()
    )
    assert_audit_clean()


def test_one_member_redeeming_from_many_tabs_gets_what_their_points_buy(staff):
    (bob,) = funded(1, 100, staff)
    reward = make_reward(cost=60)

    outcomes = run_together(
        [lambda: redemptions.redeem(member=bob, reward=reward)] * THREADS
    )

    won = [o for o in outcomes if isinstance(o, Redemption)]
    refused = [o for o in outcomes if isinstance(o, NotEnoughPoints)]
    assert (len(won), len(refused)) == (1, THREADS - 1), outcomes
    assert (wallet(bob).available, wallet(bob).held) == (40, 60)
    assert_audit_clean()


def test_a_new_member_supporting_many_ideas_at_once_gets_one_wallet(alice):
    bob = seasoned()
    ideas = [IdeaFactory(author=alice) for _ in range(THREADS // 2)]

    outcomes = run_together(
        [lambda i=i: voting.support(member=bob, idea=i) for i in ideas]
    )

    assert all(isinstance(o, Support) for o in outcomes), outcomes
    assert Wallet.objects.filter(member=bob).count() == 1
    assert wallet(bob).available == len(ideas)
    assert wallet(alice).available == 2 * len(ideas)
    assert_audit_clean()


def test_two_first_ideas_at_once_pay_the_first_idea_bonus_once(alice):
    outcomes = run_together(
        [
            lambda n=n: posting.create_idea(
                author=alice, title=f"Idea {n}", description="Text"
            )
            for n in range(2)
        ]
    )

    assert all(isinstance(o, Idea) for o in outcomes), outcomes
    assert wallet(alice).available == 10 + 10 + 20
    assert MemberBadge.objects.filter(member=alice).count() == 1
    assert_audit_clean()


def test_a_restore_sent_twice_at_once_pays_back_once(alice, bob):
    idea = posting.create_idea(author=alice, title="Dry shoes", description="Text")
    voting.support(member=bob, idea=idea)
    with transaction.atomic():
        events.content_removed.send(sender=Idea, content=idea, actor=None, reason="")
    assert wallet(alice).available == 0

    def restore():
        with transaction.atomic():
            events.content_restored.send(sender=Idea, content=idea, actor=None)

    outcomes = run_together([restore] * 2)

    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert wallet(alice).available == 32
    assert_audit_clean()
