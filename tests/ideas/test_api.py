"""The REST API at /api/v1/: personal tokens with scopes, the owner's permissions,
JSON errors, rate limits, cursor pagination, constant queries, and the back-office
pages where members create and revoke their tokens."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import APIToken, ModelLogEntry

from ideas.models import (
    ApiTokenScope,
    Criterion,
    IdeaStatus,
    Promotion,
    Score,
    Shortlist,
    ShortlistEntry,
    StatusChange,
    TokenScope,
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

API = "/api/v1"

#: WhiteNoise warns on every request when collectstatic has not run; not our topic.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def make_token(user, scope: str | None = TokenScope.WRITE, name: str = "Jira") -> str:
    token, plaintext = APIToken.create_token(user=user, name=name)
    if scope is not None:
        ApiTokenScope.objects.create(token=token, scope=scope)
    return plaintext


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


class Api:
    """A client that sends one token with every request."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.headers = bearer(token) if token else {}

    def get(self, path, **params):
        return self.client.get(API + path, params, **self.headers)

    def send(self, method, path, data=None):
        return getattr(self.client, method)(
            API + path, data, content_type="application/json", **self.headers
        )

    def post(self, path, data=None):
        return self.send("post", path, data)


@pytest.fixture
def product_api(client, product):
    return Api(client, make_token(product, TokenScope.WRITE))


@pytest.fixture
def reader_api(client, product):
    return Api(client, make_token(product, TokenScope.READ))


@pytest.fixture
def shortlist(product):
    return Shortlist.objects.create(name="Running shoes 2027", created_by=product)


def grant(user, codename: str) -> None:
    user.user_permissions.add(Permission.objects.get(codename=codename))


def assert_error(response, status: int) -> str:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert isinstance(detail, str)
    assert detail.endswith((".", "”.")), detail
    return detail


# Authentication -------------------------------------------------------------------


def test_it_refuses_a_request_without_a_token(client, idea):
    response = Api(client, None).get("/ideas")
    assert "Bearer" in assert_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "make_token",
    [
        lambda: "nonsense",
        lambda: "wagtail_" + "a" * 40,
        APIToken.generate_token,  # well formed, never issued
    ],
    ids=["nonsense", "wrong-checksum", "never-issued"],
)
def test_it_refuses_an_unknown_token(client, idea, make_token):
    assert_error(Api(client, make_token()).get("/ideas"), 401)


def test_it_refuses_a_revoked_token(client, product, idea):
    plaintext = make_token(product)
    APIToken.objects.get(user=product).revoke()
    assert_error(Api(client, plaintext).get("/ideas"), 401)


def test_it_refuses_the_token_of_an_inactive_member(client, product, idea):
    plaintext = make_token(product)
    product.is_active = False
    product.save()
    assert_error(Api(client, plaintext).get("/ideas"), 401)


def test_a_session_cookie_does_not_authenticate(client, product, idea):
    client.force_login(product)
    assert_error(Api(client, None).get("/ideas"), 401)
    assert_error(Api(client, "nonsense").get("/ideas"), 401)


def test_it_refuses_a_member_without_the_api_permission(client, alice, idea):
    detail = assert_error(Api(client, make_token(alice)).get("/ideas"), 403)
    assert "may not use the API" in detail


def test_it_records_when_a_token_was_last_used(product_api, product, idea):
    assert product_api.get("/ideas").status_code == 200
    assert APIToken.objects.get(user=product).last_used_at is not None


# Scopes and the owner's permissions -----------------------------------------------


def test_a_read_token_reads_but_does_not_write(reader_api, idea):
    assert reader_api.get(f"/ideas/{idea.pk}").status_code == 200
    response = reader_api.post(
        f"/ideas/{idea.pk}/status", {"status": "under_review", "note": "Looking."}
    )
    assert "write scope" in assert_error(response, 403)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PUBLISHED


def test_a_token_without_a_scope_row_only_reads(client, product, idea):
    api = Api(client, make_token(product, scope=None))
    assert api.get("/ideas").status_code == 200
    assert_error(
        api.post(f"/ideas/{idea.pk}/status", {"status": "declined", "note": "No."}),
        403,
    )


def test_a_write_token_changes_a_status_with_a_note(product_api, product, idea):
    response = product_api.post(
        f"/ideas/{idea.pk}/status",
        {"status": "under_review", "note": "The team is testing it."},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "under_review"
    change = StatusChange.objects.get(idea=idea)
    assert (change.actor, change.note) == (product, "The team is testing it.")


def test_it_promotes_and_ships_through_the_services(product_api, product, idea):
    target = timezone.localdate() + datetime.timedelta(days=30)
    response = product_api.post(
        f"/ideas/{idea.pk}/promotion",
        {
            "ticket_key": "RND-142",
            "ticket_url": "https://jira.example.com/RND-142",
            "owner_id": product.pk,
            "target_date": target.isoformat(),
            "note": "Prototype this spring.",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "in_rnd"
    assert body["promotion"]["ticket_key"] == "RND-142"
    assert body["promotion"]["owner"] == {"id": product.pk, "name": "Petra"}
    response = product_api.post(
        f"/ideas/{idea.pk}/shipping",
        {"product_url": "https://shop.example.com/dry", "note": "In shops now."},
    )
    assert response.status_code == 200, response.content
    promotion = Promotion.objects.get(idea=idea)
    assert promotion.shipped_by == product
    assert promotion.product_url == "https://shop.example.com/dry"
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SHIPPED


def test_it_adds_notes_and_removes_shortlist_entries(product_api, idea, shortlist):
    response = product_api.post(
        f"/shortlists/{shortlist.pk}/ideas",
        {
            "idea_id": idea.pk,
            "note": "Strong demand.",
            "mark_shortlisted": True,
            "status_note": "On our list for 2027.",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["note"] == "Strong demand."
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SHORTLISTED
    response = product_api.send(
        "patch", f"/shortlists/{shortlist.pk}/ideas/{idea.pk}", {"note": "Top pick."}
    )
    assert response.status_code == 200, response.content
    assert ShortlistEntry.objects.get(shortlist=shortlist).note == "Top pick."
    response = product_api.send("delete", f"/shortlists/{shortlist.pk}/ideas/{idea.pk}")
    assert response.status_code == 204
    assert not ShortlistEntry.objects.filter(shortlist=shortlist).exists()
    response = product_api.send("delete", f"/shortlists/{shortlist.pk}/ideas/{idea.pk}")
    assert_error(response, 404)


def test_it_scores_an_idea(product_api, product, idea):
    impact = Criterion.objects.create(name="Impact", weight=2, scale=5)
    effort = Criterion.objects.create(name="Effort", weight=1, scale=5)
    response = product_api.send(
        "put",
        f"/ideas/{idea.pk}/scores",
        [
            {"criterion_id": impact.pk, "value": 5},
            {"criterion_id": effort.pk, "value": 2},
        ],
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"score": 80.0, "scorers_count": 1}
    assert Score.objects.filter(idea=idea, scorer=product).count() == 2
    detail = product_api.get(f"/ideas/{idea.pk}").json()
    assert [c["name"] for c in detail["criteria"]] == ["Impact", "Effort"]
    response = product_api.send(
        "put", f"/ideas/{idea.pk}/scores", [{"criterion_id": impact.pk, "value": 9}]
    )
    assert "from 1 to 5" in assert_error(response, 400)


def test_moderators_do_not_get_the_api_by_default(client, moderator, idea):
    assert_error(Api(client, make_token(moderator)).get("/ideas"), 403)


def test_a_moderator_given_the_api_changes_statuses_but_does_not_promote(
    client, moderator, idea
):
    grant(moderator, "use_api")
    api = Api(client, make_token(moderator))
    response = api.post(
        f"/ideas/{idea.pk}/status", {"status": "declined", "note": "Out of scope."}
    )
    assert response.status_code == 200, response.content
    idea.status = IdeaStatus.PUBLISHED
    idea.save()
    response = api.post(
        f"/ideas/{idea.pk}/promotion",
        {"ticket_key": "RND-1", "owner_id": moderator.pk, "note": "Go."},
    )
    assert "product team" in assert_error(response, 403)
    assert_error(api.get("/shortlists"), 403)


# Errors ---------------------------------------------------------------------------


def test_service_errors_are_json_sentences(product_api, idea):
    response = product_api.post(
        f"/ideas/{idea.pk}/status", {"status": "in_rnd", "note": "Go."}
    )
    assert "Promote into R&D" in assert_error(response, 400)
    response = product_api.post(
        f"/ideas/{idea.pk}/status", {"status": "published", "note": "Again."}
    )
    assert "already" in assert_error(response, 409)


def test_ideas_that_are_not_public_are_not_found(product_api, alice):
    hidden = IdeaFactory(author=alice, status=IdeaStatus.HIDDEN)
    assert "no public idea" in assert_error(product_api.get(f"/ideas/{hidden.pk}"), 404)
    response = product_api.post(
        f"/ideas/{hidden.pk}/status", {"status": "published", "note": "Back."}
    )
    assert_error(response, 404)
    assert_error(product_api.get("/ideas/999999"), 404)


def test_invalid_input_is_a_json_sentence_with_the_fields(product_api, idea):
    response = product_api.post(f"/ideas/{idea.pk}/status", {"status": "declined"})
    detail = assert_error(response, 422)
    assert "note" in detail
    assert response.json()["errors"][0]["loc"][-1] == "note"
    response = product_api.post(
        f"/ideas/{idea.pk}/status", {"status": "declined", "note": "a\x00b"}
    )
    assert_error(response, 422)
    response = product_api.client.post(
        API + f"/ideas/{idea.pk}/status",
        "{not json",
        content_type="application/json",
        **product_api.headers,
    )
    assert response.status_code in (400, 422)
    assert isinstance(response.json()["detail"], str)


def test_it_limits_the_rate_per_token(settings, product_api, idea):
    settings.COCREATE_RATE_LIMITS = {
        **settings.COCREATE_RATE_LIMITS,
        "api": "2/60",
        "api_write": "1/60",
    }
    assert product_api.get("/ideas").status_code == 200
    response = product_api.post(
        f"/ideas/{idea.pk}/status", {"status": "declined", "note": "No."}
    )
    assert response.status_code == 200
    response = product_api.get("/ideas")
    assert "wait" in assert_error(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60


def test_writes_have_their_own_rate_limit(settings, product_api, idea):
    settings.COCREATE_RATE_LIMITS = {
        **settings.COCREATE_RATE_LIMITS,
        "api_write": "1/60",
    }
    note = {"status": "declined", "note": "No."}
    assert product_api.post(f"/ideas/{idea.pk}/status", note).status_code == 200
    response = product_api.post(
        f"/ideas/{idea.pk}/status", {"status": "published", "note": "Yes."}
    )
    assert_error(response, 429)
    assert product_api.get("/ideas").status_code == 200


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
    expected = [i.pk for i in filtered_ideas(IdeaFilters(sort=sort))]
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


# Tokens in the back office --------------------------------------------------------


def test_a_product_member_creates_a_token_shown_once(product_client, product, idea):
    response = product_client.post(
        reverse("api_tokens:add"), {"name": "Jira sync", "scope": "write"}
    )
    assert response.status_code == 200
    token = APIToken.objects.get(user=product)
    html = response.content.decode()
    start = html.index('id="api-token-value"')
    plaintext = html[start:].split('value="', 1)[1].split('"', 1)[0]
    assert plaintext.startswith(token.prefix)
    assert "no-store" in response["Cache-Control"]
    # Only a keyed hash is stored, never the token itself.
    assert token.key_hash == APIToken.hash_token(plaintext)
    stored = [
        str(v) for v in APIToken.objects.filter(pk=token.pk).values().get().values()
    ]
    assert plaintext not in stored
    assert token.cocreate_scope.scope == TokenScope.WRITE
    entry = ModelLogEntry.objects.get(action="wagtail.apitoken.create")
    assert (entry.object_id, entry.user, entry.data) == (
        str(token.pk),
        product,
        {"scope": "write"},
    )
    # The list never shows it again.
    listing = product_client.get(reverse("api_tokens:index")).content.decode()
    assert "Jira sync" in listing
    assert plaintext not in listing
    # And it works, with the write scope.
    api = Api(product_client, plaintext)
    response = api.post(
        f"/ideas/{idea.pk}/status", {"status": "declined", "note": "No."}
    )
    assert response.status_code == 200


def test_a_token_is_read_only_unless_chosen_otherwise(product_client, product):
    form = product_client.get(reverse("api_tokens:add")).content.decode()
    assert 'value="read"' in form
    product_client.post(reverse("api_tokens:add"), {"name": "BI", "scope": "read"})
    assert APIToken.objects.get(user=product).cocreate_scope.scope == TokenScope.READ
    response = product_client.post(reverse("api_tokens:add"), {"name": "X"})
    assert response.status_code == 200
    assert APIToken.objects.filter(user=product).count() == 1  # form error shown


def test_revoking_a_token_stops_it(product_client, product, idea):
    plaintext = make_token(product)
    token = APIToken.objects.get(user=product)
    response = product_client.post(reverse("api_tokens:delete", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ModelLogEntry.objects.filter(
        action="wagtail.apitoken.revoke", object_id=str(token.pk), user=product
    ).exists()
    assert_error(Api(product_client, plaintext).get("/ideas"), 401)


def test_a_member_cannot_see_or_revoke_another_members_token(product_client, product):
    colleague = UserFactory(display_name="Paul")
    colleague.groups.add(Group.objects.get(name="Product team"))
    make_token(colleague, name="Paul token")
    token = APIToken.objects.get(user=colleague)
    listing = product_client.get(reverse("api_tokens:index")).content.decode()
    assert "Paul token" not in listing
    assert (
        product_client.get(reverse("api_tokens:edit", args=[token.pk])).status_code
        == 404
    )
    response = product_client.post(reverse("api_tokens:delete", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_members_without_the_api_permission_get_no_token_pages(
    client, moderator, product
):
    make_token(product)
    token = APIToken.objects.get(user=product)
    client.force_login(moderator)
    for url in [
        reverse("api_tokens:index"),
        reverse("api_tokens:edit", args=[token.pk]),
        reverse("api_tokens:delete", args=[token.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("wagtailadmin_home")
    client.post(reverse("api_tokens:delete", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is None
    response = client.post(reverse("api_tokens:add"), {"name": "X", "scope": "write"})
    assert response.status_code == 302
    assert not APIToken.objects.filter(user=moderator).exists()


def test_superusers_see_and_revoke_everyones_tokens(client, product):
    make_token(product, name="Petra token")
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert "Petra token" in client.get(reverse("api_tokens:index")).content.decode()
    token = APIToken.objects.get(user=product)
    client.post(reverse("api_tokens:delete", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_account_page_links_to_the_tokens(product_client):
    html = product_client.get(reverse("wagtailadmin_account")).content.decode()
    assert reverse("api_tokens:index") in html
