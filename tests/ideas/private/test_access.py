"""Private campaigns, read from Wagtail's privacy settings: who may see and take
part, the cached rules, the selectors and the services that refuse outsiders."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.cache import cache
from wagtail.models import Page, PageViewRestriction

from ideas import discussion, following, permissions, posting, selectors, voting
from ideas.errors import NotAllowed
from ideas.models import Idea, access
from ideas.selectors import IdeaFilters, filtered_ideas
from tests.factories import IdeaFactory, UserFactory
from tests.ideas.private.conftest import restrict

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as a new request loads it (no permission or group cache)."""
    return type(user).objects.get(pk=user.pk)


# Who may see a campaign ------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "sees_panel", "sees_members", "sees_secret"),
    [
        ("anonymous", False, False, False),
        ("member", False, True, False),
        ("panelist", True, True, False),
        ("moderator", True, True, True),
        ("product", True, True, True),
        ("superuser", True, True, True),
    ],
)
def test_who_may_view_each_kind_of_private_campaign(
    request,
    panel_campaign,
    members_campaign,
    secret_campaign,
    campaign,
    who,
    sees_panel,
    sees_members,
    sees_secret,
):
    user = (
        AnonymousUser()
        if who == "anonymous"
        else request.getfixturevalue({"member": "bob"}.get(who, who))
    )

    assert permissions.can_view_campaign(user, panel_campaign) is sees_panel
    assert permissions.can_view_campaign(user, members_campaign) is sees_members
    assert permissions.can_view_campaign(user, secret_campaign) is sees_secret
    assert permissions.can_view_campaign(user, campaign) is True
    assert permissions.can_view_campaign(user, None) is True


def test_a_restriction_on_an_ancestor_page_makes_its_campaigns_private(
    home_page, make_campaign, bob
):
    campaign = make_campaign(title="Under the home page")
    restrict(Page.objects.get(pk=home_page.pk), PageViewRestriction.LOGIN)

    assert access.restricted_campaigns() == {campaign.pk}
    assert not permissions.can_view_campaign(AnonymousUser(), campaign)
    assert permissions.can_view_campaign(bob, campaign)


def test_every_restriction_on_the_way_must_admit_the_member(
    home_page, panel_campaign, panelist, bob
):
    restrict(Page.objects.get(pk=home_page.pk), PageViewRestriction.LOGIN)

    assert permissions.can_view_campaign(panelist, panel_campaign)
    assert not permissions.can_view_campaign(bob, panel_campaign)


def test_the_rules_follow_every_change_of_the_privacy_settings(
    campaign, panel, bob, panelist
):
    assert access.restricted_campaigns() == frozenset()  # cached: nothing private

    restriction = restrict(campaign, PageViewRestriction.GROUPS, groups=[panel])
    assert not permissions.can_view_campaign(fresh(bob), campaign)
    assert permissions.can_view_campaign(fresh(panelist), campaign)

    other = Group.objects.create(name="Testers")
    restriction.groups.set([other])
    assert not permissions.can_view_campaign(fresh(panelist), campaign)

    restriction.delete()
    assert permissions.can_view_campaign(fresh(bob), campaign)


def test_a_campaign_published_under_a_private_page_is_private_at_once(
    home_page, make_campaign
):
    restrict(Page.objects.get(pk=home_page.pk), PageViewRestriction.LOGIN)
    assert access.restricted_campaigns() == frozenset()  # cached: no campaign yet

    campaign = make_campaign(title="Published later")

    assert access.restricted_campaigns() == {campaign.pk}


def test_rules_another_request_cached_before_the_change_committed_are_forgotten(
    campaign, panel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        restrict(campaign, PageViewRestriction.GROUPS, groups=[panel])
        # Another request, which cannot see the uncommitted restriction yet:
        cache.set(access.RULES_KEY, {}, timeout=access.RULES_TIMEOUT)

    assert access.restricted_campaigns() == {campaign.pk}


def test_the_rules_are_read_once_and_then_cached(
    panel_campaign, django_assert_num_queries
):
    access.forget_rules()
    with django_assert_num_queries(2):
        access.campaign_rules()
    with django_assert_num_queries(0):
        rules = access.campaign_rules()

    assert list(rules) == [panel_campaign.pk]


def test_the_rules_cost_one_query_when_nothing_is_private(
    campaign, django_assert_num_queries
):
    access.forget_rules()
    with django_assert_num_queries(1):
        assert access.campaign_rules() == {}


# A member's permissions and groups, cached -----------------------------------------
def test_a_members_groups_and_permissions_are_read_once_then_cached(
    panel_campaign, panelist, django_assert_num_queries
):
    access.campaign_rules()
    first = fresh(panelist)
    with django_assert_num_queries(3):  # permissions (own, groups'), groups
        assert access.closed_campaigns(first) == frozenset()
    again = fresh(panelist)
    with django_assert_num_queries(0):
        assert access.closed_campaigns(again) == frozenset()
        assert access.may_view_campaign(again, panel_campaign.pk)


@pytest.mark.parametrize("change", ["remove", "clear", "group_side", "delete_group"])
def test_leaving_the_group_closes_the_campaign_at_once(
    panel_campaign, panel, panelist, change
):
    assert access.may_view_campaign(fresh(panelist), panel_campaign.pk)  # cached

    if change == "remove":
        panelist.groups.remove(panel)
    elif change == "clear":
        panelist.groups.clear()
    elif change == "group_side":
        panel.user_set.remove(panelist)
    else:
        panel.delete()

    assert not access.may_view_campaign(fresh(panelist), panel_campaign.pk)


def test_joining_the_group_opens_the_campaign_at_once(panel_campaign, panel, bob):
    assert not access.may_view_campaign(fresh(bob), panel_campaign.pk)  # cached

    panel.user_set.add(bob)

    assert access.may_view_campaign(fresh(bob), panel_campaign.pk)


def test_the_brand_teams_permission_taken_from_a_group_or_a_member_counts_at_once(
    secret_campaign, moderator, bob
):
    from django.contrib.auth.models import Permission

    view_idea = Permission.objects.get(
        codename="view_idea", content_type__app_label="ideas"
    )
    moderators = Group.objects.get(name="Moderators")
    assert access.sees_every_campaign(fresh(moderator))  # cached
    assert not access.sees_every_campaign(fresh(bob))

    moderators.permissions.remove(view_idea)
    bob.user_permissions.add(view_idea)

    assert not access.sees_every_campaign(fresh(moderator))
    assert access.sees_every_campaign(fresh(bob))
    assert access.may_view_campaign(fresh(bob), secret_campaign.pk)


def test_a_deactivated_or_promoted_member_is_read_from_the_request_not_the_cache(
    secret_campaign, moderator, bob
):
    assert access.sees_every_campaign(fresh(moderator))  # cached as brand team
    assert not access.sees_every_campaign(fresh(bob))

    type(moderator).objects.filter(pk=moderator.pk).update(is_active=False)
    type(bob).objects.filter(pk=bob.pk).update(is_superuser=True)

    assert not access.sees_every_campaign(fresh(moderator))
    assert access.sees_every_campaign(fresh(bob))


def test_a_member_cached_by_a_request_before_the_change_committed_is_read_afresh(
    panel_campaign, panel, panelist, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        panelist.groups.remove(panel)
        # Another request, which still sees the membership, caches it:
        cache.add(access.MEMBER_GENERATION_KEY, "another")
        generation = cache.get(access.MEMBER_GENERATION_KEY)
        kept = (generation, False, frozenset({panel.pk}))
        cache.set(access.MEMBER_KEY.format(panelist.pk), kept)
        assert access.may_view_campaign(fresh(panelist), panel_campaign.pk)

    assert not access.may_view_campaign(fresh(panelist), panel_campaign.pk)


def test_without_the_cache_a_member_is_read_on_each_request(
    panel_campaign, panelist, settings
):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }
    assert access.may_view_campaign(fresh(panelist), panel_campaign.pk)
    panelist.groups.clear()
    assert not access.may_view_campaign(fresh(panelist), panel_campaign.pk)


# What each person may do with a private campaign's idea ---------------------------
# who -> (view, support, comment, follow)
ON_THE_PANEL_IDEA = {
    "anonymous": (False, False, False, False),
    "member": (False, False, False, False),
    "panelist": (True, True, True, True),
    "author": (True, False, True, True),
    "moderator": (True, True, True, True),
}


@pytest.mark.parametrize("who", list(ON_THE_PANEL_IDEA))
def test_who_may_do_what_with_a_panel_idea(panel_campaign, panel, bob, moderator, who):
    author = UserFactory(display_name="Ana")
    author.groups.add(panel)
    idea = IdeaFactory(author=author, campaign=panel_campaign)
    other_panelist = UserFactory()
    other_panelist.groups.add(panel)
    user = {
        "anonymous": AnonymousUser(),
        "member": bob,
        "panelist": other_panelist,
        "author": author,
        "moderator": moderator,
    }[who]

    assert (
        permissions.can_view_idea(user, idea),
        permissions.can_support(user, idea),
        permissions.can_comment(user, idea),
        permissions.can_follow(user, idea),
    ) == ON_THE_PANEL_IDEA[who]


def test_an_author_who_left_the_panel_still_sees_their_idea_but_takes_no_part(
    private_idea, panelist, panel
):
    panelist.groups.remove(panel)
    author = fresh(panelist)

    assert permissions.can_view_idea(author, private_idea)
    assert not permissions.can_comment(author, private_idea)
    assert not permissions.can_follow(author, private_idea)


# Selectors ---------------------------------------------------------------------------
def test_the_lists_leave_out_ideas_of_campaigns_one_may_not_see(
    private_idea, members_idea, secret_idea, open_idea, bob, panelist, moderator
):
    def listed(user) -> set[str]:
        return {i.title for i in filtered_ideas(IdeaFilters(), user=user)}

    everything = {
        private_idea.title,
        members_idea.title,
        secret_idea.title,
        open_idea.title,
    }
    assert listed(AnonymousUser()) == {open_idea.title}
    assert listed(bob) == {open_idea.title, members_idea.title}
    assert listed(panelist) == {open_idea.title, members_idea.title, private_idea.title}
    assert listed(moderator) == everything


def test_filtering_by_a_private_campaign_finds_nothing_for_outsiders(
    private_idea, bob, panelist
):
    filters = IdeaFilters(campaign=private_idea.campaign_id)

    assert list(filtered_ideas(filters, user=bob)) == []
    assert list(filtered_ideas(filters, user=panelist)) == [private_idea]


def test_search_leaves_out_private_ideas(private_idea, open_idea, bob, panelist):
    assert list(filtered_ideas(IdeaFilters(q="boots heated"), user=bob)) == []
    assert list(filtered_ideas(IdeaFilters(q="boots heated"), user=panelist)) == [
        private_idea
    ]


def test_public_without_a_user_is_what_every_visitor_sees(private_idea, open_idea):
    assert list(Idea.objects.public()) == [open_idea]


def test_visible_to_keeps_ones_own_ideas(private_idea, panelist, panel, bob):
    panelist.groups.remove(panel)

    assert list(Idea.objects.visible_to(fresh(panelist))) == [private_idea]
    assert list(Idea.objects.visible_to(bob)) == []


def test_the_campaign_lists_show_private_campaigns_to_those_admitted(
    panel_campaign, members_campaign, secret_campaign, campaign, bob, panelist
):
    def titles(user):
        return {c.title for c in selectors.live_campaigns(user)}

    assert titles(AnonymousUser()) == {campaign.title}
    assert {c.pk for c in selectors.open_campaigns(bob)} == {
        campaign.pk,
        members_campaign.pk,
    }
    assert titles(panelist) == {
        campaign.title,
        members_campaign.title,
        panel_campaign.title,
    }


def test_the_home_page_selectors_leave_out_private_ideas(private_idea, open_idea, bob):
    assert selectors.trending_ideas(bob) == [open_idea]
    assert selectors.newest_ideas(AnonymousUser()) == [open_idea]
    assert set(selectors.newest_ideas(private_idea.author)) == {open_idea, private_idea}


# Services refuse outsiders ------------------------------------------------------
def test_outsiders_cannot_support_comment_or_follow(private_idea, bob):
    with pytest.raises(NotAllowed):
        voting.support(member=bob, idea=private_idea)
    with pytest.raises(NotAllowed):
        discussion.post_comment(author=bob, idea=private_idea, body="Let me in")
    with pytest.raises(NotAllowed):
        following.follow(member=bob, idea=private_idea)

    private_idea.refresh_from_db()
    assert (private_idea.supports_count, private_idea.comments_count) == (0, 0)


def test_panelists_support_comment_and_follow(private_idea, panel):
    other = UserFactory()
    other.groups.add(panel)

    voting.support(member=other, idea=private_idea)
    discussion.post_comment(author=other, idea=private_idea, body="Yes please")
    following.follow(member=other, idea=private_idea)

    private_idea.refresh_from_db()
    assert (private_idea.supports_count, private_idea.comments_count) == (1, 1)


def test_only_those_admitted_post_ideas_in_a_private_campaign(
    panel_campaign, bob, panelist
):
    with pytest.raises(NotAllowed, match="invited members only"):
        posting.create_idea(
            author=bob,
            title="Let me in",
            description="Please.",
            campaign=panel_campaign,
        )

    idea = posting.create_idea(
        author=panelist,
        title="Laces that glow",
        description="For night runs.",
        campaign=panel_campaign,
    )
    assert idea.campaign_id == panel_campaign.pk
