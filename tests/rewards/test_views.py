"""What members see of the points economy, through the test client: the catalogue,
a reward's page and its redeem form, the wallet, cancelling, and "+N points"."""

from __future__ import annotations

import datetime
import itertools
import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from ideas import discussion, voting
from rewards import ledger, redemptions, wallets
from rewards.models import (
    Badge,
    Entry,
    EntryKind,
    MemberBadge,
    Milestone,
    Redemption,
    RedemptionStatus,
    Reward,
    RewardKind,
    VoucherCode,
    Wallet,
)
from rewards.templatetags.rewards_tags import member_rewards
from tests.factories import IdeaFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_audit")]

HTMX = {"HTTP_HX_REQUEST": "true"}
FR_IBAN = "FR76 3000 6000 0112 3456 7890 189"
DE_IBAN = "DE89 3704 0044 0532 0130 00"
ADDRESS = {
    "shipping_name": "Alice Martin",
    "shipping_address": "12 rue des Lilas",
    "shipping_postcode": "69001",
    "shipping_city": "Lyon",
    "shipping_country": "France",
}


@pytest.fixture
def fund(superuser):
    """Give a member points through the ledger, as staff would."""

    def give(member, amount: int) -> None:
        ledger.adjust(
            member=member, amount=amount, memo="Welcome points", actor=superuser
        )

    return give


@pytest.fixture
def voucher(db):
    reward = Reward.objects.create(
        title="10 € voucher", kind=RewardKind.VOUCHER, cost=100
    )
    VoucherCode.objects.create(reward=reward, code="SHOES-1234")
    return reward


@pytest.fixture
def goods(db):
    return Reward.objects.create(
        title="Water bottle", kind=RewardKind.GOODS, cost=200, stock=3
    )


@pytest.fixture
def donation(db):
    return Reward.objects.create(
        title="Plant trees", kind=RewardKind.DONATION, cost=50, cause="Forests Now"
    )


@pytest.fixture
def money(db):
    return Reward.objects.create(title="Cash out", kind=RewardKind.MONEY, cost=500)


_keys = itertools.count(1)


def earn(
    member,
    points: int,
    *,
    at: datetime.datetime | None = None,
    campaign_id: int | None = None,
    idea_id: int | None = None,
) -> Entry:
    """Points earned (they count toward levels and leaderboards), written through
    the ledger as an earning rule would, at a chosen time."""
    with transaction.atomic():
        wallets_ = ledger.lock_wallets([member.pk])
        (entry,) = ledger.post(
            wallets_,
            [
                ledger.Posting(
                    member_id=member.pk,
                    kind=EntryKind.EARN,
                    key=f"test-earn:{next(_keys)}",
                    amount=points,
                    memo="Earned in a test",
                    campaign_id=campaign_id,
                    idea_id=idea_id,
                    created_at=at,
                )
            ],
        )
    return entry


def available(member) -> int:
    return wallets.wallet_of(member).available


def held(member) -> int:
    return wallets.wallet_of(member).held


def redeem_url(reward: Reward) -> str:
    return reverse("rewards:redeem", args=[reward.pk])


# The catalogue ---------------------------------------------------------------


class TestCatalogue:
    def test_it_shows_rewards_on_offer_to_visitors(self, client, goods, donation):
        Reward.objects.create(
            title="Hidden thing", kind=RewardKind.GOODS, cost=1, is_active=False
        )
        Reward.objects.create(
            title="Future thing",
            kind=RewardKind.GOODS,
            cost=1,
            available_from=timezone.now() + datetime.timedelta(days=2),
        )
        Reward.objects.create(
            title="Past thing",
            kind=RewardKind.GOODS,
            cost=1,
            available_until=timezone.now() - datetime.timedelta(days=2),
        )

        response = client.get("/rewards/")

        assert response.status_code == 200
        page = response.content.decode()
        assert "Water bottle" in page
        assert "3 left" in page
        assert "Plant trees" in page
        assert "Hidden thing" not in page
        assert "Future thing" not in page
        assert "Past thing" not in page
        assert "Log in" in page

    def test_it_says_when_a_reward_is_out_of_stock(self, client, goods):
        Reward.objects.filter(pk=goods.pk).update(stock=0)

        page = client.get("/rewards/").content.decode()

        assert "out of stock" in page

    def test_it_shows_the_members_available_points(self, client, alice, fund):
        fund(alice, 150)
        client.force_login(alice)

        response = client.get("/rewards/")

        assert response.context["wallet"].available == 150
        assert "<strong>150</strong> points available" in response.content.decode()

    def test_it_shows_images_in_a_constant_number_of_queries(self, client):
        def add(count: int) -> None:
            for n in range(count):
                image = get_image_model().objects.create(
                    title=f"Bottle {n}", file=get_test_image_file()
                )
                Reward.objects.create(
                    title=f"Bottle {n}", kind=RewardKind.GOODS, cost=10, image=image
                )

        def queries() -> int:
            client.get("/rewards/")  # renditions are made on the first visit
            with CaptureQueriesContext(connection) as captured:
                response = client.get("/rewards/")
            assert response.status_code == 200
            return len(captured.captured_queries)

        add(2)
        small = queries()
        add(6)

        assert queries() == small
        assert response_has_images(client.get("/rewards/"), 8)


def response_has_images(response, count: int) -> bool:
    return response.content.decode().count('class="reward-card-image"') == count


# A reward's page -----------------------------------------------------------------


class TestRewardPage:
    def test_it_asks_visitors_to_log_in(self, client, goods):
        response = client.get(reverse("rewards:detail", args=[goods.pk]))

        assert response.status_code == 200
        assert "Log in to redeem" in response.content.decode()
        assert "shipping_name" not in response.content.decode()

    def test_goods_ask_for_a_shipping_address(self, client, alice, goods):
        client.force_login(alice)

        page = client.get(reverse("rewards:detail", args=[goods.pk])).content.decode()

        for field in ADDRESS:
            assert f'name="{field}"' in page

    def test_money_shows_the_rate_and_the_amount(self, client, alice, money):
        client.force_login(alice)

        response = client.get(reverse("rewards:detail", args=[money.pk]))

        page = response.content.decode()
        assert "100 points = 1 EUR" in page
        assert "10.00 EUR" in page  # the default 1000 points
        assert response.context["form"].fields["points"].initial == 1000
        assert 'name="iban"' in page
        assert 'name="account_holder"' in page

    def test_donations_name_their_cause(self, client, alice, donation):
        client.force_login(alice)

        page = client.get(
            reverse("rewards:detail", args=[donation.pk])
        ).content.decode()

        assert "Forests Now" in page
        assert "shipping_name" not in page
        assert 'name="iban"' not in page

    def test_vouchers_ask_for_nothing(self, client, alice, voucher):
        client.force_login(alice)

        response = client.get(reverse("rewards:detail", args=[voucher.pk]))

        assert list(response.context["form"].fields) == []

    def test_a_withdrawn_reward_is_not_found(self, client, goods):
        Reward.objects.filter(pk=goods.pk).update(is_active=False)

        response = client.get(reverse("rewards:detail", args=[goods.pk]))

        assert response.status_code == 404


# Redeeming ----------------------------------------------------------------------


class TestRedeem:
    def test_it_sends_visitors_to_log_in(self, client, voucher):
        response = client.post(redeem_url(voucher))

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert not Redemption.objects.exists()

    def test_it_rejects_get(self, client, alice, voucher):
        client.force_login(alice)

        response = client.get(redeem_url(voucher))

        assert response.status_code == 405

    def test_a_voucher_shows_its_code_at_once(self, client, alice, fund, voucher):
        fund(alice, 150)
        client.force_login(alice)

        response = client.post(redeem_url(voucher), follow=True)

        assert response.redirect_chain[-1][0] == reverse("rewards:wallet")
        page = response.content.decode()
        assert "Your voucher code: SHOES-1234" in page
        assert '<code class="voucher-code">SHOES-1234</code>' in page
        redemption = Redemption.objects.get()
        assert redemption.status == RedemptionStatus.FULFILLED
        assert (available(alice), held(alice)) == (50, 0)

    def test_a_voucher_without_codes_waits_for_approval(self, client, alice, fund):
        reward = Reward.objects.create(
            title="Voucher", kind=RewardKind.VOUCHER, cost=100
        )
        fund(alice, 150)
        client.force_login(alice)

        response = client.post(redeem_url(reward), follow=True)

        assert "Your request is waiting for approval" in response.content.decode()
        assert Redemption.objects.get().status == RedemptionStatus.PENDING
        assert (available(alice), held(alice)) == (50, 100)

    def test_goods_without_an_address_say_so_and_keep_what_was_typed(
        self, client, alice, fund, goods
    ):
        fund(alice, 500)
        client.force_login(alice)
        typed = {**ADDRESS, "shipping_address": "  "}

        response = client.post(redeem_url(goods), typed)

        assert response.status_code == 400
        page = response.content.decode()
        assert "Please correct the following" in page
        assert "Address: This field is required." in page
        assert 'value="Alice Martin"' in page
        assert 'value="69001"' in page
        assert not Redemption.objects.exists()
        assert (available(alice), held(alice)) == (500, 0)

    def test_goods_with_an_address_hold_the_points(self, client, alice, fund, goods):
        fund(alice, 500)
        client.force_login(alice)

        response = client.post(redeem_url(goods), ADDRESS, follow=True)

        assert "Your request is waiting for approval" in response.content.decode()
        redemption = Redemption.objects.get()
        assert redemption.shipping_city == "Lyon"
        assert (available(alice), held(alice)) == (300, 200)
        assert Reward.objects.get(pk=goods.pk).stock == 2

    def test_a_donation_holds_the_points(self, client, alice, fund, donation):
        fund(alice, 60)
        client.force_login(alice)

        response = client.post(redeem_url(donation))

        assert response.status_code == 302
        assert (available(alice), held(alice)) == (10, 50)

    def test_money_with_a_mistyped_iban_holds_nothing(self, client, alice, fund, money):
        fund(alice, 2000)
        client.force_login(alice)
        typed = {
            "points": "1000",
            "account_holder": "Alice Martin",
            "iban": "FR76 3000 6000 0112 3456 7890 188",
        }

        response = client.post(redeem_url(money), typed)

        assert response.status_code == 400
        page = response.content.decode()
        assert "typing mistake" in page
        assert 'value="Alice Martin"' in page
        assert not Redemption.objects.exists()
        assert (available(alice), held(alice)) == (2000, 0)

    @pytest.mark.parametrize(
        ("iban", "masked"),
        [(FR_IBAN, "FR76 •••• •••• 0189"), (DE_IBAN, "DE89 •••• •••• 3000")],
    )
    def test_money_with_a_valid_iban_is_requested_and_shown_masked(
        self, client, alice, fund, money, iban, masked
    ):
        fund(alice, 2000)
        client.force_login(alice)
        typed = {"points": "1500", "account_holder": "Alice Martin", "iban": iban}

        response = client.post(redeem_url(money), typed, follow=True)

        page = response.content.decode()
        assert "Your request is waiting for approval" in page
        redemption = Redemption.objects.get()
        assert redemption.iban == iban.replace(" ", "")
        assert (redemption.points, redemption.amount_cents) == (1500, 1500)
        assert (available(alice), held(alice)) == (500, 1500)
        assert masked in page
        assert "15.00 EUR" in page
        assert iban not in page
        assert iban.replace(" ", "") not in page

    def test_a_refused_payout_never_shows_the_iban_again(
        self, client, alice, fund, money
    ):
        fund(alice, 200)
        client.force_login(alice)
        typed = {"points": "1000", "account_holder": "Alice Martin", "iban": FR_IBAN}

        response = client.post(redeem_url(money), typed)

        assert response.status_code == 409
        page = response.content.decode()
        assert "costs 1000 points and you have 200 available" in page
        assert 'value="Alice Martin"' in page
        assert FR_IBAN not in page
        assert FR_IBAN.replace(" ", "") not in page
        assert "please type it once more" in page

    def test_money_below_the_minimum_says_how_much(self, client, alice, fund, money):
        fund(alice, 2000)
        client.force_login(alice)
        typed = {"points": "600", "account_holder": "Alice", "iban": FR_IBAN}

        response = client.post(redeem_url(money), typed)

        assert response.status_code == 400
        assert "Convert at least 1000 points." in response.content.decode()
        assert 'value="600"' in response.content.decode()
        assert not Redemption.objects.exists()

    def test_not_enough_points_says_so_and_holds_nothing(
        self, client, alice, fund, goods
    ):
        fund(alice, 150)
        client.force_login(alice)

        response = client.post(redeem_url(goods), ADDRESS)

        assert response.status_code == 409
        page = response.content.decode()
        assert "costs 200 points and you have 150 available" in page
        assert 'value="12 rue des Lilas"' not in page  # a textarea, not a value
        assert "12 rue des Lilas</textarea>" in page
        assert not Redemption.objects.exists()
        assert (available(alice), held(alice)) == (150, 0)

    def test_out_of_stock_says_so(self, client, alice, bob, fund, goods):
        Reward.objects.filter(pk=goods.pk).update(stock=1)
        fund(alice, 500)
        fund(bob, 500)
        client.force_login(bob)
        client.post(redeem_url(goods), ADDRESS)
        client.force_login(alice)

        response = client.post(redeem_url(goods), ADDRESS)

        assert response.status_code == 409
        assert "“Water bottle” is out of stock." in response.content.decode()
        assert available(alice) == 500

    def test_a_frozen_wallet_is_told_before_trying(
        self, client, alice, fund, superuser, donation
    ):
        fund(alice, 500)
        wallets.freeze(actor=superuser, member=alice, reason="Supports under review")
        client.force_login(alice)

        page = client.get(
            reverse("rewards:detail", args=[donation.pk])
        ).content.decode()

        assert "Your points are frozen: Supports under review" in page
        assert redeem_url(donation) not in page

    def test_a_frozen_wallet_cannot_redeem(
        self, client, alice, fund, superuser, donation
    ):
        fund(alice, 500)
        wallets.freeze(actor=superuser, member=alice, reason="Supports under review")
        client.force_login(alice)

        response = client.post(redeem_url(donation))

        assert response.status_code == 403
        assert "Your points are frozen: Supports under review" in (
            response.content.decode()
        )
        assert available(alice) == 500


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
        client.get(idea.get_absolute_url())
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


def test_the_catalogue_names_the_smallest_payout_the_settings_allow(client, db):
    from rewards.models import Reward, RewardSettings

    config = RewardSettings.load()
    config.money_minimum_points = 2500
    config.save()
    Reward.objects.create(title="Cash out", kind="money", cost=1000)
    html = client.get(reverse("rewards:catalogue")).content.decode()
    assert "from <strong>2500</strong> points" in html
