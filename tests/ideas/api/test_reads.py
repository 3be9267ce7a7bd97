"""The REST API's reads: lists, details, cursor pagination, queries and docs."""

from __future__ import annotations

import base64
import datetime
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ideas.models import (
    IdeaStatus,
)
from ideas.product import shortlists
from ideas.selectors import IdeaFilters, filtered_ideas
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    IdeaFactory,
    SupportFactory,
    UserFactory,
)
from tests.ideas.api.helpers import API, assert_error

#: WhiteNoise warns on every request when collectstatic has not run; not our topic.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


# Reads ----------------------------------------------------------------------------
def test_it_lists_campaigns_and_statuses(reader_api, campaign):
    campaigns = reader_api.get("/campaigns").json()
    assert [c["title"] for c in campaigns] == [campaign.title]
    assert campaigns[0]["is_open"] is True
    statuses = {s["value"]: s for s in reader_api.get("/statuses").json()}
    assert statuses["shortlisted"]["manual"] is True
    assert statuses["in_rnd"]["manual"] is False
    assert "hidden" not in statuses


def test_it_filters_ideas_as_the_list_page_does(reader_api, alice, campaign):
    running = CategoryFactory(name="Running", slug="running")
    match = IdeaFactory(author=alice, campaign=campaign, category=running)
    match.tags.add("dry")
    IdeaFactory(author=alice, campaign=campaign)
    IdeaFactory(author=alice, category=running)
    IdeaFactory(author=alice, status=IdeaStatus.PENDING, campaign=campaign)
    response = reader_api.get(
        "/ideas", campaign=campaign.pk, category="running", tag="dry"
    )
    assert [i["id"] for i in response.json()["items"]] == [match.pk]
    body = reader_api.get("/ideas", campaign=campaign.pk).json()
    assert len(body["items"]) == 2  # the pending idea is not public
    assert body["next_cursor"] is None
    assert_error(reader_api.get("/ideas", sort="loudest"), 422)


def test_an_idea_shows_its_score_supports_promotion_and_shortlists(
    reader_api, product, idea, shortlist
):
    SupportFactory(idea=idea)
    old = SupportFactory(idea=idea)
    old.created_at = timezone.now() - datetime.timedelta(days=8)
    old.save()
    shortlists.add_idea(actor=product, shortlist=shortlist, idea=idea)
    body = reader_api.get(f"/ideas/{idea.pk}").json()
    assert body["supports_last_7_days"] == 1
    assert body["shortlists"] == [{"id": shortlist.pk, "name": shortlist.name}]
    assert body["promotion"] is None
    assert body["score"] is None
    assert body["author"] == {"id": idea.author_id, "name": "Alice"}
    assert "email" not in str(body)


def test_comments_show_only_visible_ones(reader_api, idea):
    shown = CommentFactory(idea=idea)
    CommentFactory(idea=idea, moderation="hidden")
    CommentFactory(idea=idea, moderation="pending")
    CommentFactory(idea=idea, removed_at=timezone.now())
    body = reader_api.get(f"/ideas/{idea.pk}/comments").json()
    assert [c["id"] for c in body["items"]] == [shown.pk]


def test_a_shortlist_lists_its_public_ideas_in_order_with_notes(
    reader_api, product, alice, shortlist
):
    first, second, hidden = IdeaFactory.create_batch(3, author=alice)
    for idea, note in [(second, "B"), (first, "A"), (hidden, "H")]:
        shortlists.add_idea(actor=product, shortlist=shortlist, idea=idea, note=note)
    hidden.status = IdeaStatus.HIDDEN
    hidden.save()
    body = reader_api.get(f"/shortlists/{shortlist.pk}").json()
    assert [(e["idea"]["id"], e["note"]) for e in body["entries"]] == [
        (second.pk, "B"),
        (first.pk, "A"),
    ]
    assert body["ideas_count"] == 2
    assert [s["id"] for s in reader_api.get("/shortlists").json()] == [shortlist.pk]
    assert_error(reader_api.get("/shortlists/999999"), 404)


# Cursor pagination ----------------------------------------------------------------
def walk(api, **params) -> list[int]:
    ids, cursor, pages = [], None, 0
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body = api.get("/ideas", **query).json()
        ids += [i["id"] for i in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None or pages > 50:
            return ids


@pytest.mark.parametrize("sort", ["hot", "top", "new", "discussed", "trending"])
def test_the_cursor_walks_every_idea_once_in_order(reader_api, alice, sort):
    now = timezone.now()
    for n in range(23):
        # Ties on every sort column, so the id must break them.
        IdeaFactory(
            author=alice,
            supports_count=n % 3,
            comments_count=n % 4,
            created_at=now - datetime.timedelta(minutes=n % 5),
            hot_score=float(n % 2),
        )
    ideas = IdeaFactory._meta.model.objects.all()
    for idea in list(ideas)[:5]:
        SupportFactory(idea=idea)
    ids = walk(reader_api, sort=sort, limit=4)
    expected = [
        i.pk for i in filtered_ideas(IdeaFilters(sort=sort), user=AnonymousUser())
    ]
    assert ids == expected
    assert len(set(ids)) == 23


def test_new_ideas_do_not_shift_the_pages(reader_api, alice):
    IdeaFactory.create_batch(6, author=alice)
    first = reader_api.get("/ideas", sort="new", limit=3).json()
    IdeaFactory.create_batch(2, author=alice)  # arrive at the top of "new"
    second = reader_api.get(
        "/ideas", sort="new", limit=3, cursor=first["next_cursor"]
    ).json()
    seen = [i["id"] for i in first["items"] + second["items"]]
    assert len(set(seen)) == 6


@pytest.mark.parametrize("cursor", ["garbage", "e30", "eyJvIjoiaWRlYXM6bmV3Iiwia"])
def test_a_bad_cursor_is_refused_in_words(reader_api, idea, cursor):
    assert "cursor" in assert_error(reader_api.get("/ideas", cursor=cursor), 400)


def test_a_search_walks_every_match_with_no_cap(reader_api, alice):
    for n in range(7):
        IdeaFactory(author=alice, title=f"Lantern {n}", supports_count=n)
    IdeaFactory(author=alice, title="Compass")

    ids = walk(reader_api, q="lantern", sort="top", limit=2)

    expected = IdeaFactory._meta.model.objects.filter(title__startswith="Lantern")
    assert ids == [i.pk for i in expected.order_by("-supports_count", "-id")]


def _forged(data) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    ("sort", "data"),
    [
        ("hot", {"o": "ideas:hot", "k": ["high", 1]}),
        ("hot", {"o": "ideas:hot", "k": [1.5, 2**70]}),
        ("hot", {"o": "ideas:hot", "k": [1.5]}),
        ("hot", ["ideas:hot", 1.5, 1]),
        # A moment without its time zone.
        ("new", {"o": "ideas:new", "k": ["2026-01-01T00:00:00", 1]}),
    ],
)
def test_a_forged_cursor_is_refused_in_words(reader_api, idea, sort, data):
    response = reader_api.get("/ideas", sort=sort, cursor=_forged(data))

    assert "cursor" in assert_error(response, 400)


def test_a_cursor_of_another_sort_is_refused(reader_api, alice):
    IdeaFactory.create_batch(3, author=alice)
    cursor = reader_api.get("/ideas", sort="new", limit=1).json()["next_cursor"]
    assert_error(reader_api.get("/ideas", sort="top", cursor=cursor), 400)


def test_comments_page_with_a_cursor(reader_api, idea):
    comments = CommentFactory.create_batch(5, idea=idea)
    first = reader_api.get(f"/ideas/{idea.pk}/comments", limit=3).json()
    rest = reader_api.get(
        f"/ideas/{idea.pk}/comments", limit=3, cursor=first["next_cursor"]
    ).json()
    assert [c["id"] for c in first["items"] + rest["items"]] == [c.pk for c in comments]
    assert rest["next_cursor"] is None


# Queries --------------------------------------------------------------------------
def count_queries(api, path, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path, **params)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


def fill(n, alice, campaign, shortlist, product, idea):
    category = CategoryFactory()
    for _ in range(n):
        other = IdeaFactory(author=UserFactory(), campaign=campaign, category=category)
        other.tags.add("dry", "light")
        CommentFactory(idea=idea, author=UserFactory())
        shortlists.add_idea(actor=product, shortlist=shortlist, idea=other, note="n")


@pytest.mark.parametrize(
    "path",
    [
        "/ideas",
        "/ideas?sort=trending",
        "/campaigns",
        "/statuses",
        "/shortlists",
        "/shortlists/{shortlist}",
        "/ideas/{idea}",
        "/ideas/{idea}/comments",
    ],
)
def test_lists_run_a_constant_number_of_queries(
    reader_api, alice, product, campaign, shortlist, idea, path
):
    path, _, query = path.partition("?")
    params = dict([query.split("=")]) if query else {}
    path = path.format(shortlist=shortlist.pk, idea=idea.pk)
    fill(2, alice, campaign, shortlist, product, idea)
    count_queries(reader_api, path, **params)  # warm: the token's last use is noted
    few = count_queries(reader_api, path, **params)
    fill(18, alice, campaign, shortlist, product, idea)
    many = count_queries(reader_api, path, **params)
    assert many == few
    assert few <= 9


# Docs -----------------------------------------------------------------------------
def test_the_docs_and_schema_are_served_without_a_cdn(client):
    response = client.get(API + "/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html
    schema = client.get(API + "/openapi.json").json()
    assert schema["info"]["version"] == "1"
    assert "/api/v1/ideas/{idea_id}/promotion" in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
