"""The rewards back office's redemptions queue: actions, detail page and exports."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from rewards import redemptions
from rewards.models import (
    Entry,
    Redemption,
    RedemptionStatus,
    Reward,
    RewardKind,
    VoucherCode,
)
from rewards.redemptions import Details
from tests.factories import UserFactory
from tests.rewards.admin.helpers import (
    IBAN,
    SHIPPING,
    action_url,
    client_for,
    inspect_url,
    make_reward,
    messages_of,
    wallet_of,
)


# Redemptions queue ---------------------------------------------------------------
def test_the_queue_lists_open_requests_oldest_first(dana_client, alice, bob, give):
    give(alice, 1000)
    give(bob, 1000)
    reward = make_reward(RewardKind.DONATION, title="Plant a tree", cause="Trees")
    old = redemptions.redeem(member=alice, reward=reward)
    closed = redemptions.redeem(member=bob, reward=reward)
    new = redemptions.redeem(member=bob, reward=reward)
    Redemption.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=2)
    )
    redemptions.cancel(actor=bob, redemption=closed)

    response = dana_client.get(reverse("rewards_redemptions:index"))
    assert [r.pk for r in response.context["object_list"]] == [
        old.pk,
        new.pk,
        closed.pk,
    ]

    response = dana_client.get(
        reverse("rewards_redemptions:index"), {"status": "cancelled"}
    )
    assert [r.pk for r in response.context["object_list"]] == [closed.pk]
    response = dana_client.get(reverse("rewards_redemptions:index"), {"kind": "money"})
    assert list(response.context["object_list"]) == []


@pytest.mark.parametrize(
    "name",
    ["rewards_redemptions:index", "rewards_wallets:index", "rewards_payouts:index"],
)
def test_lists_run_constant_queries(name, dana_client, dana, give):
    reward = make_reward(RewardKind.MONEY, title="Cash out", cost=1000)

    def member_with_payout():
        member = UserFactory()
        give(member, 1200)
        redemption = redemptions.redeem(
            member=member,
            reward=reward,
            details=Details(points=1000, account_holder="Holder", iban=IBAN),
        )
        redemptions.approve(actor=dana, redemption=redemption)

    def list_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = dana_client.get(reverse(name))
        assert response.status_code == 200
        return len(queries)

    member_with_payout()
    dana_client.get(reverse(name))  # warm caches
    few = list_queries()
    for _ in range(6):
        member_with_payout()
    assert list_queries() == few


def test_approve_then_fulfil_spends_the_held_points(dana_client, goods_request):
    alice = goods_request.member
    assert (wallet_of(alice).available, wallet_of(alice).held) == (200, 100)

    response = dana_client.post(action_url("approve", goods_request), follow=True)
    goods_request.refresh_from_db()
    assert goods_request.status == RedemptionStatus.APPROVED
    assert "Approved “T-shirt” for Alice." in messages_of(response)

    response = dana_client.post(
        action_url("fulfil", goods_request), {"note": "Tracking: 1Z999"}, follow=True
    )
    goods_request.refresh_from_db()
    assert goods_request.status == RedemptionStatus.FULFILLED
    assert goods_request.note == "Tracking: 1Z999"
    assert "Marked “T-shirt” shipped to Alice." in messages_of(response)
    assert (wallet_of(alice).available, wallet_of(alice).held) == (200, 0)


def test_reject_returns_the_points_with_a_note(dana_client, goods_request):
    alice = goods_request.member
    response = dana_client.post(
        action_url("reject", goods_request),
        {"note": "We cannot ship to this address."},
        follow=True,
    )
    goods_request.refresh_from_db()
    assert goods_request.status == RedemptionStatus.REJECTED
    assert goods_request.note == "We cannot ship to this address."
    assert (wallet_of(alice).available, wallet_of(alice).held) == (300, 0)
    assert "Rejected “T-shirt”: 100 points returned to Alice." in messages_of(response)
    assert Reward.objects.get(pk=goods_request.reward_id).stock == 5


def test_reject_without_a_note_changes_nothing(dana_client, goods_request):
    alice = goods_request.member
    entries = Entry.objects.count()
    response = dana_client.post(action_url("reject", goods_request), {"note": "  "})
    assert response.status_code == 200
    assert "Please tell the member why their request is refused." in messages_of(
        response
    )
    goods_request.refresh_from_db()
    assert goods_request.status == RedemptionStatus.PENDING
    assert (wallet_of(alice).available, wallet_of(alice).held) == (200, 100)
    assert Entry.objects.count() == entries


def test_cancel_returns_the_points(dana_client, goods_request):
    alice = goods_request.member
    dana_client.post(action_url("approve", goods_request))
    response = dana_client.post(action_url("cancel", goods_request), follow=True)
    goods_request.refresh_from_db()
    assert goods_request.status == RedemptionStatus.CANCELLED
    assert (wallet_of(alice).available, wallet_of(alice).held) == (300, 0)
    assert "Cancelled “T-shirt”: 100 points returned to Alice." in messages_of(response)
    assert ModelLogEntry.objects.filter(
        action="cocreate.rewards.cancel", object_id=str(goods_request.pk)
    ).exists()


def test_a_closed_request_is_refused_in_words(dana_client, goods_request):
    dana_client.post(action_url("cancel", goods_request))
    response = dana_client.post(action_url("approve", goods_request))
    assert (
        "Only waiting redemptions can be approved; this one is cancelled."
        in messages_of(response)
    )


def test_fulfilling_a_voucher_issues_a_code_from_the_pool(dana_client, alice, give):
    give(alice, 500)
    reward = make_reward(RewardKind.VOUCHER, title="Coffee voucher")
    request = redemptions.redeem(member=alice, reward=reward)
    response = dana_client.post(action_url("fulfil", request), follow=True)
    assert "No voucher code is left for “Coffee voucher”; import codes first." in (
        messages_of(response)
    )
    VoucherCode.objects.create(reward=reward, code="CAFE-1234")
    dana_client.post(action_url("fulfil", request))
    request.refresh_from_db()
    assert request.status == RedemptionStatus.FULFILLED
    assert request.voucher.code == "CAFE-1234"
    assert (wallet_of(alice).available, wallet_of(alice).held) == (400, 0)


def test_actions_only_accept_post(dana_client, goods_request):
    response = dana_client.get(action_url("approve", goods_request))
    assert response.status_code == 405
    goods_request.refresh_from_db()
    assert goods_request.status == RedemptionStatus.PENDING


def test_actions_require_the_csrf_token(dana, goods_request):
    client = Client(enforce_csrf_checks=True)
    client.force_login(dana)
    response = client.post(action_url("approve", goods_request))
    assert response.status_code == 403
    goods_request.refresh_from_db()
    assert goods_request.status == RedemptionStatus.PENDING


def test_the_detail_page_shows_the_whole_request_and_its_actions(
    dana_client, goods_request
):
    html = dana_client.get(inspect_url(goods_request)).content.decode()
    for text in ["Alice Martin", "12 rue des Lilas", "75011", "Paris", "France"]:
        assert text in html
    for action in ["approve", "fulfil", "reject", "cancel"]:
        assert action_url(action, goods_request) in html
    assert "csrfmiddlewaretoken" in html


def test_the_detail_page_never_shows_the_full_iban(dana_client, payout_request):
    dana_client.post(action_url("approve", payout_request))
    pages = [inspect_url(payout_request), reverse("rewards_payouts:index")]
    dana_client.post(reverse("rewards_payouts:export"))
    pages.append(reverse("rewards_payouts:index"))  # now waiting for payment
    for url in pages:
        html = dana_client.get(url).content.decode()
        assert IBAN not in html
        assert "DE89 •••• •••• 3000" in html
        assert "Alice Martin" in html


CRAFTED_NAME = '=HYPERLINK("http://x","y")'


@pytest.fixture
def crafted_request(give):
    """A member whose display name is a spreadsheet formula asks for a T-shirt."""
    member = UserFactory(email="eve@example.com", display_name=CRAFTED_NAME)
    give(member, 300)
    reward = make_reward(RewardKind.GOODS, title="@SUM(1)")
    return redemptions.redeem(member=member, reward=reward, details=SHIPPING)


def export_of_the_queue(client, fmt: str):
    response = client.get(reverse("rewards_redemptions:index"), {"export": fmt})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_queue_exported_as_csv_neutralises_member_text(mo, crafted_request):
    content = export_of_the_queue(client_for(mo), "csv").decode()

    rows = list(csv.reader(io.StringIO(content)))
    (row,) = [row for row in rows[1:] if row[0] == str(crafted_request.pk)]
    assert row[1] == "'" + CRAFTED_NAME
    assert row[2] == "'@SUM(1)"
    assert CRAFTED_NAME not in [cell for row in rows for cell in row]


def test_the_queue_exported_as_xlsx_neutralises_member_text(mo, crafted_request):
    from openpyxl import load_workbook

    content = export_of_the_queue(client_for(mo), "xlsx")

    sheet = load_workbook(io.BytesIO(content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    (row,) = [row for row in rows[1:] if row[0] == crafted_request.pk]
    assert row[1] == "'" + CRAFTED_NAME
    assert row[2] == "'@SUM(1)"
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)
