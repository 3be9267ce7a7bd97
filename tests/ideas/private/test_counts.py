"""Figures shown to everybody leave out what private campaigns hold: the list's
pages, the tag and category lists, profiles, and merges (which move supports
from one idea's count to another's)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ideas.errors import InvalidInput
from ideas.models import Category, Idea, IdeaStatus, Support
from ideas.moderation.merging import merge
from tests.factories import CommentFactory, IdeaFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def crowded_panel(private_idea, panelist):
    """Enough private ideas for a second page of the list, all tagged."""
    for n in range(4):
        IdeaFactory(
            author=panelist, campaign=private_idea.campaign, title=f"Panel {n}"
        ).tags.add("winter")
    private_idea.tags.add("winter")


@pytest.mark.parametrize("viewer", ["anonymous", "bob"])
def test_the_lists_pages_count_only_what_the_viewer_sees(
    client, settings, crowded_panel, open_idea, bob, viewer
):
    settings.COCREATE_IDEAS_PER_PAGE = 2
    if viewer == "bob":
        client.force_login(bob)

    page = client.get("/ideas/").content.decode()

    assert "Page 1 of" not in page  # one open idea: one page, no pager


def test_the_panel_pages_through_its_ideas_too(
    client, settings, crowded_panel, open_idea, panelist
):
    settings.COCREATE_IDEAS_PER_PAGE = 2
    client.force_login(panelist)

    assert "Page 1 of 3" in client.get("/ideas/").content.decode()


@pytest.mark.parametrize("viewer", ["anonymous", "bob"])
def test_a_tag_or_a_category_finds_no_private_idea(
    client, crowded_panel, private_idea, open_idea, bob, viewer
):
    boots = Category.objects.create(name="Boots", slug="boots")
    Idea.objects.filter(pk__in=[private_idea.pk, open_idea.pk]).update(category=boots)
    open_idea.tags.add("winter")
    if viewer == "bob":
        client.force_login(bob)

    for query in ({"tag": "winter"}, {"category": "boots"}):
        page = client.get("/ideas/", query).content.decode()
        assert "Panel 0" not in page, query
        assert private_idea.title not in page, query
        assert open_idea.title in page, query


def test_a_profile_counts_no_private_idea_or_comment_for_outsiders(
    client, private_idea, open_idea, panelist, bob
):
    CommentFactory(idea=private_idea, author=panelist, body="Grip is fine on snow.")
    CommentFactory(idea=open_idea, author=panelist, body="Dries in a night.")
    url = reverse("members:profile", args=[panelist.pk])

    for login in (None, bob):
        if login:
            client.force_login(login)
        page = client.get(url).content.decode()
        assert page.count('class="idea-card"') == 0
        assert "Grip is fine on snow." not in page
        assert "Dries in a night." in page
    client.force_login(panelist)
    page = client.get(url).content.decode()
    assert page.count('class="idea-card"') == 1
    assert "Grip is fine on snow." in page


def test_supports_of_a_panel_idea_are_not_merged_into_a_public_count(
    private_idea, open_idea, panel, moderator
):
    fan = UserFactory()
    fan.groups.add(panel)
    Support.objects.create(idea=private_idea, member=fan)

    with pytest.raises(InvalidInput, match="seen by different people"):
        merge(actor=moderator, source=private_idea, target=open_idea)

    open_idea.refresh_from_db()
    assert open_idea.supports_count == 0
    assert Support.objects.filter(idea=private_idea).count() == 1


def test_a_public_idea_is_not_merged_into_a_private_one(
    private_idea, open_idea, moderator
):
    with pytest.raises(InvalidInput):
        merge(actor=moderator, source=open_idea, target=private_idea)

    open_idea.refresh_from_db()
    assert open_idea.status == IdeaStatus.PUBLISHED


def test_ideas_of_the_same_private_campaign_still_merge(
    private_idea, panelist, moderator
):
    twin = IdeaFactory(author=panelist, campaign=private_idea.campaign)

    merge(actor=moderator, source=twin, target=private_idea)

    assert Idea.objects.get(pk=twin.pk).merged_into_id == private_idea.pk
