"""Every page runs a constant number of queries whatever its size (DESIGN rule 5).

Each test fills the page with 10 items, counts the queries, grows it to 50 and
counts again: the two must be equal, and both under a fixed ceiling. Ideas carry
everything a card shows (author, campaign, category, tags, an image, a support
by the viewer), so a missing select_related or prefetch shows up as a difference.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas import voting
from ideas.models import Idea
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    IdeaFactory,
    IdeaImageFactory,
    SupportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SMALL, LARGE = 10, 50


def queries_for(client, url: str) -> int:
    client.get(url)  # warm caches a first visit fills (site root paths, etc.)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def add_ideas(make_campaign, bob):
    campaigns = [make_campaign(title="Shoes"), make_campaign(title="Tents")]
    categories = [CategoryFactory(slug="running"), CategoryFactory(slug="hiking")]

    def add(count: int) -> None:
        for n in range(count):
            idea = IdeaFactory(
                author=UserFactory(),
                campaign=campaigns[n % 2],
                category=categories[n % 2],
                supports_count=n % 7,
                comments_count=n % 5,
            )
            idea.tags.add(f"tag-{n % 3}", "common")
            IdeaImageFactory(idea=idea)
            if n % 2:
                SupportFactory(idea=idea, member=bob)
                CommentFactory(idea=idea)

    return add


@pytest.fixture
def add_comments(idea):
    def add(count: int) -> None:
        for _ in range(count):
            top = CommentFactory(idea=idea, author=UserFactory())
            CommentFactory(idea=idea, author=UserFactory(), parent=top)
        Idea.objects.filter(pk=idea.pk).update(comments_count=2 * count)

    return add


LIST_URLS = [
    "/ideas/",
    "/ideas/?sort=hot",
    "/ideas/?sort=top",
    "/ideas/?sort=new",
    "/ideas/?sort=discussed",
    "/ideas/?sort=trending",
    "/ideas/?sort=top&category=running&tag=common&status=published",
    "/ideas/?q=idea",
    "/ideas/?page=2",
]
# Ceilings as measured for a member (session, user, supports, Wagtail user bar);
# raise one only with a reason. The idea page reads its status timeline (+1).
# Wagtail pages route through the active language's Locale (i18n, +1 on the home).
LIST_CEILING = 13
PAGE_CEILING = 12
HOME_CEILING = 18


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_the_idea_list_runs_the_same_queries_for_10_and_50_ideas(
    client, bob, add_ideas, django_assert_max_num_queries, viewer
):
    if viewer == "member":
        client.force_login(bob)
    add_ideas(SMALL)
    small = {url: queries_for(client, url) for url in LIST_URLS}

    add_ideas(LARGE - SMALL)
    large = {url: queries_for(client, url) for url in LIST_URLS}

    assert large == small
    for url in LIST_URLS:
        with django_assert_max_num_queries(LIST_CEILING):
            client.get(url)


def test_a_campaign_page_runs_the_same_queries_for_10_and_50_ideas(
    client, add_ideas, django_assert_max_num_queries
):
    add_ideas(SMALL)
    campaign_url = Idea.objects.first().campaign.url
    small = queries_for(client, campaign_url)

    add_ideas(LARGE - SMALL)

    assert queries_for(client, campaign_url) == small
    with django_assert_max_num_queries(LIST_CEILING):
        client.get(campaign_url)


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_the_idea_page_runs_the_same_queries_for_10_and_50_comments(
    client, bob, idea, add_comments, django_assert_max_num_queries, viewer
):
    if viewer == "member":
        client.force_login(bob)
    IdeaImageFactory(idea=idea)
    idea.tags.add("waterproof", "laces")
    add_comments(SMALL)
    small = queries_for(client, idea.get_absolute_url())

    add_comments(LARGE - SMALL)

    assert queries_for(client, idea.get_absolute_url()) == small
    with django_assert_max_num_queries(PAGE_CEILING):
        client.get(idea.get_absolute_url())


def test_the_comment_thread_runs_the_same_queries_for_10_and_50_comments(
    client, idea, add_comments
):
    url = f"/ideas/{idea.pk}/comments/"
    add_comments(SMALL)
    small = queries_for(client, url)

    add_comments(LARGE - SMALL)

    assert queries_for(client, url) == small


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_the_home_page_runs_the_same_queries_for_10_and_50_ideas(
    client, bob, add_ideas, django_assert_max_num_queries, viewer
):
    if viewer == "member":
        client.force_login(bob)
    add_ideas(SMALL)
    small = queries_for(client, "/")

    add_ideas(LARGE - SMALL)

    assert queries_for(client, "/") == small
    with django_assert_max_num_queries(HOME_CEILING):
        client.get("/")


def test_a_profile_runs_the_same_queries_for_10_and_50_ideas(client, bob):
    member = UserFactory()

    def add(count):
        for _ in range(count):
            idea = IdeaFactory(author=member)
            idea.tags.add("common")
            IdeaImageFactory(idea=idea)
            CommentFactory(author=member, idea=IdeaFactory())

    add(SMALL)
    small = queries_for(client, member.get_absolute_url())

    add(LARGE - SMALL)

    assert queries_for(client, member.get_absolute_url()) == small


# The support button: the hot path of the site. A member whose supports pay
# nobody yet (a new account): session, member, the idea read under its lock, the
# support, the counters, the rewards' settings check, and the test's savepoint
# around the service. A withdrawal also reads the idea to check it is visible,
# finds and deletes the support and looks for points to reverse. The full figure
# with points paid is in tests/rewards/test_queries.py.
SUPPORT_REQUEST = 9
WITHDRAW_REQUEST = 11


def test_a_support_request_runs_a_fixed_number_of_queries(
    client, alice, bob, charlie, django_assert_num_queries
):
    idea = IdeaFactory(author=alice)
    voting.support(member=charlie, idea=idea)  # fills the site's first-use caches
    client.force_login(bob)

    with django_assert_num_queries(SUPPORT_REQUEST):
        response = client.post(
            f"/ideas/{idea.pk}/support/", {"action": "support"}, HTTP_HX_REQUEST="true"
        )

    assert f'data-idea-supports="{idea.pk}">2<' in response.content.decode()


def test_a_withdraw_request_runs_a_fixed_number_of_queries(
    client, alice, bob, django_assert_num_queries
):
    idea = IdeaFactory(author=alice)
    voting.support(member=bob, idea=idea)
    client.force_login(bob)

    with django_assert_num_queries(WITHDRAW_REQUEST):
        response = client.post(
            f"/ideas/{idea.pk}/support/", {"action": "withdraw"}, HTTP_HX_REQUEST="true"
        )

    assert f'data-idea-supports="{idea.pk}">0<' in response.content.decode()


# The same pages at a larger table: 10 ideas with everything a card shows, then
# 990 more written in bulk. The queries stay the same (none counts supports or
# grows with the table), so only their plans change with the size.
MANY = 1_000


@pytest.fixture
def bulk_ideas(make_campaign):
    def add(count: int, *, campaign) -> None:
        authors = UserFactory.create_batch(3)
        Idea.objects.bulk_create(
            Idea(
                title=f"Bulk idea {n}",
                description="An idea.",
                author=authors[n % 3],
                campaign=campaign if n % 2 else None,
                supports_count=n % 11,
                comments_count=n % 13,
                recent_supports=n % 5,
                hot_score=float(n),
            )
            for n in range(count)
        )

    return add


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_the_pages_run_the_same_queries_for_10_and_1000_ideas(
    client, bob, add_ideas, bulk_ideas, viewer
):
    if viewer == "member":
        client.force_login(bob)
    add_ideas(SMALL)
    first = Idea.objects.order_by("pk").first()
    urls = [
        "/",
        *LIST_URLS,
        first.campaign.url,
        f"{first.campaign.url}?sort=trending",
        first.get_absolute_url(),
    ]
    small = {url: queries_for(client, url) for url in urls}

    bulk_ideas(MANY - SMALL, campaign=first.campaign)
    assert Idea.objects.count() == MANY

    assert {url: queries_for(client, url) for url in urls} == small
