"""Pages of the idea list cost the same at any depth: a bounded offset, a cached
total, and a search ranked by the search backend (best match first)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas import paging
from tests.factories import CategoryFactory, IdeaFactory

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [idea.title for idea in response.context["ideas"]]


@pytest.fixture
def small_pages(settings, monkeypatch):
    """Pages of 2 ideas, at most 3 of them: the limits, with few rows."""
    settings.COCREATE_IDEAS_PER_PAGE = 2
    monkeypatch.setattr(paging, "MAX_PAGES", 3)


@pytest.fixture
def ten_ideas(small_pages):
    return [IdeaFactory(title=f"Idea {n:02d}", supports_count=n) for n in range(10)]


class TestPages:
    def test_the_deepest_page_lists_its_ideas(self, client, ten_ideas):
        response = client.get("/ideas/?sort=top&page=3")

        assert titles(response) == ["Idea 05", "Idea 04"]
        html = response.content.decode()
        assert "Page 3 of 3" in html
        assert 'rel="next"' not in html
        assert "The list stops here." in html

    def test_a_page_beyond_the_limit_invites_to_refine_the_filters(
        self, client, ten_ideas
    ):
        response = client.get("/ideas/?sort=top&page=4")

        assert response.status_code == 200
        assert titles(response) == []
        html = response.content.decode()
        assert "The list shows its first 3 pages." in html
        assert 'href="?sort=top">Back to the first page' in html

    def test_the_last_page_of_a_short_list_has_no_next_link(self, client, small_pages):
        for n in range(5):
            IdeaFactory(title=f"Idea {n}", supports_count=n)

        response = client.get("/ideas/?sort=top&page=3")

        assert titles(response) == ["Idea 0"]
        html = response.content.decode()
        assert "Page 3 of 3" in html
        assert 'rel="prev"' in html
        assert 'rel="next"' not in html
        assert "The list stops here." not in html

    def test_a_page_past_the_end_of_a_short_list_shows_its_last(
        self, client, small_pages
    ):
        for n in range(3):
            IdeaFactory(title=f"Idea {n}", supports_count=n)

        response = client.get("/ideas/?sort=top&page=3")

        assert titles(response) == ["Idea 0"]
        assert response.context["ideas_page"].number == 2

    @pytest.mark.parametrize(
        "page", ["-1", "0", "abc", "1.5", "", "²", "99999999999999999999999", "1e9"]
    )
    def test_odd_page_values_show_the_first_page(self, client, ten_ideas, page):
        response = client.get("/ideas/", {"sort": "top", "page": page})

        assert response.status_code == 200
        assert titles(response) == ["Idea 09", "Idea 08"]

    def test_a_huge_page_number_says_the_list_stops(self, client, ten_ideas):
        response = client.get("/ideas/?page=2000000")

        assert response.status_code == 200
        assert response.context["ideas_page"].too_deep

    def test_a_search_nothing_can_match_counts_nothing(self, client, ten_ideas):
        response = client.get("/ideas/", {"q": '""'})

        assert response.status_code == 200
        assert response.context["ideas_page"].total == 0

    def test_the_total_is_rounded_when_large(self):
        page = paging.ListPage(number=1, total=12_345, per_page=20)

        assert page.total_is_estimate
        assert page.rounded_total == 12_300
        assert paging.ListPage(number=1, total=987).rounded_total == 987

    def test_the_list_says_how_many_ideas_it_holds(self, client, ten_ideas):
        response = client.get("/ideas/")

        assert "10 ideas" in response.content.decode()


def _queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def _counts(queries: list[str]) -> list[str]:
    return [sql for sql in queries if "COUNT(" in sql.upper()]


class TestQueries:
    def test_page_one_and_the_deepest_page_run_the_same_queries(
        self, client, ten_ideas
    ):
        client.get("/ideas/")  # fills the cached total

        first = _queries(client, "/ideas/?sort=top")
        deepest = _queries(client, "/ideas/?sort=top&page=3")

        assert len(first) == len(deepest)

    def test_the_total_is_counted_once_then_read_from_the_cache(
        self, client, ten_ideas
    ):
        first = _counts(_queries(client, "/ideas/?sort=top"))
        again = _counts(_queries(client, "/ideas/?sort=top&page=2"))
        other_sort = _counts(_queries(client, "/ideas/?sort=new"))

        assert len(first) == 1
        # Public ideas only: the count is narrowed by the list's own condition.
        assert "WHERE" in first[0].upper()
        assert again == []
        assert other_sort == []  # every sort counts the same rows

    def test_a_filter_counts_its_own_total(self, client, ten_ideas):
        CategoryFactory(slug="running")
        client.get("/ideas/")

        counts = _counts(_queries(client, "/ideas/?category=running"))

        assert len(counts) == 1
        assert "slug" in counts[0]

    def test_a_page_beyond_the_limit_reads_no_ideas(self, client, ten_ideas):
        client.get("/ideas/")

        deep = _queries(client, "/ideas/?page=2000")

        assert not any('FROM "ideas_idea"' in sql and "LIMIT" in sql for sql in deep)


class TestSearch:
    def test_the_best_match_comes_first(self, client):
        IdeaFactory(
            title="Reflective straps for a backpack",
            description="Straps that shine at night.",
            supports_count=1,
        )
        IdeaFactory(
            title="A lighter backpack",
            description="Fewer buckles, no reflective trim, a simpler frame.",
            supports_count=50,
        )
        IdeaFactory(
            title="A reflective jacket",
            description="Reflective panels all around: reflective, visible.",
            supports_count=5,
        )

        response = client.get("/ideas/?q=reflective")

        found = titles(response)
        assert len(found) == 3
        # Both reflective titles outrank the idea that only mentions the word.
        assert found[-1] == "A lighter backpack"
        assert response.context["filters"].sort == "relevance"

    def test_a_sort_asked_for_replaces_relevance(self, client):
        IdeaFactory(title="Reflective straps", supports_count=1)
        IdeaFactory(title="A lighter backpack, reflective trim", supports_count=50)

        response = client.get("/ideas/?q=reflective&sort=top")

        assert titles(response) == [
            "A lighter backpack, reflective trim",
            "Reflective straps",
        ]

    def test_the_form_offers_the_best_match_while_searching(self, client):
        IdeaFactory(title="Reflective straps")

        searching = client.get("/ideas/?q=reflective").content.decode()
        listing = client.get("/ideas/").content.decode()

        assert '<option value="relevance" selected>Best match</option>' in searching
        assert "Best match" not in listing
        # The default sort goes as no value: a search from this form ranks.
        assert '<option value="" selected>Hot</option>' in listing

    def test_filters_narrow_a_search_and_keep_its_order(self, client):
        running = CategoryFactory(slug="running")
        hiking = CategoryFactory(slug="hiking")
        IdeaFactory(title="Waterproof socks", category=running)
        IdeaFactory(title="Laces", description="Waterproof, maybe.", category=running)
        IdeaFactory(title="Waterproof boots", category=hiking)

        response = client.get("/ideas/?q=waterproof&category=running")

        assert titles(response) == ["Waterproof socks", "Laces"]

    def test_a_search_pages_beyond_a_thousand_results(self, client, small_pages):
        # Old searches stopped at 1,000 ids; here: pages of 2, every match reached.
        for n in range(5):
            IdeaFactory(title=f"Lantern {n}", supports_count=n)

        pages = [
            titles(client.get(f"/ideas/?q=lantern&sort=top&page={n}"))
            for n in (1, 2, 3)
        ]

        assert pages == [
            ["Lantern 4", "Lantern 3"],
            ["Lantern 2", "Lantern 1"],
            ["Lantern 0"],
        ]

    def test_a_search_runs_as_many_queries_on_a_deep_page(self, client, small_pages):
        for n in range(6):
            IdeaFactory(title=f"Lantern {n}")
        client.get("/ideas/?q=lantern")

        first = _queries(client, "/ideas/?q=lantern")
        deep = _queries(client, "/ideas/?q=lantern&page=3")

        assert len(first) == len(deep)
        assert _counts(first) == _counts(deep) == []
