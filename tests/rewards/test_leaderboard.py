"""Leaderboards: who earned most this week, this month, ever and per campaign,
computed from the ledger, cached for five minutes, in a constant number of
queries."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rewards import ledger, selectors
from rewards.models import Entry
from tests.factories import UserFactory
from tests.rewards.conftest import seasoned
from tests.rewards.views.helpers import earn

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_audit")]

UTC = datetime.UTC
# A Wednesday: its week began on Monday 16 November, its month on the 1st.
WEDNESDAY = datetime.datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


def forget_boards(*campaign_ids: int | None) -> None:
    """Drop cached boards, as five minutes would (never FLUSHDB: see conftest)."""
    cache.delete_many(
        [
            selectors.board_key(period, campaign_id, selectors.period_start(period))
            for period in selectors.PERIODS
            for campaign_id in (None, *campaign_ids)
        ]
        + [selectors.CAMPAIGNS_KEY]
    )


def names(board) -> list[str]:
    return [standing.member.public_name for standing in board]


def board(period: str, **kwargs) -> list[tuple[str, int]]:
    return [
        (standing.member.public_name, standing.points)
        for standing in selectors.leaderboard(period=period, now=WEDNESDAY, **kwargs)
    ]


class TestPeriods:
    @pytest.fixture(autouse=True)
    def _history(self, alice, bob, charlie):
        earn(alice, 10, at=datetime.datetime(2026, 11, 17, 9, 0, tzinfo=UTC))
        earn(bob, 30, at=datetime.datetime(2026, 11, 15, 23, 59, tzinfo=UTC))
        earn(charlie, 50, at=datetime.datetime(2026, 10, 31, 23, 59, tzinfo=UTC))

    def test_this_week_counts_from_monday(self):
        assert board("week") == [("Alice", 10)]

    def test_this_month_counts_from_the_first(self):
        assert board("month") == [("Bob", 30), ("Alice", 10)]

    def test_all_time_counts_everything(self):
        assert board("all") == [("Charlie", 50), ("Bob", 30), ("Alice", 10)]

    def test_an_unknown_period_is_this_week(self):
        assert board("decade") == board("week")


def test_a_week_begins_on_monday_midnight_local_time(settings, alice, bob):
    settings.TIME_ZONE = "Europe/Paris"
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    # Monday 00:30 in Paris is still Sunday in UTC.
    earn(alice, 5, at=datetime.datetime(2026, 11, 16, 0, 30, tzinfo=paris))
    earn(bob, 5, at=datetime.datetime(2026, 11, 15, 23, 30, tzinfo=paris))

    assert selectors.period_start("week", WEDNESDAY) == datetime.datetime(
        2026, 11, 16, tzinfo=paris
    )
    assert board("week") == [("Alice", 5)]


def test_ties_go_to_whoever_got_there_first(alice, bob, charlie):
    earn(bob, 20, at=WEDNESDAY - datetime.timedelta(hours=3))
    earn(alice, 15, at=WEDNESDAY - datetime.timedelta(hours=5))
    earn(alice, 5, at=WEDNESDAY - datetime.timedelta(hours=1))
    earn(charlie, 20, at=WEDNESDAY - datetime.timedelta(hours=2))

    assert board("week") == [("Bob", 20), ("Charlie", 20), ("Alice", 20)]


def test_reversals_count_and_nothing_below_one_point_is_listed(alice, bob):
    kept = earn(alice, 30, at=WEDNESDAY - datetime.timedelta(hours=2))
    taken = earn(bob, 40, at=WEDNESDAY - datetime.timedelta(hours=2))
    earn(bob, 5, at=WEDNESDAY - datetime.timedelta(hours=2))
    ledger.reverse(
        Entry.objects.filter(pk__in=[taken.pk]).select_related("wallet"),
        why="removed",
        memo="Removed by a moderator",
    )

    assert kept.amount == 30
    assert board("all") == [("Alice", 30), ("Bob", 5)]


def test_adjustments_do_not_count(alice, bob):
    admin = UserFactory(is_staff=True, is_superuser=True)
    ledger.adjust(member=bob, amount=500, memo="Gift", actor=admin)
    earn(alice, 1, at=WEDNESDAY - datetime.timedelta(hours=1))

    assert board("all") == [("Alice", 1)]


def test_team_members_and_closed_accounts_are_left_out(alice, bob, charlie):
    earn(alice, 10, at=WEDNESDAY - datetime.timedelta(hours=1))
    earn(bob, 20, at=WEDNESDAY - datetime.timedelta(hours=1))
    earn(charlie, 30, at=WEDNESDAY - datetime.timedelta(hours=1))
    bob.is_staff = True
    bob.save(update_fields=["is_staff"])
    charlie.is_active = False
    charlie.save(update_fields=["is_active"])
    boss = seasoned(display_name="Boss", is_superuser=True)
    earn(boss, 99, at=WEDNESDAY - datetime.timedelta(hours=1))

    assert board("all") == [("Alice", 10)]


def test_a_campaign_board_counts_only_its_campaign(make_campaign, alice, bob):
    shoes = make_campaign(title="Shoes")
    tents = make_campaign(title="Tents")
    at = WEDNESDAY - datetime.timedelta(hours=1)
    earn(alice, 10, at=at, campaign_id=shoes.pk)
    earn(bob, 50, at=at, campaign_id=tents.pk)
    earn(bob, 5, at=at, campaign_id=shoes.pk)

    assert board("all", campaign_id=shoes.pk) == [("Alice", 10), ("Bob", 5)]
    assert board("all", campaign_id=tents.pk) == [("Bob", 50)]


def test_it_shows_the_top_50(alice):
    members = [seasoned(display_name=f"Runner {n:02d}") for n in range(55)]
    for n, member in enumerate(members):
        earn(member, n + 1, at=WEDNESDAY - datetime.timedelta(hours=1))

    standings = selectors.leaderboard(period="all", now=WEDNESDAY)

    assert len(standings) == 50
    assert standings[0].member.public_name == "Runner 54"
    assert [s.rank for s in standings] == list(range(1, 51))


# The page ------------------------------------------------------------------------


class TestPage:
    def test_visitors_see_this_weeks_board_by_default(self, client, alice, bob):
        earn(alice, 10)
        earn(bob, 99, at=timezone.now() - datetime.timedelta(days=70))

        response = client.get("/rewards/leaderboard/")

        assert response.status_code == 200
        assert response.context["period"] == "week"
        assert names(response.context["standings"]) == ["Alice"]
        page = response.content.decode()
        assert alice.get_absolute_url() in page
        assert '<span class="level-pill" title="Level">Newcomer</span>' in page
        assert 'aria-current="page">This week' in page

    def test_tabs_switch_the_period(self, client, alice, bob):
        earn(alice, 10)
        earn(bob, 99, at=timezone.now() - datetime.timedelta(days=70))

        response = client.get("/rewards/leaderboard/?period=all")

        assert names(response.context["standings"]) == ["Bob", "Alice"]
        assert "99 points" in response.content.decode()

    def test_month_tab(self, client, alice, bob):
        earn(alice, 10)
        earn(bob, 99, at=timezone.now() - datetime.timedelta(days=70))

        response = client.get("/rewards/leaderboard/?period=month")

        assert names(response.context["standings"]) == ["Alice"]

    def test_a_campaign_tab(self, client, make_campaign, alice, bob):
        shoes = make_campaign(title="Shoes")
        earn(alice, 10, campaign_id=shoes.pk)
        earn(bob, 99)

        response = client.get(f"/rewards/leaderboard/?campaign={shoes.pk}")

        assert names(response.context["standings"]) == ["Alice"]
        assert response.context["period"] == "all"
        page = response.content.decode()
        assert "Leaderboard: Shoes" in page
        assert f'<option value="{shoes.pk}" selected>Shoes</option>' in page

    def test_an_unknown_campaign_is_not_found(self, client):
        assert client.get("/rewards/leaderboard/?campaign=9999").status_code == 404
        assert client.get("/rewards/leaderboard/?campaign=x").status_code == 404

    def test_an_empty_board_says_so(self, client):
        response = client.get("/rewards/leaderboard/")

        assert "Nobody has earned points" in response.content.decode()

    def test_a_board_is_cached_for_five_minutes(self, client, alice, bob):
        earn(alice, 10)
        with CaptureQueriesContext(connection) as cold:
            client.get("/rewards/leaderboard/?period=all")
        earn(bob, 50)

        with CaptureQueriesContext(connection) as warm:
            response = client.get("/rewards/leaderboard/?period=all")

        assert names(response.context["standings"]) == ["Alice"]
        assert len(warm.captured_queries) < len(cold.captured_queries)
        forget_boards()
        response = client.get("/rewards/leaderboard/?period=all")
        assert names(response.context["standings"]) == ["Bob", "Alice"]

    @pytest.mark.parametrize("viewer", ["anonymous", "member"])
    def test_it_runs_the_same_queries_for_3_and_30_members(
        self, client, make_campaign, django_assert_max_num_queries, viewer
    ):
        shoes = make_campaign(title="Shoes")
        if viewer == "member":
            client.force_login(seasoned(display_name="Viewer"))
        urls = [
            "/rewards/leaderboard/",
            "/rewards/leaderboard/?period=month",
            "/rewards/leaderboard/?period=all",
            f"/rewards/leaderboard/?campaign={shoes.pk}",
        ]

        def add(count: int) -> None:
            for n in range(count):
                member = seasoned(display_name=f"Runner {n}")
                earn(member, n + 1, campaign_id=shoes.pk)

        def queries() -> dict[str, int]:
            counts = {}
            for url in urls:
                forget_boards(shoes.pk)
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(url).status_code == 200
                counts[url] = len(captured.captured_queries)
            return counts

        add(3)
        queries()  # warm what a first visit fills (the site's root paths)
        small = queries()
        add(27)

        assert queries() == small
        for url in urls:
            forget_boards(shoes.pk)
            with django_assert_max_num_queries(8):
                client.get(url)


def test_a_campaign_made_private_leaves_the_list_at_once(make_campaign):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    from tests.ideas.private.conftest import restrict

    shoes = make_campaign(title="Shoes")
    cache.delete(selectors.CAMPAIGNS_KEY)
    assert (shoes.pk, "Shoes") in selectors.live_campaigns()  # now cached

    restriction = restrict(
        shoes,
        PageViewRestriction.GROUPS,
        groups=[Group.objects.create(name="Panel")],
    )
    assert shoes.pk not in dict(selectors.live_campaigns())

    restriction.delete()
    assert shoes.pk in dict(selectors.live_campaigns())
