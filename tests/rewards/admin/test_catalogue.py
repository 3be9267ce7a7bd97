"""The rewards back office's catalogue: the reward list and importing voucher codes."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from rewards import redemptions
from rewards.models import (
    RedemptionStatus,
    Reward,
    RewardKind,
    VoucherCode,
)
from tests.rewards.admin.helpers import (
    make_reward,
    messages_of,
)


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
