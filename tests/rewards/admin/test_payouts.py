"""The rewards back office's money payouts: the bank export and marking them paid."""

from __future__ import annotations

import csv
import io

from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from rewards import redemptions
from rewards.models import (
    RedemptionStatus,
)
from rewards.redemptions import Details
from tests.rewards.admin.helpers import (
    IBAN,
    action_url,
    client_for,
    inspect_url,
    messages_of,
    wallet_of,
)

OTHER_IBAN = "FR7630006000011234567890189"


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
