"""A private campaign's ideas stay out of every page and search of those it does
not admit, whatever the depth, and its count never leaks through the cache."""

from __future__ import annotations

import pytest

from ideas import paging
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [idea.title for idea in response.context["ideas"]]


@pytest.fixture
def many_private_ideas(settings, monkeypatch, panel_campaign, panelist, campaign):
    """Pages of 2: five boots in the panel's campaign, one open to everybody."""
    settings.COCREATE_IDEAS_PER_PAGE = 2
    monkeypatch.setattr(paging, "MAX_PAGES", 3)
    for n in range(5):
        IdeaFactory(author=panelist, campaign=panel_campaign, title=f"Heated boots {n}")
    return IdeaFactory(campaign=campaign, title="Open boots")


def every_title(client, url: str) -> list[str]:
    return [
        title
        for page in range(1, paging.MAX_PAGES + 1)
        for title in titles(client.get(f"{url}&page={page}"))
    ]


def test_no_page_shows_an_outsider_the_panels_ideas(client, bob, many_private_ideas):
    client.force_login(bob)

    assert set(every_title(client, "/ideas/?sort=new")) == {"Open boots"}


def test_search_never_finds_them_for_an_outsider(client, bob, many_private_ideas):
    client.force_login(bob)

    assert set(every_title(client, "/ideas/?q=boots")) == {"Open boots"}
    assert set(every_title(client, "/ideas/?q=heated")) == set()


def test_the_panelist_finds_them_on_every_page(client, panelist, many_private_ideas):
    client.force_login(panelist)

    found = every_title(client, "/ideas/?q=boots")

    assert len(found) == 6
    assert set(found) >= {f"Heated boots {n}" for n in range(5)}


def test_the_cached_total_is_not_shared_with_an_outsider(
    client, bob, panelist, many_private_ideas
):
    client.force_login(panelist)
    assert client.get("/ideas/").context["ideas_page"].total == 6

    client.force_login(bob)
    response = client.get("/ideas/")

    assert response.context["ideas_page"].total == 1
    assert "1 idea" in response.content.decode()
