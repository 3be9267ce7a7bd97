"""The rewards back office: every page answers, every action goes through a service,
says in words what happened or why not, and refuses whoever may not act.

Personas: dana runs the back office (superuser), mo is a moderator who may decide
redemptions and nothing else, tess is staff with admin access but no rewards
permission, alice and bob are members.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from rewards import achievements, ledger, redemptions
from rewards.errors import NotAllowed
from rewards.models import (
    Badge,
    Entry,
    EntryKind,
    Level,
    Milestone,
    Redemption,
    RedemptionStatus,
    Reward,
    RewardKind,
    VoucherCode,
    Wallet,
)
from rewards.redemptions import Details
from tests.factories import UserFactory
from tests.rewards.helpers import earn

IBAN = "DE89370400440532013000"
OTHER_IBAN = "FR7630006000011234567890189"

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


# Personas and helpers -----------------------------------------------------------


def grant(user, *perms: str):
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


@pytest.fixture
def dana(db):
    return UserFactory(
        email="dana@example.com",
        display_name="Dana",
        is_superuser=True,
        is_staff=True,
    )


@pytest.fixture
def mo(db):
    user = UserFactory(email="mo@example.com", display_name="Mo", is_staff=True)
    grant(user, "wagtailadmin.access_admin", "rewards.change_redemption")
    return user


@pytest.fixture
def tess(db):
    user = UserFactory(email="tess@example.com", display_name="Tess", is_staff=True)
    grant(user, "wagtailadmin.access_admin")
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def dana_client(dana):
    return client_for(dana)


@pytest.fixture
def give(dana):
    def give(member, points: int) -> Wallet:
        ledger.adjust(member=member, amount=points, memo="Welcome gift", actor=dana)
        return Wallet.objects.get(member=member)

    return give


def make_reward(kind: str = RewardKind.GOODS, **fields) -> Reward:
    fields.setdefault("title", f"A {kind}")
    fields.setdefault("cost", 100)
    return Reward.objects.create(kind=kind, **fields)


SHIPPING = Details(
    shipping_name="Alice Martin",
    shipping_address="12 rue des Lilas",
    shipping_postcode="75011",
    shipping_city="Paris",
    shipping_country="France",
)


@pytest.fixture
def goods_request(alice, give):
    """Alice asks for a T-shirt (100 points) with 300 points in her wallet."""
    give(alice, 300)
    reward = make_reward(RewardKind.GOODS, title="T-shirt", stock=5)
    return redemptions.redeem(member=alice, reward=reward, details=SHIPPING)


@pytest.fixture
def payout_request(alice, give):
    """Alice converts 1000 points into 10 euros to her bank account."""
    give(alice, 1500)
    reward = make_reward(RewardKind.MONEY, title="Cash out", cost=1000)
    return redemptions.redeem(
        member=alice,
        reward=reward,
        details=Details(points=1000, account_holder="Alice Martin", iban=IBAN),
    )


def wallet_of(member) -> Wallet:
    return Wallet.objects.get(member=member)


def messages_of(response) -> list[str]:
    return [str(message).strip() for message in response.context["messages"]]


def action_url(action: str, redemption: Redemption) -> str:
    return reverse(f"rewards_redemptions:{action}", args=(redemption.pk,))


def inspect_url(redemption: Redemption) -> str:
    return reverse("rewards_redemptions:inspect", args=(redemption.pk,))


def wallet_url(name: str, wallet: Wallet) -> str:
    return reverse(f"rewards_wallets:{name}", args=(wallet.pk,))


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


# Catalogue and voucher codes ---------------------------------------------------


def test_reward_list_shows_codes_left_in_constant_queries(dana_client):
    def list_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = dana_client.get(reverse("rewards_catalogue:index"))
        assert response.status_code == 200
        return len(queries)

    def voucher_with_codes(n: int) -> Reward:
        reward = make_reward(RewardKind.VOUCHER, title=f"Voucher {n}")
        VoucherCode.objects.bulk_create(
            VoucherCode(reward=reward, code=f"CODE-{n}-{i}") for i in range(n)
        )
        return reward

    voucher_with_codes(3)
    dana_client.get(reverse("rewards_catalogue:index"))  # warm caches
    few = list_queries()
    for n in range(4, 12):
        voucher_with_codes(n)
    make_reward(RewardKind.GOODS, title="Bottle")
    assert list_queries() == few
    response = dana_client.get(reverse("rewards_catalogue:index"))
    rewards = {reward.title: reward for reward in response.context["object_list"]}
    assert rewards["Voucher 7"].codes_left == 7
    assert rewards["Bottle"].codes_left == 0


def test_importing_pasted_codes_adds_the_new_ones_and_says_so(dana_client, alice, give):
    reward = make_reward(RewardKind.VOUCHER, title="Coffee voucher")
    VoucherCode.objects.create(reward=reward, code="BBB")
    give(alice, 500)
    waiting = redemptions.redeem(member=alice, reward=reward)  # pool: BBB
    assert waiting.status == RedemptionStatus.FULFILLED
    second = redemptions.redeem(member=alice, reward=reward)  # pool empty: waits
    assert second.status == RedemptionStatus.PENDING

    url = reverse("rewards_catalogue:import_codes", args=(reward.pk,))
    assert dana_client.get(url).status_code == 200
    response = dana_client.post(
        url, {"codes_text": "code\nAAA\nBBB\n  AAA \nCCC\n\n"}, follow=True
    )

    assert set(
        VoucherCode.objects.filter(reward=reward).values_list("code", flat=True)
    ) == {"AAA", "BBB", "CCC"}
    (message,) = messages_of(response)
    assert "2 codes added, 2 already in the pool" in message
    assert "1 redemption is waiting for a code" in message
    assert ModelLogEntry.objects.filter(
        action="cocreate.rewards.import_codes", object_id=str(reward.pk)
    ).exists()


def test_importing_an_uploaded_csv_file(dana_client):
    reward = make_reward(RewardKind.VOUCHER, title="Coffee voucher")
    upload = SimpleUploadedFile(
        "codes.csv", "\ufeffcode,value\nX-1,5\nX-2,5\nX-3,5\n".encode(), "text/csv"
    )
    url = reverse("rewards_catalogue:import_codes", args=(reward.pk,))
    response = dana_client.post(url, {"codes_file": upload}, follow=True)
    assert VoucherCode.objects.filter(reward=reward).count() == 3
    assert "3 codes added, 0 already in the pool." in messages_of(response)[0]


def test_a_failed_import_keeps_the_input_and_says_why(dana_client):
    reward = make_reward(RewardKind.VOUCHER, title="Coffee voucher")
    url = reverse("rewards_catalogue:import_codes", args=(reward.pk,))
    too_long = "Z" * 121
    response = dana_client.post(url, {"codes_text": f"OK-1\n{too_long}"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "a code has at most 120 characters" in html
    assert too_long in html  # the pasted text is still in the form
    assert not VoucherCode.objects.filter(reward=reward).exists()

    response = dana_client.post(url, {"codes_text": ""})
    assert "Choose a CSV file or paste the codes" in response.content.decode()


def test_only_voucher_rewards_import_codes(dana_client):
    reward = make_reward(RewardKind.GOODS)
    url = reverse("rewards_catalogue:import_codes", args=(reward.pk,))
    response = dana_client.get(url, follow=True)
    assert "Only voucher rewards have a pool of codes." in messages_of(response)


def test_voucher_rewards_link_to_the_import(dana_client):
    reward = make_reward(RewardKind.VOUCHER)
    import_url = reverse("rewards_catalogue:import_codes", args=(reward.pk,))
    listing = dana_client.get(reverse("rewards_catalogue:index")).content.decode()
    edit = dana_client.get(
        reverse("rewards_catalogue:edit", args=(reward.pk,))
    ).content.decode()
    assert import_url in listing
    assert import_url in edit


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


# Money payouts --------------------------------------------------------------------


def test_export_payouts_downloads_full_ibans_and_neutralises_formulas(
    dana_client, payout_request, bob, give
):
    give(bob, 2000)
    crafted = redemptions.redeem(
        member=bob,
        reward=payout_request.reward,
        details=Details(
            points=1200, account_holder='=HYPERLINK("http://x")', iban=OTHER_IBAN
        ),
    )
    dana_client.post(action_url("approve", payout_request))
    dana_client.post(action_url("approve", crafted))

    response = dana_client.post(reverse("rewards_payouts:export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="payouts-{today}'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["redemption", "requested", "member"]
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id[str(payout_request.pk)][5] == IBAN
    assert by_id[str(payout_request.pk)][6] == "10.00"
    assert by_id[str(crafted.pk)][5] == OTHER_IBAN
    assert by_id[str(crafted.pk)][4] == '\'=HYPERLINK("http://x")'
    payout_request.refresh_from_db()
    assert payout_request.exported_at is not None
    assert ModelLogEntry.objects.filter(
        action="cocreate.rewards.export_payout", object_id=str(payout_request.pk)
    ).exists()


def test_export_is_post_only_and_says_when_nothing_waits(dana_client, db):
    assert dana_client.get(reverse("rewards_payouts:export")).status_code == 405
    response = dana_client.post(reverse("rewards_payouts:export"), follow=True)
    assert "No approved payout is waiting to be exported." in messages_of(response)


def test_a_second_export_never_lists_a_payout_again(dana_client, payout_request):
    dana_client.post(action_url("approve", payout_request))
    first = dana_client.post(reverse("rewards_payouts:export"))
    assert IBAN in first.content.decode()
    again = dana_client.post(reverse("rewards_payouts:export"), follow=True)
    assert "No approved payout is waiting to be exported." in messages_of(again)
    assert IBAN not in again.content.decode()


def test_mark_paid_settles_exported_payouts(dana_client, payout_request):
    alice = payout_request.member
    dana_client.post(action_url("approve", payout_request))

    # Not exported yet: the bank has not seen it, so it cannot be paid.
    response = dana_client.post(action_url("fulfil", payout_request))
    assert (
        f"Payout {payout_request.pk} has not been exported for payment yet."
        in messages_of(response)
    )

    dana_client.post(reverse("rewards_payouts:export"))
    response = dana_client.post(
        reverse("rewards_payouts:mark_paid"),
        {"redemptions": [payout_request.pk]},
        follow=True,
    )
    payout_request.refresh_from_db()
    assert payout_request.status == RedemptionStatus.FULFILLED
    assert "1 payout marked paid." in messages_of(response)
    assert (wallet_of(alice).available, wallet_of(alice).held) == (500, 0)


def test_a_paid_payout_shows_only_its_kept_masked_iban(dana_client, payout_request):
    dana_client.post(action_url("approve", payout_request))
    dana_client.post(reverse("rewards_payouts:export"))
    dana_client.post(
        reverse("rewards_payouts:mark_paid"), {"redemptions": [payout_request.pk]}
    )

    payout_request.refresh_from_db()
    assert payout_request.iban == ""
    html = dana_client.get(inspect_url(payout_request)).content.decode()
    assert "DE89 •••• •••• 3000" in html
    assert IBAN not in html
    wallet_page = client_for(payout_request.member).get(reverse("rewards:wallet"))
    assert "DE89 •••• •••• 3000" in wallet_page.content.decode()


def test_mark_paid_refuses_an_empty_choice(dana_client, payout_request):
    dana_client.post(action_url("approve", payout_request))
    dana_client.post(reverse("rewards_payouts:export"))
    response = dana_client.post(reverse("rewards_payouts:mark_paid"), {})
    assert response.status_code == 200
    assert "Tick the payouts the bank has paid." in response.content.decode()
    payout_request.refresh_from_db()
    assert payout_request.status == RedemptionStatus.APPROVED


# Wallets --------------------------------------------------------------------------


def test_wallets_are_searchable_by_member(dana_client, alice, bob, give):
    give(alice, 10)
    give(bob, 20)
    url = reverse("rewards_wallets:index")
    response = dana_client.get(url, {"q": "alice@"})
    assert [w.member for w in response.context["object_list"]] == [alice]
    response = dana_client.get(url, {"q": "Bob"})
    assert [w.member for w in response.context["object_list"]] == [bob]


def test_the_wallet_page_runs_constant_queries(dana_client, alice, give):
    wallet = give(alice, 10)

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = dana_client.get(wallet_url("inspect", wallet))
        assert response.status_code == 200
        return len(queries)

    dana_client.get(wallet_url("inspect", wallet))  # warm caches
    few = page_queries()
    for i in range(120):
        give(alice, i + 1)
    many = page_queries()
    assert many == few
    response = dana_client.get(wallet_url("inspect", wallet))
    assert len(response.context["entries"]) == 100


def test_adjusting_points_posts_an_entry_and_an_audit_log(dana_client, alice, give):
    wallet = give(alice, 100)
    response = dana_client.post(
        wallet_url("adjust", wallet),
        {"amount": "-40", "memo": "Duplicate account"},
        follow=True,
    )
    assert "Took back 40 points from Alice." in messages_of(response)
    assert wallet_of(alice).available == 60
    entry = Entry.objects.filter(wallet=wallet).first()
    assert (entry.kind, entry.amount, entry.memo) == (
        EntryKind.ADJUSTMENT,
        -40,
        "Duplicate account",
    )
    log = ModelLogEntry.objects.filter(
        action="cocreate.rewards.adjust", object_id=str(wallet.pk)
    ).first()
    assert log is not None
    assert log.data["amount"] == -40
    assert log.data["memo"] == "Duplicate account"

    history = dana_client.get(reverse("wagtailadmin_reports:site_history"))
    html = history.content.decode()
    assert "Points adjusted by -40" in html


def test_adjusting_points_without_a_reason_is_refused(dana_client, alice, give):
    wallet = give(alice, 100)
    entries = Entry.objects.count()
    response = dana_client.post(
        wallet_url("adjust", wallet), {"amount": "50", "memo": ""}
    )
    assert response.status_code == 200
    assert "No points were adjusted; see below why." in messages_of(response)
    html = response.content.decode()
    assert "Please say why you adjust this member&#x27;s points." in html
    assert 'value="50"' in html  # the amount is kept
    assert Entry.objects.count() == entries
    assert wallet_of(alice).available == 100


def test_taking_back_more_than_available_is_refused(dana_client, alice, give):
    wallet = give(alice, 100)
    response = dana_client.post(
        wallet_url("adjust", wallet), {"amount": "-500", "memo": "Fraud"}
    )
    assert "Alice has only 100 points available to take back." in messages_of(response)
    assert wallet_of(alice).available == 100


def test_a_frozen_wallet_cannot_redeem_until_unfrozen(dana_client, alice, give):
    wallet = give(alice, 500)
    reward = make_reward(RewardKind.DONATION, title="Plant a tree")

    response = dana_client.post(wallet_url("freeze", wallet), {"reason": ""})
    assert "Please say why you freeze this member&#x27;s points." in (
        response.content.decode()
    )
    assert not wallet_of(alice).is_frozen

    response = dana_client.post(
        wallet_url("freeze", wallet), {"reason": "Vote ring under review"}, follow=True
    )
    assert wallet_of(alice).is_frozen
    with pytest.raises(NotAllowed, match="Vote ring under review"):
        redemptions.redeem(member=alice, reward=reward)

    dana_client.post(wallet_url("unfreeze", wallet))
    assert not wallet_of(alice).is_frozen
    assert redemptions.redeem(member=alice, reward=reward).points == 100
    actions = set(
        ModelLogEntry.objects.filter(object_id=str(wallet.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"cocreate.rewards.freeze", "cocreate.rewards.unfreeze"} <= actions


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


# Levels and badges go through their services ---------------------------------------


@pytest.fixture
def ed(db):
    """Ed, an editor: sets levels and badges, nothing of the redemptions."""
    user = UserFactory(email="ed@example.com", display_name="Ed", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def level_name(member) -> str | None:
    level = Wallet.objects.select_related("level").get(member=member).level
    return level.name if level else None


def test_an_editor_saving_a_level_moves_the_wallets_to_it(ed, alice, bob):
    earn(alice, 300)
    earn(bob, 100)

    response = client_for(ed).post(
        reverse("rewards_levels:add"), {"name": "Builder", "threshold": 300}
    )

    assert response.status_code == 302
    assert (level_name(alice), level_name(bob)) == ("Builder", "Contributor")
    level = Level.objects.get(name="Builder")
    assert log_registry.get_logs_for_instance(level).get().user == ed


def test_an_editor_raising_a_threshold_moves_its_members_down(ed, alice):
    earn(alice, 300)
    co_creator = Level.objects.get(name="Co-creator")

    response = client_for(ed).post(
        reverse("rewards_levels:edit", args=[co_creator.pk]),
        {"name": "Co-creator", "threshold": 400},
    )

    assert response.status_code == 302
    assert level_name(alice) == "Contributor"


def test_an_editor_deleting_a_level_moves_its_members_down(ed, alice):
    earn(alice, 300)
    co_creator = Level.objects.get(name="Co-creator")

    response = client_for(ed).post(
        reverse("rewards_levels:delete", args=[co_creator.pk])
    )

    assert response.status_code == 302
    assert not Level.objects.filter(pk=co_creator.pk).exists()
    assert level_name(alice) == "Contributor"


def test_an_editor_switching_a_badge_off_stops_its_awards(ed, alice):
    badge = Badge.objects.get(milestone=Milestone.FIRST_COMMENT)
    achievements._badge_ids()  # the table is cached before the change

    response = client_for(ed).post(
        reverse("rewards_badges:edit", args=[badge.pk]),
        {
            "milestone": badge.milestone,
            "name": badge.name,
            "description": badge.description,
            "symbol": badge.symbol,
        },
    )

    assert response.status_code == 302
    assert Badge.objects.get(pk=badge.pk).is_active is False
    assert achievements.grant(alice, Milestone.FIRST_COMMENT) is False


def test_someone_without_the_permission_cannot_save_a_level(tess, alice):
    earn(alice, 300)

    response = client_for(tess).post(
        reverse("rewards_levels:add"), {"name": "Builder", "threshold": 300}
    )

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert not Level.objects.filter(name="Builder").exists()
    assert level_name(alice) == "Co-creator"
