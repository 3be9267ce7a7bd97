"""Supports under real concurrency: threads released together on PostgreSQL.

SQLite serialises every writer, so only PostgreSQL (row locks, READ COMMITTED)
can show a lost update or a double count.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from ideas import trending, voting
from ideas.errors import AlreadyDone
from ideas.models import DailySupports, Idea, Support
from ideas.ranking import hot_score
from tests.concurrency import run_together
from tests.factories import IdeaFactory, UserFactory

THREADS = 10

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
    ),
]


def week_of(idea: Idea) -> tuple[dict, int]:
    days = dict(DailySupports.objects.filter(idea=idea).values_list("day", "supports"))
    return days, Idea.objects.get(pk=idea.pk).recent_supports


@pytest.fixture
def no_rate_limits(settings):
    settings.COCREATE_RATE_LIMITS_ENABLED = False


def test_one_member_supporting_at_once_from_many_tabs_counts_once(no_rate_limits):
    idea = IdeaFactory()
    bob = UserFactory()

    outcomes = run_together([lambda: voting.support(member=bob, idea=idea)] * THREADS)

    supports = [o for o in outcomes if isinstance(o, Support)]
    refusals = [o for o in outcomes if isinstance(o, AlreadyDone)]
    assert len(supports) == 1, outcomes
    assert len(refusals) == THREADS - 1, outcomes
    assert Support.objects.filter(idea=idea, member=bob).count() == 1
    assert Idea.objects.get(pk=idea.pk).supports_count == 1


def test_many_members_supporting_at_once_are_all_counted(no_rate_limits):
    idea = IdeaFactory()
    members = UserFactory.create_batch(THREADS)

    outcomes = run_together(
        [
            lambda member=member: voting.support(member=member, idea=idea)
            for member in members
        ]
    )

    assert all(isinstance(o, Support) for o in outcomes), outcomes
    stored = Idea.objects.get(pk=idea.pk)
    assert stored.supports_count == THREADS
    # The score is computed from the count read under the row lock: no lost update.
    assert stored.hot_score == pytest.approx(
        hot_score(THREADS, stored.created_at), abs=1e-6
    )
    assert Support.objects.filter(idea=idea).count() == THREADS
    # The first supports of the day all upsert the same row: none is lost.
    assert week_of(idea) == ({trending.today(): THREADS}, THREADS)


def test_supports_and_withdrawals_at_once_leave_a_true_count(no_rate_limits):
    idea = IdeaFactory()
    leaving = UserFactory.create_batch(THREADS // 2)
    joining = UserFactory.create_batch(THREADS // 2)
    for member in leaving:
        voting.support(member=member, idea=idea)

    outcomes = run_together(
        [lambda m=m: voting.withdraw_support(member=m, idea=idea) for m in leaving]
        + [lambda m=m: voting.support(member=m, idea=idea) for m in joining]
    )

    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    stored = Idea.objects.get(pk=idea.pk)
    assert stored.supports_count == len(joining)
    assert set(Support.objects.values_list("member", flat=True)) == {
        m.pk for m in joining
    }
    assert week_of(idea) == ({trending.today(): len(joining)}, len(joining))


def test_a_refresh_during_withdrawals_subtracts_each_support_once(no_rate_limits):
    """Withdrawals of supports whose day leaves the window, while the refresh
    takes that day out: each is counted out by one side only."""
    ideas = IdeaFactory.create_batch(3)
    members = UserFactory.create_batch(THREADS // 2)
    for idea in ideas:
        for member in members:
            voting.support(member=member, idea=idea)
    leaving_day = trending.today() - datetime.timedelta(days=trending.TRENDING_DAYS)
    DailySupports.objects.update(day=leaving_day)
    Support.objects.update(
        created_at=datetime.datetime.combine(
            leaving_day, datetime.time(12), tzinfo=datetime.UTC
        )
    )
    today = UserFactory.create_batch(2)  # still counted after the refresh
    for idea in ideas:
        for member in today:
            voting.support(member=member, idea=idea)

    outcomes = run_together(
        [trending.refresh]
        + [
            lambda m=m, i=i: voting.withdraw_support(member=m, idea=i)
            for m in members[:3]
            for i in ideas
        ]
    )

    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    for idea in ideas:
        assert week_of(idea) == ({trending.today(): 2}, 2)
    assert sorted(Idea.objects.values_list("supports_count", flat=True)) == [4, 4, 4]
