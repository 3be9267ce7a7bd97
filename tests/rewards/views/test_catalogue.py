"""What members see of the catalogue and of a reward's page."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from rewards.models import (
    Reward,
    RewardKind,
)
from tests.rewards.views.helpers import ADDRESS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_audit")]


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
        assert "€10.00" in page  # the default 1000 points
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


def test_the_catalogue_names_the_smallest_payout_the_settings_allow(client, db):
    from rewards.models import Reward, RewardSettings

    config = RewardSettings.load()
    config.money_minimum_points = 2500
    config.save()
    Reward.objects.create(title="Cash out", kind="money", cost=1000)
    html = client.get(reverse("rewards:catalogue")).content.decode()
    assert "from <strong>2500</strong> points" in html
