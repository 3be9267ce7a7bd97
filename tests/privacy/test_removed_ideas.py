"""An idea its author removed when erasing their account leaves every list, and
keeps its page: links in others' comments and notifications still lead there."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from ideas import lifecycle
from ideas.lifecycle import Action
from ideas.models import (
    Idea,
    IdeaStatus,
    StatusChange,
    WebhookDelivery,
    WebhookSubscription,
)
from ideas.selectors import IdeaFilters, filtered_ideas
from rewards.audit import run_audit
from rewards.models import Entry, Wallet
from tests.ideas.api.helpers import Api, make_token
from tests.privacy.test_erasure import erase_now

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def removed(zelda, campaign, client):
    """Zelda's idea, in a campaign, after she erased her account removing it."""
    Idea.objects.filter(pk=zelda.idea.pk).update(campaign=campaign)
    erase_now(zelda.member, keep_content=False)
    client.logout()
    return Idea.objects.get(pk=zelda.idea.pk)


def _link(idea: Idea) -> str:
    return f'href="{idea.get_absolute_url()}"'


def test_it_moves_to_removed_through_the_workflow(removed):
    assert removed.status == IdeaStatus.REMOVED
    step = StatusChange.objects.get(idea=removed, new_status=IdeaStatus.REMOVED)
    assert step.old_status == IdeaStatus.PUBLISHED and step.actor is None
    assert not Idea.objects.public().filter(pk=removed.pk).exists()


def test_it_leaves_the_list_and_the_search(removed, zelda, client):
    listing = client.get(reverse("ideas:list")).content.decode()
    assert _link(removed) not in listing
    assert _link(zelda.other) in listing
    found = client.get(reverse("ideas:list"), {"q": "removed"}).content.decode()
    assert _link(removed) not in found
    queryset = filtered_ideas(IdeaFilters(), user=AnonymousUser())
    assert removed.pk not in [idea.pk for idea in queryset]


def test_it_leaves_the_campaign_page(removed, campaign, client):
    page = client.get(campaign.url)
    assert page.status_code == 200
    assert _link(removed) not in page.content.decode()


def test_it_leaves_the_api_listing(removed, zelda, product, client):
    api = Api(client, make_token(product, "read"))
    ids = [item["id"] for item in api.get("/ideas").json()["items"]]
    assert zelda.other.pk in ids
    assert removed.pk not in ids
    assert api.get(f"/ideas/{removed.pk}").status_code == 404


def test_its_page_answers_with_the_notice_and_the_discussion(removed, bob, client):
    for who in (None, bob):
        if who:
            client.force_login(who)
        response = client.get(removed.get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        assert "This idea was removed by its author." in html
        assert "Comment removed." in html  # Zelda's own comment
        assert "How did it hold up?" in html  # Bob's reply stays readable
        assert "Support this idea" not in html
        assert f'action="/ideas/{removed.pk}/comments/new/"' not in html
        assert "Report this idea" not in html


def test_the_brand_team_cannot_move_it_on(removed, moderator, client):
    assert lifecycle.targets(Action.HIDE, IdeaStatus.REMOVED) == ()
    client.force_login(moderator)
    html = client.get(removed.get_absolute_url()).content.decode()
    assert "Hide this idea" not in html


def test_its_supports_and_points_stay(zelda, campaign, bob):
    Idea.objects.filter(pk=zelda.idea.pk).update(campaign=campaign)
    supports = Idea.objects.get(pk=zelda.idea.pk).supports_count
    entries = Entry.objects.count()
    balances = dict(Wallet.objects.values_list("member_id", "available"))
    erase_now(zelda.member, keep_content=False)
    assert Idea.objects.get(pk=zelda.idea.pk).supports_count == supports == 1
    assert Entry.objects.count() == entries + 1  # the open payout's release only
    kept = dict(Wallet.objects.values_list("member_id", "available"))
    assert kept[bob.pk] == balances[bob.pk]
    assert run_audit().clean


def test_webhooks_hear_of_it_without_its_title(zelda, product):
    WebhookSubscription.objects.create(
        name="Jira",
        url="https://hooks.example.com/in",
        events=["idea.status_changed"],
        created_by=product,
    )
    erase_now(zelda.member, keep_content=False)
    delivery = WebhookDelivery.objects.get(event="idea.status_changed")
    assert delivery.payload["idea"]["status"] == "removed"
    assert delivery.payload["idea"]["title"] is None
