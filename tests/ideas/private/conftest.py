"""Private campaigns: a panel group and its panelist, and campaigns kept for the
panel, for signed-in members and behind a password, each with an idea."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from tests.factories import IdeaFactory, UserFactory

# The live tests' fixtures: the socket tests here run the same consumers.
from tests.ideas.live.conftest import (  # noqa: F401
    _keep_the_test_connection,
    _short_list_interval,
    committed,
)


def restrict(page, kind: str, *, groups=(), password: str = "") -> PageViewRestriction:
    """What an editor's Privacy dialog saves for the page."""
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password=password
    )
    if groups:
        restriction.groups.set(groups)
    return restriction


@pytest.fixture
def panel(db):
    return Group.objects.create(name="Verified customers")


@pytest.fixture
def panelist(panel):
    """Pia, a verified customer: a member of the panel group."""
    member = UserFactory(email="pia@example.com", display_name="Pia")
    member.groups.add(panel)
    return member


@pytest.fixture
def panel_campaign(make_campaign, panel):
    campaign = make_campaign(title="Panel: prototype boots")
    restrict(campaign, PageViewRestriction.GROUPS, groups=[panel])
    return campaign


@pytest.fixture
def members_campaign(make_campaign):
    campaign = make_campaign(title="Members: winter tents")
    restrict(campaign, PageViewRestriction.LOGIN)
    return campaign


@pytest.fixture
def secret_campaign(make_campaign):
    campaign = make_campaign(title="Secret: the 2030 range")
    restrict(campaign, PageViewRestriction.PASSWORD, password="boots")
    return campaign


@pytest.fixture
def private_idea(panel_campaign, panelist):
    return IdeaFactory(
        author=panelist, campaign=panel_campaign, title="Boots with a heated sole"
    )


@pytest.fixture
def members_idea(members_campaign, alice):
    return IdeaFactory(
        author=alice, campaign=members_campaign, title="A tent that pitches itself"
    )


@pytest.fixture
def secret_idea(secret_campaign, alice):
    return IdeaFactory(
        author=alice, campaign=secret_campaign, title="Shoes made of mushrooms"
    )


@pytest.fixture
def open_idea(campaign, alice):
    return IdeaFactory(
        author=alice, campaign=campaign, title="Shoes that dry overnight"
    )
