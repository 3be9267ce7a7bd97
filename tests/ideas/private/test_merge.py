"""Merging across campaigns: an idea merges only into one of a campaign open to
the same people, and a duplicate never names an idea its reader may not see."""

from __future__ import annotations

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from ideas.errors import InvalidInput
from ideas.models import Idea, IdeaStatus
from ideas.moderation import merging
from tests.factories import IdeaFactory
from tests.ideas.private.conftest import restrict

pytestmark = pytest.mark.django_db


def test_an_open_idea_is_not_merged_into_a_private_one(
    moderator, open_idea, private_idea
):
    with pytest.raises(InvalidInput, match="seen by different people"):
        merging.merge(actor=moderator, source=open_idea, target=private_idea)
    open_idea.refresh_from_db()
    assert open_idea.merged_into_id is None
    assert open_idea.status == IdeaStatus.PUBLISHED


def test_a_private_idea_is_not_merged_into_an_open_one(
    moderator, open_idea, private_idea
):
    with pytest.raises(InvalidInput):
        merging.merge(actor=moderator, source=private_idea, target=open_idea)


def test_ideas_of_campaigns_with_the_same_access_merge(
    moderator, make_campaign, panel, private_idea, panelist
):
    other = make_campaign(title="Panel: second round")
    restrict(other, PageViewRestriction.GROUPS, groups=[panel])
    source = IdeaFactory(author=panelist, campaign=other, title="Warm boots")
    merging.merge(actor=moderator, source=source, target=private_idea)
    source.refresh_from_db()
    assert source.merged_into_id == private_idea.pk


def test_the_back_office_says_why(moderator, open_idea, private_idea):
    client = Client()
    client.force_login(moderator)
    response = client.post(
        "/admin/brand-team/queue/",
        {
            "action": "merge",
            "items": [f"idea:{open_idea.pk}"],
            "target": private_idea.pk,
        },
    )
    assert response.status_code == 400
    assert "seen by different people" in response.content.decode()
    assert not Idea.objects.filter(pk=open_idea.pk, merged_into__isnull=False).exists()


def test_a_campaign_closed_after_the_merge_is_not_named(
    moderator, make_campaign, panel, alice
):
    """Both open when merged; the target's campaign is made private later."""
    first = make_campaign(title="Boots, later private")
    second = make_campaign(title="Boots, open")
    target = IdeaFactory(author=alice, campaign=first, title="TOPSECRET boots")
    source = IdeaFactory(author=alice, campaign=second, title="Boots that dry")
    merging.merge(actor=moderator, source=source, target=target)
    restrict(first, PageViewRestriction.GROUPS, groups=[panel])

    response = Client().get(f"/ideas/{source.pk}/")
    assert response.status_code == 200  # no redirect to an idea it may not see
    assert b"TOPSECRET" not in response.content
    assert f"/ideas/{target.pk}/".encode() not in response.content
    assert "merged into another idea" in response.content.decode()
    response = Client().get(f"/ideas/{source.pk}/?stay=1")
    assert b"TOPSECRET" not in response.content


def test_the_duplicate_names_its_target_to_those_who_see_it(
    moderator, open_idea, campaign, alice
):
    source = IdeaFactory(author=alice, campaign=campaign, title="Dry shoes")
    merging.merge(actor=moderator, source=source, target=open_idea)
    response = Client().get(f"/ideas/{source.pk}/")
    assert response.status_code == 302
    response = Client().get(f"/ideas/{source.pk}/?stay=1")
    assert open_idea.title.encode() in response.content
