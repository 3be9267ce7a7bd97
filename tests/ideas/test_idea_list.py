"""The idea list: sorts, filters, search and pages."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ideas import voting
from ideas.models import IdeaStatus
from ideas.ranking import hot_score
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    IdeaFactory,
    SupportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [idea.title for idea in response.context["ideas"]]


def idea_with(title, *, supports=0, comments=0, age_days=0, **fields):
    created = timezone.now() - datetime.timedelta(days=age_days)
    return IdeaFactory(
        title=title,
        created_at=created,
        supports_count=supports,
        comments_count=comments,
        hot_score=hot_score(supports, created),
        **fields,
    )


@pytest.fixture
def ranked(db):
    """Old and loved, new and quiet, middle and talked about."""
    old = idea_with("Old favourite", supports=100, comments=1, age_days=30)
    new = idea_with("Brand new", supports=0, comments=0, age_days=0)
    talked = idea_with("Talked about", supports=5, comments=40, age_days=2)
    return old, new, talked


class TestSorting:
    def test_hot_is_the_default_and_favours_recent_ideas(self, client, ranked):
        response = client.get("/ideas/")

        assert response.status_code == 200
        assert response.context["filters"].sort == "hot"
        assert titles(response) == ["Brand new", "Talked about", "Old favourite"]

    def test_top_orders_by_supports(self, client, ranked):
        response = client.get("/ideas/?sort=top")

        assert titles(response) == ["Old favourite", "Talked about", "Brand new"]

    def test_new_orders_by_creation(self, client, ranked):
        response = client.get("/ideas/?sort=new")

        assert titles(response) == ["Brand new", "Talked about", "Old favourite"]

    def test_discussed_orders_by_comments(self, client, ranked):
        response = client.get("/ideas/?sort=discussed")

        assert titles(response) == ["Talked about", "Old favourite", "Brand new"]

    def test_trending_counts_only_supports_of_the_last_seven_days(self, client, ranked):
        old, new, talked = ranked
        long_ago = timezone.now() - datetime.timedelta(days=20)
        for _ in range(3):
            SupportFactory(idea=old, created_at=long_ago)
        for _ in range(2):
            voting.support(member=UserFactory(), idea=talked)
        voting.support(member=UserFactory(), idea=new)

        response = client.get("/ideas/?sort=trending")

        # Not the hot order (new, talked, old): this week's supports first.
        assert titles(response) == ["Talked about", "Brand new", "Old favourite"]

    def test_an_unknown_sort_falls_back_to_hot(self, client, ranked):
        response = client.get("/ideas/?sort=drop-table")

        assert response.status_code == 200
        assert response.context["filters"].sort == "hot"

    def test_ties_are_broken_by_newest_id(self, client):
        now = timezone.now()
        first = IdeaFactory(title="First", created_at=now)
        second = IdeaFactory(title="Second", created_at=now)

        response = client.get("/ideas/?sort=top")

        assert [idea.pk for idea in response.context["ideas"]] == [
            second.pk,
            first.pk,
        ]


class TestFilters:
    def test_only_public_ideas_are_listed(self, client, alice, alice_client):
        IdeaFactory(title="Visible")
        IdeaFactory(title="Waiting", status=IdeaStatus.PENDING, author=alice)
        IdeaFactory(title="Removed", status=IdeaStatus.HIDDEN, author=alice)
        IdeaFactory(title="Shipped it", status=IdeaStatus.SHIPPED)

        response = alice_client.get("/ideas/")

        assert sorted(titles(response)) == ["Shipped it", "Visible"]

    def test_by_campaign(self, client, make_campaign):
        shoes = make_campaign(title="Shoes")
        tents = make_campaign(title="Tents")
        IdeaFactory(title="Lighter soles", campaign=shoes)
        IdeaFactory(title="Quick pitch", campaign=tents)

        response = client.get(f"/ideas/?campaign={shoes.pk}")

        assert titles(response) == ["Lighter soles"]
        assert response.context["filters"].is_filtered()

    def test_by_category(self, client, category):
        IdeaFactory(title="Running idea", category=category)
        IdeaFactory(title="Other idea", category=CategoryFactory(slug="hiking"))

        response = client.get("/ideas/?category=running")

        assert titles(response) == ["Running idea"]

    def test_by_status(self, client):
        IdeaFactory(title="Plain")
        IdeaFactory(title="On the list", status=IdeaStatus.SHORTLISTED)

        response = client.get("/ideas/?status=shortlisted")

        assert titles(response) == ["On the list"]

    def test_a_status_nobody_may_see_is_ignored(self, client, alice):
        IdeaFactory(title="Plain")
        IdeaFactory(title="Waiting", status=IdeaStatus.PENDING, author=alice)

        response = client.get("/ideas/?status=pending")

        assert titles(response) == ["Plain"]

    def test_by_tag(self, client):
        tagged = IdeaFactory(title="Tagged")
        tagged.tags.add("waterproof")
        IdeaFactory(title="Untagged")

        response = client.get("/ideas/?tag=waterproof")

        assert titles(response) == ["Tagged"]

    def test_filters_combine_with_sorts(self, client, category):
        IdeaFactory(title="Few", category=category, supports_count=1)
        IdeaFactory(title="Many", category=category, supports_count=9)
        IdeaFactory(title="Elsewhere", supports_count=50)

        response = client.get("/ideas/?category=running&sort=top")

        assert titles(response) == ["Many", "Few"]

    def test_an_empty_result_says_so(self, client):
        IdeaFactory(title="Plain")

        response = client.get("/ideas/?tag=nothing-here")

        assert "No idea matches these filters yet." in response.content.decode()


class TestSearch:
    def test_it_finds_words_in_titles_and_descriptions(self, client):
        IdeaFactory(title="Waterproof jacket", description="Stays dry.")
        IdeaFactory(title="Tent", description="A waterproof floor for the tent.")
        IdeaFactory(title="Bike bell", description="Loud and clear.")

        response = client.get("/ideas/?q=waterproof")

        assert sorted(titles(response)) == ["Tent", "Waterproof jacket"]

    def test_it_never_finds_hidden_ideas(self, client, alice):
        IdeaFactory(title="Waterproof socks", status=IdeaStatus.HIDDEN, author=alice)
        IdeaFactory(title="Waterproof gloves")

        response = client.get("/ideas/?q=waterproof")

        assert titles(response) == ["Waterproof gloves"]

    def test_it_combines_with_a_sort(self, client):
        IdeaFactory(title="Waterproof jacket", supports_count=3)
        IdeaFactory(title="Waterproof boots", supports_count=8)

        response = client.get("/ideas/?q=waterproof&sort=top")

        assert titles(response) == ["Waterproof boots", "Waterproof jacket"]

    def test_nothing_found_says_so(self, client):
        IdeaFactory(title="Bike bell")

        response = client.get("/ideas/?q=zeppelin")

        assert titles(response) == []
        assert "No idea matches these filters yet." in response.content.decode()


class TestPagination:
    def test_it_shows_20_ideas_a_page_and_keeps_filters_in_links(self, client):
        author = UserFactory()
        for n in range(25):
            IdeaFactory(title=f"Idea {n:02d}", author=author, supports_count=n)

        first = client.get("/ideas/?sort=top")
        second = client.get("/ideas/?sort=top&page=2")

        assert len(first.context["ideas"]) == 20
        assert titles(first)[0] == "Idea 24"
        assert titles(second) == [f"Idea {n:02d}" for n in range(4, -1, -1)]
        assert 'href="?sort=top&amp;page=2"' in first.content.decode()
        assert "Page 2 of 2" in second.content.decode()

    def test_a_page_out_of_range_shows_the_last_page(self, client):
        IdeaFactory.create_batch(3)

        response = client.get("/ideas/?page=99")

        assert response.status_code == 200
        assert len(response.context["ideas"]) == 3

    def test_htmx_gets_only_the_results(self, client):
        IdeaFactory(title="Fragment")

        response = client.get("/ideas/?sort=new", HTTP_HX_REQUEST="true")

        html = response.content.decode()
        assert html.lstrip().startswith('<div id="idea-results"')
        assert "Fragment" in html
        assert "<html" not in html


class TestCards:
    def test_a_card_shows_counts_and_whether_you_support_it(self, bob_client, bob):
        idea = IdeaFactory(title="Supported", supports_count=1, comments_count=4)
        SupportFactory(idea=idea, member=bob)
        CommentFactory(idea=idea)

        html = bob_client.get("/ideas/").content.decode()

        assert f'data-idea-supports="{idea.pk}">1<' in html
        assert f'data-idea-comments="{idea.pk}">4<' in html
        assert "You support this" in html

    def test_a_campaign_page_lists_its_own_ideas(self, client, make_campaign):
        shoes = make_campaign(title="Shoes")
        tents = make_campaign(title="Tents")
        IdeaFactory(title="Lighter soles", campaign=shoes)
        IdeaFactory(title="Quick pitch", campaign=tents)

        response = client.get(shoes.url)

        assert response.status_code == 200
        assert titles(response) == ["Lighter soles"]
