"""Private campaigns on the site: lists, the campaign filter, idea pages and the
actions on them, the home page, profiles and the idea form."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from ideas.models import Comment, Follow, Support
from tests.factories import CommentFactory, IdeaFactory, UserFactory
from tests.ideas.test_queries import HOME_CEILING, LIST_CEILING, queries_for

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def test_the_idea_list_shows_a_panel_idea_to_the_panel_only(
    client, private_idea, open_idea, bob, panelist
):
    assert private_idea.title not in client.get("/ideas/").content.decode()
    client.force_login(bob)
    page = client.get("/ideas/").content.decode()
    assert open_idea.title in page
    assert private_idea.title not in page
    assert private_idea.campaign.title not in page  # nor in the campaign filter

    client.force_login(panelist)
    page = client.get("/ideas/").content.decode()
    assert private_idea.title in page
    assert private_idea.campaign.title in page


def test_the_campaign_filter_lists_nothing_of_a_private_campaign_to_outsiders(
    client, private_idea, bob
):
    url = f"/ideas/?campaign={private_idea.campaign_id}"

    assert private_idea.title not in client.get(url).content.decode()
    client.force_login(bob)
    assert private_idea.title not in client.get(url).content.decode()


def test_a_panel_idea_is_not_found_by_outsiders(
    client, private_idea, bob, panelist, moderator
):
    url = private_idea.get_absolute_url()

    assert client.get(url).status_code == 404  # not even a log-in page
    client.force_login(bob)
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("ideas:comments", args=[private_idea.pk])).status_code == 404
    )
    client.force_login(panelist)
    assert client.get(url).status_code == 200
    client.force_login(moderator)
    assert client.get(url).status_code == 200


def test_a_members_only_idea_sends_visitors_to_log_in(client, members_idea, bob):
    url = members_idea.get_absolute_url()

    response = client.get(url)

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_login")
    assert url in location.query
    client.force_login(bob)
    assert members_idea.title in client.get(url).content.decode()


def test_an_idea_behind_a_password_is_for_the_brand_team_only(
    client, secret_idea, bob, product
):
    url = secret_idea.get_absolute_url()

    assert client.get(url).status_code == 404
    client.force_login(bob)
    assert client.get(url).status_code == 404
    client.force_login(product)
    assert client.get(url).status_code == 200


def test_outsiders_cannot_support_comment_or_follow_through_the_site(
    client, private_idea, bob
):
    client.force_login(bob)
    pk = private_idea.pk

    support = client.post(reverse("ideas:support", args=[pk]), {"action": "support"})
    comment = client.post(
        reverse("ideas:comment_create", args=[pk]), {"body": "Let me in"}
    )
    follow = client.post(reverse("ideas:follow", args=[pk]), {"action": "follow"})

    assert (support.status_code, comment.status_code, follow.status_code) == (
        404,
        404,
        404,
    )
    assert not Support.objects.filter(idea=private_idea).exists()
    assert not Comment.objects.filter(idea=private_idea).exists()
    assert not Follow.objects.filter(idea=private_idea, member=bob).exists()


def test_panelists_support_through_the_site(client, private_idea, panel):
    other = UserFactory()
    other.groups.add(panel)
    client.force_login(other)

    response = client.post(
        reverse("ideas:support", args=[private_idea.pk]),
        {"action": "support"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert Support.objects.filter(idea=private_idea, member=other).exists()


def test_the_home_page_leaves_out_private_ideas_and_campaigns(
    client, private_idea, open_idea, panelist
):
    page = client.get("/").content.decode()
    assert open_idea.title in page
    assert private_idea.title not in page
    assert private_idea.campaign.title not in page

    client.force_login(panelist)
    page = client.get("/").content.decode()
    assert private_idea.title in page


def test_a_profile_leaves_out_private_ideas_and_comments_on_them(
    client, private_idea, open_idea, panelist, bob
):
    CommentFactory(idea=private_idea, author=panelist, body="Heated, yes.")
    CommentFactory(idea=open_idea, author=panelist, body="Dry, yes.")
    url = panelist.get_absolute_url()

    client.force_login(bob)
    page = client.get(url).content.decode()

    assert private_idea.title not in page
    assert "Heated, yes." not in page
    assert "Dry, yes." in page


def test_the_idea_form_offers_a_private_campaign_to_those_admitted_only(
    client, panel_campaign, campaign, bob, panelist
):
    client.force_login(bob)
    form = client.get(reverse("ideas:create")).content.decode()
    assert campaign.title in form
    assert panel_campaign.title not in form

    refused = client.post(
        reverse("ideas:create"),
        {"title": "Let me in", "description": "Please", "campaign": panel_campaign.pk},
    )
    assert refused.status_code == 200  # the form again, with its error
    assert "Let me in" in refused.content.decode()  # what was typed stays

    client.force_login(panelist)
    assert panel_campaign.title in client.get(reverse("ideas:create")).content.decode()


def test_the_campaign_page_lists_its_ideas_to_its_panel_and_the_brand_team(
    client, private_idea, panelist, bob, moderator
):
    url = private_idea.campaign.url

    client.force_login(panelist)
    assert private_idea.title in client.get(url).content.decode()
    client.force_login(moderator)
    response = client.get(url)
    assert private_idea.title in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    client.force_login(bob)
    response = client.get(url)  # like its ideas, it is not there for outsiders
    assert response.status_code == 404
    assert private_idea.title not in response.content.decode()
    assert private_idea.campaign.title not in response.content.decode()
    client.logout()
    response = client.get(url)  # Wagtail's own check: log in as one of the panel
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_outsider_is_not_sent_round_between_the_campaign_and_the_login(
    client, panel_campaign, bob
):
    client.force_login(bob)

    response = client.get(panel_campaign.url, follow=True)

    assert response.status_code == 404
    assert len(response.redirect_chain) == 0


def test_a_members_only_campaign_page_opens_to_every_member(client, members_idea, bob):
    client.force_login(bob)

    response = client.get(members_idea.campaign.url)

    assert response.status_code == 200
    assert members_idea.title in response.content.decode()


def test_a_password_campaign_page_lists_no_idea_to_who_knows_the_password(
    client, secret_idea, bob
):
    """The password opens the brief; the ideas stay with the brand team."""
    campaign = secret_idea.campaign
    restriction = campaign.get_view_restrictions().get()
    client.force_login(bob)
    session = client.session
    session[restriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()

    response = client.get(campaign.url)

    assert response.status_code == 200
    assert campaign.title in response.content.decode()
    assert secret_idea.title not in response.content.decode()


def test_the_leaderboard_has_no_board_for_a_private_campaign(
    client, panel_campaign, panelist
):
    client.force_login(panelist)
    url = reverse("rewards:leaderboard")

    assert client.get(url, {"campaign": panel_campaign.pk}).status_code == 404
    assert panel_campaign.title not in client.get(url).content.decode()


# Query counts: private campaigns cost a fixed number of queries, under the ceiling
@pytest.mark.parametrize("viewer", ["anonymous", "member", "panelist"])
def test_the_list_runs_the_same_queries_with_private_campaigns(
    client, panel_campaign, members_campaign, campaign, bob, panelist, viewer
):
    if viewer != "anonymous":
        client.force_login(bob if viewer == "member" else panelist)

    def add(count):
        for n in range(count):
            target = (panel_campaign, members_campaign, campaign)[n % 3]
            IdeaFactory(author=UserFactory(), campaign=target).tags.add("common")

    add(9)
    small = queries_for(client, "/ideas/")
    add(30)
    large = queries_for(client, "/ideas/")

    assert small == large
    assert large <= LIST_CEILING


@pytest.mark.parametrize("viewer", ["anonymous", "member", "panelist"])
def test_the_home_page_stays_under_its_ceiling_with_private_campaigns(
    client, panel_campaign, members_campaign, campaign, bob, panelist, viewer
):
    if viewer != "anonymous":
        client.force_login(bob if viewer == "member" else panelist)
    for n in range(12):
        target = (panel_campaign, members_campaign, campaign)[n % 3]
        IdeaFactory(author=UserFactory(), campaign=target)

    assert queries_for(client, "/") <= HOME_CEILING
