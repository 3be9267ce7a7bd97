"""Points feedback ("+N points"), levels next to names; pages never write entries."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ideas import discussion, voting
from rewards.models import (
    Badge,
    Entry,
    EntryKind,
    MemberBadge,
    Milestone,
    Wallet,
)
from rewards.templatetags.rewards_tags import member_rewards
from tests.factories import IdeaFactory, UserFactory
from tests.rewards.views.helpers import earn

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_audit")]


HTMX = {"HTTP_HX_REQUEST": "true"}


# "+N points" -----------------------------------------------------------------------
class TestPointsFeedback:
    @pytest.fixture(autouse=True)
    def _commits_at_once(self, monkeypatch):
        """The middleware hears of points once their transaction commits; the
        test's own transaction never does, so its on-commit work runs at once."""
        monkeypatch.setattr(
            "rewards.feedback.transaction.on_commit", lambda callback: callback()
        )

    def test_a_support_without_javascript_says_what_it_earned(self, client, bob, idea):
        client.force_login(bob)

        response = client.post(
            reverse("ideas:support", args=[idea.pk]), {"action": "support"}, follow=True
        )

        assert "+1 point in your wallet." in response.content.decode()

    def test_an_htmx_support_triggers_the_toast(self, client, bob, idea):
        client.force_login(bob)

        response = client.post(
            reverse("ideas:support", args=[idea.pk]), {"action": "support"}, **HTMX
        )

        assert response.status_code == 200
        triggers = json.loads(response["HX-Trigger"])
        assert triggers["points-earned"] == {"points": 1, "text": "+1 point"}

    def test_the_menu_loads_the_members_points(self, client, bob, idea):
        voting.support(member=bob, idea=idea)
        client.force_login(bob)

        page = client.get("/").content.decode()
        points = client.get(reverse("rewards:nav_points"), **HTMX)

        assert 'hx-get="/rewards/wallet/points/"' in page
        assert 'hx-trigger="load, points-earned from:body"' in page
        assert "rewards.js" in page
        assert points.content.decode().strip() == "1 point"

    def test_visitors_get_no_points_in_the_menu(self, client):
        assert client.get(reverse("rewards:nav_points")).status_code == 204


# Levels and badges next to names --------------------------------------------------
class TestLevelsNextToNames:
    def test_bylines_and_comments_carry_the_level(self, client, alice, bob, idea):
        voting.support(member=bob, idea=idea)
        discussion.post_comment(author=bob, idea=idea, body="Love it")

        page = client.get(idea.get_absolute_url()).content.decode()
        listing = client.get("/ideas/").content.decode()

        assert page.count('<span class="level-pill" title="Level">Newcomer</span>') == 2
        assert '<span class="level-pill" title="Level">Newcomer</span>' in listing

    def test_levels_cost_no_query_per_name(self, client, idea):
        def add(count: int) -> None:
            for _ in range(count):
                member = UserFactory()
                earn(member, 60)
                discussion.post_comment(author=member, idea=idea, body="Yes!")
                earn(IdeaFactory(author=member).author, 1)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(idea.get_absolute_url()).status_code == 200
                assert client.get("/ideas/").status_code == 200
            return len(captured.captured_queries)

        add(3)
        queries()  # warms what a first visit caches (the private campaigns' rules)
        small = queries()
        add(9)

        assert queries() == small
        assert client.get("/ideas/").content.decode().count("Contributor") == 12

    def test_members_without_a_wallet_show_no_level(self, client, idea):
        page = client.get(idea.get_absolute_url()).content.decode()

        assert "level-pill" not in page

    def test_a_profile_shows_level_and_badges(self, client, alice):
        earn(alice, 60)
        badge = Badge.objects.get(milestone=Milestone.FIRST_COMMENT)
        MemberBadge.objects.create(member=alice, badge=badge)

        page = client.get(alice.get_absolute_url()).content.decode()

        assert "Contributor" in page
        assert f'title="{badge.description}"' in page
        assert badge.name in page

    def test_the_profile_tag_runs_two_queries(self, alice, django_assert_num_queries):
        earn(alice, 60)
        MemberBadge.objects.create(
            member=alice, badge=Badge.objects.get(milestone=Milestone.FIRST_IDEA)
        )
        with django_assert_num_queries(2):
            context = member_rewards(alice)

        assert context["level"].name == "Contributor"
        assert len(context["awards"]) == 1


def test_entries_are_never_written_by_pages(client, alice, fund):
    """Reading the wallet writes nothing: no wallet, no entry."""
    client.force_login(alice)
    client.get("/rewards/wallet/")
    client.get("/rewards/")

    assert not Entry.objects.filter(kind=EntryKind.EARN).exists()
    assert not Wallet.objects.filter(member=alice).exists()
