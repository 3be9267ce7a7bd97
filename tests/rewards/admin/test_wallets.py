"""The rewards back office's wallets: search, adjusting points and freezing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from rewards import redemptions
from rewards.errors import NotAllowed
from rewards.models import (
    Entry,
    EntryKind,
    RewardKind,
)
from tests.rewards.admin.helpers import (
    make_reward,
    messages_of,
    wallet_of,
    wallet_url,
)


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
