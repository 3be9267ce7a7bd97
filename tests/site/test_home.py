"""The home page: open campaigns, trending and newest ideas."""

from __future__ import annotations

import datetime

import pytest

from ideas import voting
from ideas.models import IdeaStatus
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def test_it_lists_open_campaigns_only(client, make_campaign):
    make_campaign(title="Open now")
    make_campaign(
        title="Finished",
        starts_on=TODAY - datetime.timedelta(days=60),
        ends_on=TODAY - datetime.timedelta(days=1),
    )
    make_campaign(title="Coming soon", starts_on=TODAY + datetime.timedelta(days=7))

    response = client.get("/")

    assert response.status_code == 200
    assert [c.title for c in response.context["open_campaigns"]] == ["Open now"]


def test_it_shows_trending_and_newest_public_ideas(client, alice):
    loved = IdeaFactory(title="Loved this week")
    for member in UserFactory.create_batch(3):
        voting.support(member=member, idea=loved)
    IdeaFactory(title="Just posted")
    IdeaFactory(title="Still waiting", status=IdeaStatus.PENDING, author=alice)

    response = client.get("/")

    html = response.content.decode()
    assert response.context["trending_ideas"][0] == loved
    assert response.context["newest_ideas"][0].title == "Just posted"
    assert "Still waiting" not in html
    assert "Loved this week" in html


def test_an_empty_site_invites_the_first_idea(client):
    html = client.get("/").content.decode()

    assert "No ideas yet." in html
    assert 'href="/ideas/new/"' in html


def test_a_closed_campaign_page_says_so_and_offers_no_form(client, make_campaign):
    closed = make_campaign(
        title="Finished",
        starts_on=TODAY - datetime.timedelta(days=60),
        ends_on=TODAY - datetime.timedelta(days=1),
    )

    html = client.get(closed.url).content.decode()

    assert "Closed" in html
    assert f"/ideas/new/?campaign={closed.pk}" not in html
