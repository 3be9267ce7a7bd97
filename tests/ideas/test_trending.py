"""ideas.trending: the week's supports stored per day and summed on the idea, kept
exact by supports, withdrawals, the hourly refresh, merges and the recount."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command

from ideas import trending, voting
from ideas.counters import recount_ideas
from ideas.models import DailySupports, Idea, Support
from ideas.moderation import merging
from tests.factories import IdeaFactory, SupportFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def days_of(idea: Idea) -> dict[datetime.date, int]:
    return dict(DailySupports.objects.filter(idea=idea).values_list("day", "supports"))


def recent(idea: Idea) -> int:
    return Idea.objects.values_list("recent_supports", flat=True).get(pk=idea.pk)


def as_if_made_days_ago(support: Support, days: int) -> None:
    """Move a support, and its count, to a day in the past."""
    made = support.created_at
    Support.objects.filter(pk=support.pk).update(created_at=made - days * DAY)
    assert trending.uncount_support(support.idea_id, trending.support_day(made))
    DailySupports.objects.filter(supports=0).delete()
    trending.count_support(support.idea_id, trending.support_day(made - days * DAY))


class TestSupporting:
    def test_a_support_counts_on_today_and_in_the_week(self, idea, bob, charlie):
        voting.support(member=bob, idea=idea)
        voting.support(member=charlie, idea=idea)

        assert days_of(idea) == {trending.today(): 2}
        assert recent(idea) == 2

    def test_a_withdrawal_takes_it_back_from_its_day(self, idea, bob, charlie):
        voting.support(member=bob, idea=idea)
        voting.support(member=charlie, idea=idea)

        returned = voting.withdraw_support(member=bob, idea=idea)

        assert days_of(idea) == {trending.today(): 1}
        assert recent(idea) == 1
        assert returned.recent_supports == 1

    def test_a_withdrawal_of_a_support_from_days_ago_uses_that_day(
        self, idea, bob, charlie
    ):
        old = voting.support(member=bob, idea=idea)
        as_if_made_days_ago(old, 3)
        voting.support(member=charlie, idea=idea)

        voting.withdraw_support(member=bob, idea=idea)

        assert days_of(idea) == {trending.today() - 3 * DAY: 0, trending.today(): 1}
        assert recent(idea) == 1

    def test_a_withdrawal_of_a_support_outside_the_window_never_goes_negative(
        self, idea, bob
    ):
        voting.support(member=bob, idea=idea)
        trending.refresh(day=trending.today() + 10 * DAY)  # ten days pass
        assert recent(idea) == 0

        voting.withdraw_support(member=bob, idea=idea)

        stored = Idea.objects.get(pk=idea.pk)
        assert stored.recent_supports == 0
        assert stored.supports_count == 0
        assert days_of(idea) == {}


class TestRefresh:
    def test_days_that_leave_the_window_are_subtracted_once(self, idea, bob, charlie):
        first = voting.support(member=bob, idea=idea)
        as_if_made_days_ago(first, 6)  # the window's first day
        voting.support(member=charlie, idea=idea)

        assert trending.refresh() == 0
        assert recent(idea) == 2

        assert trending.refresh(day=trending.today() + DAY) == 1
        assert recent(idea) == 1
        assert days_of(idea) == {trending.today(): 1}

        assert trending.refresh(day=trending.today() + DAY) == 0  # idempotent
        assert recent(idea) == 1

    def test_it_works_in_batches(self, bob):
        ideas = IdeaFactory.create_batch(5)
        for idea in ideas:
            as_if_made_days_ago(voting.support(member=bob, idea=idea), 9)

        assert trending.refresh(batch_size=2) == 5
        assert [recent(idea) for idea in ideas] == [0] * 5
        assert not DailySupports.objects.exists()

    def test_the_command_says_what_it_did(self, idea, bob):
        as_if_made_days_ago(voting.support(member=bob, idea=idea), 8)
        out = io.StringIO()

        call_command("refresh_trending", stdout=out)

        assert out.getvalue().strip() == "ideas refreshed: 1"
        assert recent(idea) == 0

    def test_the_trending_sort_follows_the_refresh(self, client, bob, charlie):
        last_week = IdeaFactory(title="Last week")
        today = IdeaFactory(title="Today")
        for member in (bob, charlie):
            as_if_made_days_ago(voting.support(member=member, idea=last_week), 7)
        voting.support(member=bob, idea=today)

        def trending_titles():
            response = client.get("/ideas/?sort=trending")
            return [idea.title for idea in response.context["ideas"]]

        assert trending_titles() == ["Last week", "Today"]  # not refreshed yet
        trending.refresh()
        assert trending_titles() == ["Today", "Last week"]


class TestMerging:
    def test_a_merge_moves_the_weeks_supports_with_the_supports(
        self, moderator, alice, bob, charlie
    ):
        target = IdeaFactory(author=alice)
        source = IdeaFactory()
        voting.support(member=bob, idea=target)
        voting.support(member=bob, idea=source)  # already supports the target
        moved = voting.support(member=charlie, idea=source)
        as_if_made_days_ago(moved, 2)

        record = merging.merge(actor=moderator, source=source, target=target)

        assert recent(target) == 2
        assert days_of(target) == {
            trending.today(): 1,
            trending.today() - 2 * DAY: 1,
        }
        assert recent(source) == 1
        assert days_of(source) == {trending.today(): 1}

        merging.undo_merge(actor=moderator, merge_record=record)

        assert recent(target) == 1
        assert days_of(target) == {trending.today(): 1}
        assert recent(source) == 2
        assert days_of(source) == {
            trending.today(): 1,
            trending.today() - 2 * DAY: 1,
        }


class TestRecount:
    def test_it_rebuilds_the_days_and_sums_from_the_supports(self, idea, bob):
        voting.support(member=bob, idea=idea)
        SupportFactory(idea=idea)  # a row that bypassed the service
        SupportFactory(
            idea=idea, created_at=datetime.datetime.now(datetime.UTC) - 30 * DAY
        )
        other = IdeaFactory()
        Idea.objects.filter(pk=other.pk).update(recent_supports=4)

        assert recount_ideas() == 2

        assert days_of(idea) == {trending.today(): 2}
        assert recent(idea) == 2
        assert recent(other) == 0
        assert recount_ideas() == 0

    def test_the_check_names_a_wrong_week(self, idea, bob):
        voting.support(member=bob, idea=idea)
        Idea.objects.filter(pk=idea.pk).update(recent_supports=5)
        out, err = io.StringIO(), io.StringIO()

        with pytest.raises(SystemExit):
            call_command("recount_ideas", "--check", stdout=out, stderr=err)

        assert f"idea {idea.pk}: recent_supports is 5, should be 1" in err.getvalue()
        assert recent(idea) == 5  # nothing written

    def test_days_not_yet_refreshed_are_not_an_error(self, idea, bob):
        as_if_made_days_ago(voting.support(member=bob, idea=idea), 9)

        assert recount_ideas() == 0
        assert recent(idea) == 0
        assert days_of(idea) == {}


def test_a_member_can_support_many_ideas_on_one_day(bob):
    ideas = IdeaFactory.create_batch(3, author=UserFactory())

    for idea in ideas:
        voting.support(member=bob, idea=idea)

    assert DailySupports.objects.filter(day=trending.today()).count() == 3
