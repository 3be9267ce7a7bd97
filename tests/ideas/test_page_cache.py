"""The page cache: visitors' pages served without their queries, forgotten at
once by the events that change them, never shown to anyone who may not see them,
with the visitor's own CSRF token and CSP nonce."""

from __future__ import annotations

import re
import threading
import time

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from wagtail.models import PageViewRestriction

from cocreate import outages
from cocreate.settings import redis_cache, redis_channel_layer
from ideas import discussion, page_cache, posting, workflow
from ideas.moderation import services as moderation
from tests.factories import CommentFactory, IdeaFactory
from tests.ideas.private.conftest import restrict

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings, private_redis):
    settings.COCREATE_PAGE_CACHE_SECONDS = 30


@pytest.fixture
def pages(campaign, idea):
    return {
        "home": "/",
        "list": "/ideas/",
        "list sorted": "/ideas/?sort=new",
        "campaign": campaign.url,
        "idea": idea.get_absolute_url(),
    }


def visit(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("page", ["home", "list", "list sorted", "campaign", "idea"])
def test_a_second_visit_is_served_without_a_query(
    client, pages, page, django_assert_num_queries
):
    first = visit(client, pages[page])
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        again = visit(Client(), pages[page])
    assert again["X-Cache"] == "hit"
    assert again.content.decode().count("<html") == 1
    # What the middleware adds is there on a hit as on a miss.
    for header in ("Content-Language", "Content-Security-Policy", "X-Frame-Options"):
        assert again[header] == first[header] or header == "Content-Security-Policy"
    assert "nonce-" in again["Content-Security-Policy"]


def test_the_query_order_does_not_matter_but_its_values_do(client, idea):
    visit(client, "/ideas/?sort=new&status=published")
    assert visit(client, "/ideas/?status=published&sort=new")["X-Cache"] == "hit"
    assert visit(client, "/ideas/?sort=top&status=published")["X-Cache"] == "miss"


def test_a_hit_carries_the_visitors_own_nonce(client, pages):
    visit(client, pages["home"])
    response = visit(Client(), pages["home"])
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
    body = response.content.decode()
    assert f'nonce="{nonce}"' in body
    assert "page-cache" not in body


def test_a_token_from_a_cached_page_passes_the_csrf_check(client, pages):
    first = visit(client, pages["list"])
    visitor = Client(enforce_csrf_checks=True)
    response = visit(visitor, pages["list"])
    assert response["X-Cache"] == "hit"
    token = TOKEN.search(response.content.decode())[1]
    assert token not in first.content.decode()  # not the first visitor's
    assert "csrftoken" in response.cookies  # the hit sets the visitor's cookie

    posted = visitor.post(
        "/i18n/setlang/",
        {"language": "fr", "next": "/ideas/", "csrfmiddlewaretoken": token},
    )
    assert posted.status_code == 302
    # Without the token the same post is refused: the check is on.
    refused = Client(enforce_csrf_checks=True)
    refused.cookies = visitor.cookies
    assert refused.post("/i18n/setlang/", {"language": "fr"}).status_code == 403


def test_each_language_has_its_own_page(client, pages):
    english = visit(client, pages["list"])
    french = visit(Client(), pages["list"], headers={"accept-language": "fr"})
    assert french["X-Cache"] == "miss"
    assert french["Content-Language"] == "fr"
    assert english["Content-Language"] == "en"
    again = visit(Client(), pages["list"], headers={"accept-language": "fr"})
    assert again["X-Cache"] == "hit"
    assert again["Content-Language"] == "fr"


def test_members_never_read_nor_fill_it(client, alice, pages):
    visit(client, pages["list"])
    client.force_login(alice)
    response = visit(client, pages["list"])
    assert "X-Cache" not in response
    assert "data-member" in response.content.decode()
    other = Client()
    assert "data-member" not in visit(other, pages["idea"]).content.decode()


def test_a_visitor_with_a_session_renders_the_page(client, pages):
    visit(client, pages["list"])
    with_session = Client()
    with_session.cookies["sessionid"] = "whatever"
    assert "X-Cache" not in visit(with_session, pages["list"])


def test_a_new_idea_shows_at_once(client, pages, bob, campaign):
    for url in (pages["home"], pages["list"], pages["campaign"]):
        visit(client, url)
    posting.create_idea(
        author=bob,
        title="Laces that never undo",
        description="Grip.",
        campaign=campaign,
    )
    for url in (pages["home"], pages["list"], pages["campaign"]):
        response = visit(client, url)
        assert "Laces that never undo" in response.content.decode(), url


def test_an_edit_shows_at_once(client, pages, idea, alice):
    visit(client, pages["idea"])
    visit(client, pages["list"])
    posting.edit_idea(
        editor=alice, idea=idea, title="Shoes that dry in an hour", description="Yes."
    )
    assert "Shoes that dry in an hour" in visit(client, pages["idea"]).content.decode()
    assert "Shoes that dry in an hour" in visit(client, pages["list"]).content.decode()


def test_a_hidden_idea_leaves_every_page_at_once(client, pages, idea, moderator):
    for url in (pages["home"], pages["list"]):
        assert idea.title in visit(client, url).content.decode()
    visit(client, pages["idea"])
    moderation.hide(actor=moderator, content=idea, reason="Spam")
    for url in (pages["home"], pages["list"]):
        assert idea.title not in visit(client, url).content.decode(), url
    assert client.get(pages["idea"]).status_code == 404


def test_a_status_change_shows_at_once(client, pages, idea, product):
    visit(client, pages["idea"])
    visit(client, "/ideas/?status=shortlisted")
    workflow.change_status(
        actor=product, idea=idea, new_status="shortlisted", note="Nice work."
    )
    assert "Nice work." in visit(client, pages["idea"]).content.decode()
    listed = visit(client, "/ideas/?status=shortlisted").content.decode()
    assert idea.title in listed


def test_comments_and_official_answers_show_at_once(client, pages, idea, bob, product):
    visit(client, pages["idea"])
    discussion.post_comment(author=bob, idea=idea, body="Love the mesh.")
    assert "Love the mesh." in visit(client, pages["idea"]).content.decode()
    discussion.post_official_answer(author=product, idea=idea, body="We test it.")
    assert "We test it." in visit(client, pages["idea"]).content.decode()


def test_a_removed_comment_leaves_at_once(client, pages, idea, bob):
    comment = discussion.post_comment(author=bob, idea=idea, body="Buy my shoes.")
    assert "Buy my shoes." in visit(client, pages["idea"]).content.decode()
    discussion.remove_comment(actor=bob, comment=comment)
    assert "Buy my shoes." not in visit(client, pages["idea"]).content.decode()


def test_a_comment_forgets_its_idea_only(client, pages, idea):
    other = IdeaFactory(title="Socks that stay up")
    visit(client, pages["idea"])
    visit(client, pages["list"])
    visit(client, other.get_absolute_url())
    CommentFactory(idea=idea, body="Nice.")
    assert visit(client, pages["idea"])["X-Cache"] == "miss"
    assert visit(client, pages["list"])["X-Cache"] == "hit"
    assert visit(client, other.get_absolute_url())["X-Cache"] == "hit"


def test_a_published_page_shows_at_once(client, pages, home_page, campaign):
    visit(client, pages["home"])
    visit(client, pages["idea"])
    home_page.hero_title = "Build the next shoe with us"
    home_page.save_revision().publish()
    assert "Build the next shoe with us" in visit(client, "/").content.decode()
    assert visit(client, pages["idea"])["X-Cache"] == "miss"


def test_private_campaigns_never_reach_visitors(
    client, make_campaign, alice, django_user_model
):
    from django.contrib.auth.models import Group

    panel = Group.objects.create(name="Panel")
    private = make_campaign(title="Panel: prototype boots")
    restrict(private, PageViewRestriction.GROUPS, groups=[panel])
    secret = IdeaFactory(author=alice, campaign=private, title="Heated soles")
    alice.groups.add(panel)

    member = Client()
    member.force_login(alice)
    for url in ("/ideas/", "/", private.url, secret.get_absolute_url()):
        member.get(url)  # the panelist sees it all first: nothing is kept
    for language in ("en", "fr"):
        visitor = Client(headers={"accept-language": language})
        for url in ("/ideas/", "/"):
            assert "Heated soles" not in visit(visitor, url).content.decode()
        for _ in range(2):
            assert visitor.get(private.url).status_code in (302, 404)
            assert visitor.get(secret.get_absolute_url()).status_code in (302, 404)


def test_a_campaign_made_private_leaves_at_once(client, campaign, alice):
    IdeaFactory(author=alice, campaign=campaign, title="Heated soles")
    assert "Heated soles" in visit(client, "/ideas/").content.decode()
    visit(client, campaign.url)
    restrict(campaign, PageViewRestriction.LOGIN)
    assert "Heated soles" not in visit(client, "/ideas/").content.decode()
    assert client.get(campaign.url).status_code == 302


def test_a_password_campaign_is_never_kept(client, make_campaign):
    secret = make_campaign(title="Secret: the 2030 range")
    restrict(secret, PageViewRestriction.PASSWORD, password="boots")
    for _ in range(2):
        response = visit(client, secret.url)
        assert "X-Cache" not in response


def test_a_page_with_a_message_is_not_kept(client, idea, rf):
    from django.contrib.messages.storage.session import SessionStorage

    request = rf.get("/")
    request.session = {}
    storage = SessionStorage(request)
    storage.add(20, "Hello")
    request._messages = storage
    assert page_cache._wrote_something(request)


def test_a_forgotten_generation_is_a_miss(client, pages):
    visit(client, pages["list"])
    cache.delete(page_cache.GENERATION_KEY.format(page_cache.LISTS))
    assert visit(client, pages["list"])["X-Cache"] == "miss"
    assert visit(client, pages["list"])["X-Cache"] == "hit"


def test_with_redis_down_pages_render(pages):
    dead = "redis://127.0.0.1:6/0"
    with override_settings(
        REDIS_URL=dead,
        CACHES={"default": redis_cache(dead, timeout=0.2)},
        CHANNEL_LAYERS={"default": redis_channel_layer(dead, timeout=0.2)},
    ):
        for url in pages.values():
            for _ in range(2):
                response = Client().get(url)
                assert response.status_code == 200, url
                assert "X-Cache" not in response
    for outage in (outages.cache_outage, outages.channel_layer_outage):
        outage.down = False


def test_an_htmx_fragment_is_kept_apart(client, pages):
    full = visit(client, pages["list"])
    fragment = visit(client, pages["list"], headers={"hx-request": "true"})
    assert fragment["X-Cache"] == "miss"
    assert "<html" in full.content.decode()
    assert "<html" not in fragment.content.decode()
    again = visit(client, pages["list"], headers={"hx-request": "true"})
    assert again["X-Cache"] == "hit"
    assert "<html" not in again.content.decode()


def test_a_saved_draft_forgets_nothing(client, pages, home_page):
    visit(client, pages["home"])
    home_page.hero_title = "Not yet"
    home_page.save_revision()
    response = visit(client, pages["home"])
    assert response["X-Cache"] == "hit"
    assert "Not yet" not in response.content.decode()


# A crowd on a missing page -------------------------------------------------------


def test_a_request_waits_for_the_page_another_one_is_rendering():
    key = "page-cache:page:v1:test-crowd"
    cache.set(page_cache.RENDER_KEY.format(key), 1)
    timer = threading.Timer(0.05, cache.set, (key, {"body": b"kept", "headers": []}))
    timer.start()
    try:
        assert page_cache._wait_for(key) == {"body": b"kept", "headers": []}
    finally:
        timer.join()


def test_a_render_that_keeps_nothing_lets_the_waiting_go_at_once():
    key = "page-cache:page:v1:test-nothing"
    cache.set(page_cache.RENDER_KEY.format(key), 1)
    timer = threading.Timer(0.05, cache.delete, (page_cache.RENDER_KEY.format(key),))
    timer.start()
    started = time.monotonic()
    try:
        assert page_cache._wait_for(key) is None
    finally:
        timer.join()
    assert time.monotonic() - started < page_cache.RENDER_WAIT / 2


def test_a_request_whose_page_is_being_rendered_elsewhere_still_gets_it(
    client, pages, monkeypatch
):
    monkeypatch.setattr(page_cache, "RENDER_WAIT", 0.05)
    monkeypatch.setattr(page_cache, "_render_turn", lambda key: False)

    response = visit(client, pages["list"])  # the other render never came

    assert response["X-Cache"] == "miss"
    assert visit(Client(), pages["list"])["X-Cache"] == "hit"


def test_the_render_turn_is_given_back_once_the_page_is_kept(
    client, pages, monkeypatch
):
    taken = []
    turn = page_cache._render_turn
    monkeypatch.setattr(
        page_cache, "_render_turn", lambda key: taken.append(key) or turn(key)
    )

    visit(client, pages["idea"])

    assert len(taken) == 1
    assert cache.get(page_cache.RENDER_KEY.format(taken[0])) is None
