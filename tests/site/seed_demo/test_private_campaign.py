"""The demo's private campaign: a winter test panel that the demo member is on
and another community member is not."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.utils.html import escape
from wagtail.models import PageViewRestriction

from cocreate.demo.panel import OUTSIDER, PANEL_CAMPAIGN, PANEL_GROUP, PANELISTS
from cocreate.members.models import User
from cocreate.page_translations import in_default_language
from ideas.counters import recount_ideas
from ideas.models import CampaignPage, Comment, Idea, Support
from ideas.models.access import may_view_campaign
from rewards.models import Entry
from tests.site.seed_demo.helpers import DEMO_PASSWORD, counts, seed


def _panel_campaign() -> CampaignPage:
    # The page, not its French translation (same slug).
    return in_default_language(CampaignPage.objects.all()).get(
        slug=PANEL_CAMPAIGN["slug"]
    )


class TestThePrivateCampaign:
    def test_it_is_restricted_to_the_panel_group(self, seeded):
        campaign = _panel_campaign()
        assert campaign.live and campaign.is_open()
        restriction = PageViewRestriction.objects.get(page=campaign)
        assert restriction.restriction_type == PageViewRestriction.GROUPS
        group = Group.objects.get(name=PANEL_GROUP)
        assert list(restriction.groups.all()) == [group]
        assert set(group.user_set.values_list("email", flat=True)) == set(PANELISTS)
        member = User.objects.get(email="member@example.com")
        outsider = User.objects.get(email=OUTSIDER)
        assert may_view_campaign(member, campaign.pk)
        assert not may_view_campaign(outsider, campaign.pk)

    def test_its_ideas_supports_and_comments_come_from_panelists(self, seeded):
        ideas = Idea.objects.filter(campaign=_panel_campaign())
        assert 3 <= ideas.count() <= 4
        panel = User.objects.filter(email__in=PANELISTS)
        assert not ideas.exclude(author__in=panel).exists()
        supports = Support.objects.filter(idea__in=ideas)
        comments = Comment.objects.filter(idea__in=ideas)
        assert supports.exists() and comments.exists()
        assert not supports.exclude(member__in=panel).exists()
        assert not comments.exclude(author__in=panel).exists()
        assert supports.filter(member__email="member@example.com").exists()
        assert comments.filter(author__email="member@example.com").exists()
        assert not ideas.filter(images__isnull=True).exists()
        assert recount_ideas() == 0
        # Their history earned points like the rest of the demo's.
        idea = ideas.order_by("pk").first()
        assert Entry.objects.filter(key=f"idea-published:{idea.pk}").exists()

    def test_the_panel_sees_its_ideas_and_others_do_not(self, seeded, client):
        titles = [
            escape(title)
            for title in Idea.objects.filter(campaign=_panel_campaign()).values_list(
                "title", flat=True
            )
        ]
        client.login(email="member@example.com", password=DEMO_PASSWORD)
        content = client.get("/ideas/?sort=new").content.decode()
        assert all(title in content for title in titles)
        assert client.get(_panel_campaign().url).status_code == 200
        client.logout()
        client.login(email=OUTSIDER, password=DEMO_PASSWORD)
        content = client.get("/ideas/?sort=new").content.decode()
        assert not any(title in content for title in titles)
        client.logout()
        content = client.get("/ideas/?sort=new").content.decode()
        assert not any(title in content for title in titles)

    def test_a_second_run_adds_nothing_to_it(self, seeded):
        before = counts()
        out = seed("--ideas", "20")
        assert "private campaign" not in out
        assert counts() == before
        assert PageViewRestriction.objects.filter(page=_panel_campaign()).count() == 1
