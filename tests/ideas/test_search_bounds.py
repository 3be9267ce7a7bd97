"""A search costs the same whatever the number of its matches: it ranks and counts
at most ``SEARCH_MATCHES`` of them, says "More than N ideas" beyond, keeps the
best match first, and no input makes it fail (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from wagtail.search.backends import get_search_backend

from ideas import paging, selectors
from ideas.models import Idea, TokenScope
from ideas.selectors import IdeaFilters, filtered_ideas, matching_ideas, with_card_data
from tests.factories import CategoryFactory, IdeaFactory, UserFactory
from tests.ideas.api.helpers import make_token

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [idea.title for idea in response.context["ideas"]]


@pytest.fixture
def small_bound(settings, monkeypatch):
    """Pages of 2 ideas; a search keeps at most 5 matches."""
    settings.COCREATE_IDEAS_PER_PAGE = 2
    monkeypatch.setattr(selectors, "SEARCH_MATCHES", 5)


class TestRelevance:
    def test_a_title_match_comes_before_a_body_only_match(self, client):
        IdeaFactory(
            title="Spare laces",
            description="Laces with a hook to hang a lantern from.",
            supports_count=90,
        )
        IdeaFactory(title="A lantern for tents", supports_count=1)

        found = titles(client.get("/ideas/?q=lantern"))

        assert found == ["A lantern for tents", "Spare laces"]

    def test_filters_narrow_the_matches_before_the_bound(self, client, small_bound):
        running = CategoryFactory(slug="running")
        for n in range(8):
            IdeaFactory(title=f"Lantern {n}")
        IdeaFactory(title="Lantern for runners", category=running)

        response = client.get("/ideas/?q=lantern&category=running")

        # The eight other lanterns would fill the bound if it came first.
        assert titles(response) == ["Lantern for runners"]
        assert "1 idea" in response.content.decode()


class TestBound:
    def test_a_search_beyond_the_bound_pages_its_first_matches(
        self, client, small_bound
    ):
        for n in range(9):
            IdeaFactory(title=f"Lantern {n}")

        pages = [titles(client.get(f"/ideas/?q=lantern&page={n}")) for n in (1, 2, 3)]

        seen = [title for page in pages for title in page]
        assert [len(page) for page in pages] == [2, 2, 1]
        assert len(set(seen)) == 5
        assert all(title.startswith("Lantern") for title in seen)

    def test_it_says_how_many_in_words(self, client, small_bound):
        for n in range(9):
            IdeaFactory(title=f"Lantern {n}")

        first = client.get("/ideas/?q=lantern").content.decode()
        last = client.get("/ideas/?q=lantern&page=3")
        html = last.content.decode()

        assert "More than 5 ideas" in first
        assert "Page 3 of 3" in html
        assert 'rel="next"' not in html
        assert "The search stops at its first 5 matches." in html
        assert last.context["ideas_page"].total_is_lower_bound

    def test_a_page_past_the_bound_shows_the_last(self, client, small_bound):
        for n in range(9):
            IdeaFactory(title=f"Lantern {n}")

        response = client.get("/ideas/?q=lantern&page=4")

        assert response.status_code == 200
        assert response.context["ideas_page"].number == 3

    def test_a_sort_asked_for_pages_to_the_bound_too(self, client, small_bound):
        for n in range(9):
            IdeaFactory(title=f"Lantern {n}", supports_count=n)

        first = client.get("/ideas/?q=lantern&sort=top")
        last = client.get("/ideas/?q=lantern&sort=top&page=3")

        # Every match is sorted (the most supported first), the pages stop at 5.
        assert titles(first) == ["Lantern 8", "Lantern 7"]
        assert titles(last) == ["Lantern 4"]
        assert 'rel="next"' not in last.content.decode()

    def test_within_the_bound_the_total_is_exact(self, client, small_bound):
        for n in range(4):
            IdeaFactory(title=f"Lantern {n}")

        html = client.get("/ideas/?q=lantern").content.decode()

        assert "4 ideas" in html
        assert "More than" not in html

    def test_the_count_reads_at_most_one_match_past_the_bound(self, small_bound):
        for n in range(9):
            IdeaFactory(title=f"Lantern {n}")
        filters = IdeaFilters(q="lantern")

        counted = matching_ideas(filters, user=AnonymousUser(), bound=6)

        assert paging.cached_count(counted) == 6


ODD_QUERIES = [
    "lantern " * 1250,  # 10,000 characters
    "!!!...,,,;;;",
    "&|!:*",
    "lantern & | ! : * ( ) <-> '",
    "a\x00b",
    "\x00",
    "l'été à vélo 🚲",
    "Ünïcödé ñ 中文 العربية",
    "\ufffe\ufdd0",  # noncharacters (a lone surrogate cannot be sent)
    "*:*",
    "':*",
    "--",
]


@pytest.mark.parametrize("q", ODD_QUERIES)
def test_odd_searches_never_fail(client, product, campaign, q):
    IdeaFactory(title="A lantern for tents", campaign=campaign)
    token = make_token(product, TokenScope.READ)

    for url in ("/ideas/", campaign.url):
        for sort in ("", "top"):
            response = client.get(url, {"q": q, "sort": sort})
            assert response.status_code == 200, (url, q)
    for sort in ("hot", "top"):
        response = client.get(
            "/api/v1/ideas",
            {"q": q, "sort": sort},
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        # A query the API refuses is answered in words (422), never a 500.
        assert response.status_code in (200, 422), q
        assert response["Content-Type"].startswith("application/json")


def test_a_french_word_finds_a_french_idea(client):
    IdeaFactory(title="Une lampe frontale rechargeable", language="fr")

    response = client.get("/ideas/", {"q": "lampe", "language": "fr"})

    assert titles(response) == ["Une lampe frontale rechargeable"]


# PostgreSQL's plans -----------------------------------------------------------------
IDEAS = 5_000
PER_PAGE = 20


@pytest.fixture
def indexed_ideas():
    """Five thousand indexed ideas with descriptions of an ordinary length (the
    planner weighs a scan by the table's pages): "lantern" in every title,
    "compass" in one body in twenty, "zeppelin" in two titles; ANALYZE run."""
    authors = UserFactory.create_batch(3)
    text = "A sturdy, light design that a family could use on every outing. " * 8
    ideas = Idea.objects.bulk_create(
        [
            Idea(
                title=f"Lantern {n}" + (" zeppelin" if n in (7, 3500) else ""),
                description=text + (" A compass inside." if n % 20 == 0 else ""),
                description_html=f"<p>{text}</p>",
                author=authors[n % len(authors)],
                supports_count=n % 97,
            )
            for n in range(IDEAS)
        ],
        batch_size=500,
    )
    get_search_backend().add_bulk(Idea, ideas)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ideas_idea")
        cursor.execute("ANALYZE wagtailsearch_indexentry")
    return ideas


def _page_query(q: str, **filters):
    """The page's query of a search by relevance (the list's default for a
    search), and its count, as ``idea_page`` makes them."""
    bound = selectors.SEARCH_MATCHES
    searched = IdeaFilters(q=q, sort=selectors.RELEVANCE, **filters)
    ideas = filtered_ideas(searched, user=AnonymousUser(), bound=bound)
    counted = matching_ideas(searched, user=AnonymousUser(), bound=bound + 1)
    return with_card_data(ideas)[:PER_PAGE], counted


def _ranked_rows(plan: str) -> int:
    """How many times the rank's subplan ran (its lookup of the index entry)."""
    loops = [
        int(found)
        for line in plan.splitlines()
        if "indexentry_content_type_id_object" in line
        for found in re.findall(r"loops=(\d+)", line)
    ]
    return max(loops, default=0)


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are PostgreSQL's"
)
class TestPlans:
    def test_a_word_of_few_ideas_is_found_through_the_gin_indexes(self, indexed_ideas):
        for q in ("compass", "zeppelin"):
            page, counted = _page_query(q)
            for plan in (page.explain(), counted.order_by().explain()):
                plan = plan.replace('"', "")
                assert "_gin" in plan, plan
                assert "Seq Scan on ideas_idea" not in plan, plan
                assert "Seq Scan on wagtailsearch_indexentry" not in plan, plan

    def test_a_common_word_ranks_at_most_the_bound(self, indexed_ideas):
        page, counted = _page_query("lantern")

        plan = page.explain(analyze=True).replace('"', "")

        assert "Seq Scan on ideas_idea" not in plan, plan
        assert 0 < _ranked_rows(plan) <= selectors.SEARCH_MATCHES, plan
        assert counted.count() == selectors.SEARCH_MATCHES + 1

    def test_a_filtered_search_reads_no_idea_table_scan(self, indexed_ideas):
        page, counted = _page_query("lantern", language="en")

        for plan in (page.explain(), counted.order_by().explain()):
            assert "Seq Scan on ideas_idea" not in plan.replace('"', ""), plan
