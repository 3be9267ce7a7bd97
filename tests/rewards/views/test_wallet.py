"""A member's wallet page, and cancelling a request from it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ideas import discussion, voting
from rewards import redemptions, wallets
from rewards.models import (
    Badge,
    MemberBadge,
    Milestone,
    Redemption,
    RedemptionStatus,
    Reward,
    Wallet,
)
from tests.rewards.views.helpers import ADDRESS, available, held, redeem_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_audit")]


# The wallet ----------------------------------------------------------------------
class TestWallet:
    def test_it_sends_visitors_to_log_in(self, client):
        response = client.get("/rewards/wallet/")

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_a_member_who_never_earned_sees_an_empty_wallet(self, client, charlie):
        client.force_login(charlie)

        response = client.get("/rewards/wallet/")

        assert response.status_code == 200
        assert response.context["wallet"].available == 0
        assert "Nothing yet" in response.content.decode()
        assert not Wallet.objects.filter(member=charlie).exists()

    def test_it_lists_entries_with_links_to_what_earned_them(
        self, client, alice, bob, idea
    ):
        voting.support(member=bob, idea=idea)
        comment = discussion.post_comment(author=bob, idea=idea, body="Love it")
        client.force_login(bob)

        response = client.get("/rewards/wallet/")

        page = response.content.decode()
        idea_url = reverse("ideas:detail", args=[idea.pk])
        assert f'href="{idea_url}"' in page
        assert f'href="{idea_url}#comment-{comment.pk}"' in page
        assert "You supported “Shoes that dry overnight”" in page
        assert "+1" in page
        assert "+2" in page
        assert "Earned" in page

    def test_it_shows_balances_level_and_badges(self, client, alice, fund):
        fund(alice, 40)
        badge = Badge.objects.get(milestone=Milestone.FIRST_IDEA)
        MemberBadge.objects.create(member=alice, badge=badge)
        client.force_login(alice)

        response = client.get("/rewards/wallet/")

        page = response.content.decode()
        assert response.context["wallet"].available == 40
        assert response.context["progress"]["next_level"].name == "Contributor"
        assert "Level: Newcomer" in page
        assert badge.name in page
        assert badge.symbol in page

    def test_holds_show_as_negative_points(self, client, alice, fund, donation):
        fund(alice, 100)
        client.force_login(alice)
        client.post(redeem_url(donation))

        page = client.get("/rewards/wallet/").content.decode()

        assert "\u221250" in page  # a true minus sign
        assert "Held for a redemption" in page
        assert "+100" in page

    def test_it_pages_entries_25_at_a_time_newest_first(self, client, alice, fund):
        for n in range(1, 31):
            fund(alice, n)
        client.force_login(alice)

        first = client.get("/rewards/wallet/")
        second = client.get("/rewards/wallet/?page=2")

        assert [e.amount for e in first.context["entries"]] == list(range(30, 5, -1))
        assert [e.amount for e in second.context["entries"]] == [5, 4, 3, 2, 1]
        assert "Page 1 of 2" in first.content.decode()

    def test_it_runs_the_same_queries_for_5_and_50_entries(
        self, client, alice, fund, donation, goods
    ):
        def add(count):
            for _ in range(count):
                fund(alice, 300)
            redemptions.redeem(member=alice, reward=donation)
            redemptions.redeem(
                member=alice, reward=goods, details=redemptions.Details(**ADDRESS)
            )

        def queries():
            with CaptureQueriesContext(connection) as captured:
                assert client.get("/rewards/wallet/").status_code == 200
            return len(captured.captured_queries)

        client.force_login(alice)
        add(5)
        client.get("/rewards/wallet/")
        small = queries()
        add(45)

        assert queries() == small

    def test_it_says_when_and_why_points_are_frozen(
        self, client, alice, fund, superuser
    ):
        fund(alice, 10)
        wallets.freeze(actor=superuser, member=alice, reason="Duplicate accounts")
        client.force_login(alice)

        page = client.get("/rewards/wallet/").content.decode()

        assert "Your points are frozen: Duplicate accounts" in page

    def test_it_shows_the_teams_note(self, client, alice, fund, superuser, donation):
        fund(alice, 100)
        redemption = redemptions.redeem(member=alice, reward=donation)
        redemptions.reject(
            actor=superuser, redemption=redemption, note="This cause is closed."
        )
        client.force_login(alice)

        page = client.get("/rewards/wallet/").content.decode()

        assert "This cause is closed." in page
        assert "Rejected" in page


# Cancelling ----------------------------------------------------------------------
class TestCancel:
    def cancel_url(self, redemption: Redemption) -> str:
        return reverse("rewards:cancel", args=[redemption.pk])

    def test_a_member_cancels_a_waiting_request_and_gets_the_points_back(
        self, client, alice, fund, goods
    ):
        fund(alice, 300)
        redemption = redemptions.redeem(
            member=alice, reward=goods, details=redemptions.Details(**ADDRESS)
        )
        client.force_login(alice)

        response = client.post(self.cancel_url(redemption), follow=True)

        assert "its 200 points are back" in response.content.decode()
        redemption.refresh_from_db()
        assert redemption.status == RedemptionStatus.CANCELLED
        assert (available(alice), held(alice)) == (300, 0)
        assert Reward.objects.get(pk=goods.pk).stock == 3

    def test_someone_elses_request_is_not_found(self, client, alice, bob, fund, goods):
        fund(alice, 300)
        redemption = redemptions.redeem(
            member=alice, reward=goods, details=redemptions.Details(**ADDRESS)
        )
        client.force_login(bob)

        response = client.post(self.cancel_url(redemption))

        assert response.status_code == 404
        redemption.refresh_from_db()
        assert redemption.status == RedemptionStatus.PENDING
        assert held(alice) == 200

    def test_a_closed_request_cannot_be_cancelled(self, client, alice, fund, voucher):
        fund(alice, 100)
        redemption = redemptions.redeem(member=alice, reward=voucher)
        client.force_login(alice)

        response = client.post(self.cancel_url(redemption), follow=True)

        assert "can no longer be cancelled" in response.content.decode()
        assert available(alice) == 0

    def test_it_rejects_get(self, client, alice, fund, donation):
        fund(alice, 100)
        redemption = redemptions.redeem(member=alice, reward=donation)
        client.force_login(alice)

        assert client.get(self.cancel_url(redemption)).status_code == 405

    def test_only_waiting_requests_offer_a_cancel_button(
        self, client, alice, fund, donation, superuser
    ):
        fund(alice, 100)
        waiting = redemptions.redeem(member=alice, reward=donation)
        approved = redemptions.redeem(member=alice, reward=donation)
        redemptions.approve(actor=superuser, redemption=approved)
        client.force_login(alice)

        page = client.get("/rewards/wallet/").content.decode()

        assert self.cancel_url(waiting) in page
        assert self.cancel_url(approved) not in page
