"""A reward's redeem form, as members use it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rewards import wallets
from rewards.models import (
    Redemption,
    RedemptionStatus,
    Reward,
    RewardKind,
)
from tests.rewards.views.helpers import ADDRESS, available, held, redeem_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_audit")]


FR_IBAN = "FR76 3000 6000 0112 3456 7890 189"


DE_IBAN = "DE89 3704 0044 0532 0130 00"


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
        assert "€15.00" in page
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
