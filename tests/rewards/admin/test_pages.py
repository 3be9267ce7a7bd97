"""The rewards back office: every page answers, every action has its audit label,
and whoever may not act is refused.

Personas: dana runs the back office (superuser), mo is a moderator who may decide
redemptions and nothing else, tess is staff with admin access but no rewards
permission, alice and bob are members.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.log_actions import registry as log_registry

from rewards.models import (
    Redemption,
    RedemptionStatus,
    RewardKind,
    VoucherCode,
    Wallet,
)
from tests.rewards.admin.helpers import (
    action_url,
    client_for,
    inspect_url,
    make_reward,
    wallet_of,
    wallet_url,
)

LIST_PAGES = [
    "rewards_earning_rules:index",
    "rewards_multipliers:index",
    "rewards_levels:index",
    "rewards_badges:index",
    "rewards_catalogue:index",
    "rewards_redemptions:index",
    "rewards_payouts:index",
    "rewards_wallets:index",
]


ADD_PAGES = [
    "rewards_earning_rules:add",
    "rewards_multipliers:add",
    "rewards_levels:add",
    "rewards_badges:add",
    "rewards_catalogue:add",
]


# Pages answer -------------------------------------------------------------------
@pytest.mark.parametrize("name", LIST_PAGES + ADD_PAGES)
def test_every_page_answers_for_the_back_office(name, dana_client, goods_request):
    make_reward(RewardKind.VOUCHER, title="Coffee voucher")
    response = dana_client.get(reverse(name))
    assert response.status_code == 200


def test_edit_and_detail_pages_answer(dana_client, goods_request, rules):
    reward = goods_request.reward
    wallet = wallet_of(goods_request.member)
    rule = next(iter(rules.values()))
    for url in [
        reverse("rewards_catalogue:edit", args=(reward.pk,)),
        reverse("rewards_earning_rules:edit", args=(rule.pk,)),
        inspect_url(goods_request),
        reverse("rewards_redemptions:history", args=(goods_request.pk,)),
        wallet_url("inspect", wallet),
        wallet_url("history", wallet),
    ]:
        assert dana_client.get(url).status_code == 200, url


def test_the_settings_of_the_economy_are_editable(dana_client):
    url = reverse("wagtailsettings:edit", args=("rewards", "rewardsettings"))
    response = dana_client.get(url, follow=True)
    assert response.status_code == 200
    assert "points_per_currency_unit" in response.content.decode()


def test_the_rewards_menu_groups_the_back_office(dana_client):
    html = dana_client.get(reverse("wagtailadmin_home")).content.decode()
    for label in ["Rewards", "Redemptions", "Money payouts", "Wallets", "Catalogue"]:
        assert label in html


def test_generic_forms_cannot_change_redemptions_or_wallets(dana_client, goods_request):
    """Even a superuser changes them only through the services."""
    wallet = wallet_of(goods_request.member)
    for url in [
        reverse("rewards_redemptions:add"),
        reverse("rewards_redemptions:edit", args=(goods_request.pk,)),
        reverse("rewards_redemptions:delete", args=(goods_request.pk,)),
        reverse("rewards_wallets:add"),
        reverse("rewards_wallets:edit", args=(wallet.pk,)),
        reverse("rewards_wallets:delete", args=(wallet.pk,)),
        reverse("rewards_catalogue:delete", args=(goods_request.reward_id,)),
    ]:
        response = dana_client.post(url, {"points": 1, "available": 10**6})
        assert response.status_code == 302, url
        assert response.url == reverse("wagtailadmin_home"), url
    goods_request.refresh_from_db()
    assert goods_request.points == 100
    assert wallet_of(goods_request.member).available == 200


# Audit log -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "action",
    [
        "cocreate.rewards.adjust",
        "cocreate.rewards.freeze",
        "cocreate.rewards.unfreeze",
        "cocreate.rewards.approve",
        "cocreate.rewards.fulfil",
        "cocreate.rewards.reject",
        "cocreate.rewards.cancel",
        "cocreate.rewards.import_codes",
        "cocreate.rewards.export_payout",
    ],
)
def test_every_rewards_action_has_a_label_in_the_audit_log(action):
    assert log_registry.action_exists(action)
    assert str(log_registry.get_action_label(action))


# Who may do what --------------------------------------------------------------------
def protected_requests(redemption: Redemption, wallet: Wallet) -> list:
    reward = make_reward(RewardKind.VOUCHER, title="Guarded voucher")
    return [
        ("get", reverse("rewards_redemptions:index"), {}),
        ("get", inspect_url(redemption), {}),
        ("post", action_url("approve", redemption), {}),
        ("post", action_url("reject", redemption), {"note": "No"}),
        ("post", action_url("cancel", redemption), {}),
        ("get", reverse("rewards_payouts:index"), {}),
        ("post", reverse("rewards_payouts:export"), {}),
        ("post", reverse("rewards_payouts:mark_paid"), {"redemptions": [1]}),
        ("get", reverse("rewards_wallets:index"), {}),
        ("get", wallet_url("inspect", wallet), {}),
        ("post", wallet_url("adjust", wallet), {"amount": 5, "memo": "x"}),
        ("post", wallet_url("freeze", wallet), {"reason": "x"}),
        ("post", wallet_url("unfreeze", wallet), {}),
        (
            "post",
            reverse("rewards_catalogue:import_codes", args=(reward.pk,)),
            {"codes_text": "A\nB"},
        ),
        ("get", reverse("rewards_catalogue:index"), {}),
        ("get", reverse("rewards_earning_rules:index"), {}),
    ]


def assert_nothing_changed(redemption: Redemption, wallet: Wallet):
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.PENDING
    wallet.refresh_from_db()
    assert (wallet.available, wallet.held, wallet.is_frozen) == (200, 100, False)
    assert not VoucherCode.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, goods_request):
    wallet = wallet_of(goods_request.member)
    for method, url, data in protected_requests(goods_request, wallet):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert "login" in response.url, url
    assert_nothing_changed(goods_request, wallet)


def test_members_without_admin_access_are_refused(bob, goods_request):
    client = client_for(bob)
    wallet = wallet_of(goods_request.member)
    for method, url, data in protected_requests(goods_request, wallet):
        response = getattr(client, method)(url, data)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "login" in response.url, url
    assert_nothing_changed(goods_request, wallet)


def test_staff_without_rewards_permissions_are_refused(tess, goods_request):
    client = client_for(tess)
    wallet = wallet_of(goods_request.member)
    for method, url, data in protected_requests(goods_request, wallet):
        response = getattr(client, method)(url, data)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response.url == reverse("wagtailadmin_home"), url
    assert_nothing_changed(goods_request, wallet)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Money payouts" not in html


def test_a_moderator_decides_redemptions_but_cannot_touch_points(mo, goods_request):
    client = client_for(mo)
    wallet = wallet_of(goods_request.member)
    assert client.get(reverse("rewards_redemptions:index")).status_code == 200
    assert client.get(inspect_url(goods_request)).status_code == 200
    assert client.get(reverse("rewards_payouts:index")).status_code == 200

    response = client.post(action_url("approve", goods_request))
    assert response.status_code == 302
    goods_request.refresh_from_db()
    assert goods_request.status == RedemptionStatus.APPROVED

    for url, data in [
        (wallet_url("adjust", wallet), {"amount": 5, "memo": "x"}),
        (wallet_url("freeze", wallet), {"reason": "x"}),
    ]:
        response = client.post(url, data)
        assert response.url == reverse("wagtailadmin_home")
    wallet.refresh_from_db()
    assert (wallet.available, wallet.is_frozen) == (200, False)
    assert client.get(reverse("rewards_wallets:index")).status_code == 302


def test_a_superuser_reaches_every_protected_page(dana_client, goods_request):
    wallet = wallet_of(goods_request.member)
    for method, url, _data in protected_requests(goods_request, wallet):
        if method == "get":
            assert dana_client.get(url).status_code == 200, url
