"""The "Private campaign: only members of … see it" badge: whoever sees an idea or
a campaign that is not public is told who else sees it, so they do not share it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from ideas.models import access
from tests.factories import IdeaFactory
from tests.ideas.private.conftest import restrict

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PANEL_BADGE = "Private campaign: only members of Verified customers see it"


def _badges(content: bytes) -> int:
    return content.decode().count('class="private-badge"')


def test_the_panel_sees_the_badge_on_cards_idea_and_campaign_pages(
    client, private_idea, panelist
):
    client.force_login(panelist)

    for url in (
        "/",
        "/ideas/",
        private_idea.get_absolute_url(),
        private_idea.campaign.url,
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert PANEL_BADGE in response.content.decode(), url


def test_the_brand_team_sees_it_too(client, private_idea, moderator):
    client.force_login(moderator)

    assert PANEL_BADGE in client.get(private_idea.get_absolute_url()).content.decode()
    assert PANEL_BADGE in client.get(private_idea.campaign.url).content.decode()


def test_open_ideas_and_campaigns_have_no_badge(client, open_idea, private_idea, bob):
    client.force_login(bob)

    assert _badges(client.get("/ideas/").content) == 0
    assert _badges(client.get(open_idea.get_absolute_url()).content) == 0
    assert _badges(client.get(open_idea.campaign.url).content) == 0


def test_one_badge_per_private_card(client, private_idea, open_idea, panelist):
    IdeaFactory(author=panelist, campaign=private_idea.campaign)
    client.force_login(panelist)

    assert _badges(client.get("/ideas/").content) == 2


def test_a_members_only_campaign_says_so(client, members_idea, bob):
    client.force_login(bob)
    page = client.get(members_idea.get_absolute_url()).content.decode()

    assert "Private campaign: only signed-in members see it" in page


def test_the_audience_names_every_group_admitted(make_campaign, panel):
    testers = Group.objects.create(name="Alpha testers")
    campaign = make_campaign(title="Two panels")
    restrict(campaign, PageViewRestriction.GROUPS, groups=[panel, testers])

    assert access.audience(campaign.pk) == access.Audience(
        access.GROUPS, ("Alpha testers", "Verified customers")
    )


def test_a_password_campaign_is_told_as_the_brand_teams(secret_campaign, campaign):
    assert access.audience(secret_campaign.pk) == access.Audience(access.PASSWORD)
    assert access.audience(campaign.pk) is None
    assert access.audience(None) is None


def test_a_renamed_group_is_named_anew(panel_campaign, panel):
    assert access.audience(panel_campaign.pk).group_names == ("Verified customers",)

    panel.name = "Winter testers"
    panel.save()

    assert access.audience(panel_campaign.pk).group_names == ("Winter testers",)
