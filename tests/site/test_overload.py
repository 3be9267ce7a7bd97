"""A saturated server refuses writes at once (503, Retry-After, in words) rather
than queueing them; a refused write changes nothing and costs no query: the guard
is a middleware in front of the session's (cocreate.overload)."""

from __future__ import annotations

import threading
import time

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from cocreate import overload
from ideas.models import Follow, Support
from tests.factories import IdeaFactory

BUSY = "So many people are taking part right now"
BUSY_FR = "Tant de personnes participent en ce moment"
#: A guarded route, resolved from the path alone (no database needed).
SUPPORT = "/ideas/1/support/"


@pytest.fixture
def all_slots_taken(settings):
    """Every write slot of this process is held, as by slow writes in flight."""
    settings.COCREATE_WRITE_CONCURRENCY = 2
    settings.COCREATE_WRITE_WAIT_MS = 10
    slots = overload._semaphore(2)
    assert slots.acquire(blocking=False) and slots.acquire(blocking=False)
    yield
    slots.release()
    slots.release()


@pytest.mark.django_db
def test_a_support_on_a_saturated_server_is_refused_in_place_of_the_buttons_error(
    client, alice, bob, all_slots_taken
):
    idea = IdeaFactory(author=alice)
    client.force_login(bob)

    response = client.post(
        f"/ideas/{idea.pk}/support/", {"action": "support"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 503
    assert response["Retry-After"] == str(overload.RETRY_AFTER)
    assert response["HX-Retarget"] == "#support-error"
    assert response["HX-Reswap"] == "outerHTML"
    body = response.content.decode()
    assert body.startswith('<p class="error" role="alert" id="support-error">')
    assert BUSY in body and "Nothing was changed" in body
    assert not Support.objects.filter(idea=idea).exists()
    idea.refresh_from_db()
    assert idea.supports_count == 0


@pytest.mark.django_db
def test_a_support_without_javascript_gets_a_page_that_says_so(
    client, alice, bob, all_slots_taken
):
    idea = IdeaFactory(author=alice)
    client.force_login(bob)

    response = client.post(f"/ideas/{idea.pk}/support/", {"action": "support"})

    assert response.status_code == 503
    assert response["Retry-After"] == str(overload.RETRY_AFTER)
    page = response.content.decode()
    assert "<!DOCTYPE html>" in page and "The site is very busy" in page
    assert BUSY in page
    assert not Support.objects.filter(idea=idea).exists()


@pytest.mark.django_db
def test_the_support_button_has_the_slot_the_refusal_replaces(client, alice, bob):
    idea = IdeaFactory(author=alice)
    client.force_login(bob)

    response = client.post(
        f"/ideas/{idea.pk}/support/", {"action": "support"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    slot = '<p class="error" id="support-error" hidden></p>'
    assert slot in response.content.decode()
    assert Support.objects.filter(idea=idea, member=bob).exists()


@pytest.mark.django_db
def test_a_follow_on_a_saturated_server_is_refused_in_words(
    client, alice, bob, all_slots_taken
):
    idea = IdeaFactory(author=alice)
    client.force_login(bob)

    response = client.post(
        f"/ideas/{idea.pk}/follow/", {"action": "follow"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    assert BUSY in response.content.decode()
    assert not Follow.objects.filter(idea=idea).exists()


@pytest.mark.django_db
def test_a_refusal_touches_neither_the_session_nor_the_database(
    client, alice, bob, all_slots_taken, monkeypatch, django_assert_num_queries
):
    idea = IdeaFactory(author=alice)
    client.force_login(bob)

    def no_session(self, request):
        raise AssertionError("the session was loaded for a refused write")

    monkeypatch.setattr(SessionMiddleware, "process_request", no_session)
    with django_assert_num_queries(0):
        support = client.post(
            f"/ideas/{idea.pk}/support/", {"action": "support"}, HTTP_HX_REQUEST="true"
        )
        withdraw = client.post(f"/ideas/{idea.pk}/support/", {"action": "withdraw"})
        follow = client.post(f"/ideas/{idea.pk}/follow/", {"action": "follow"})

    assert [support.status_code, withdraw.status_code, follow.status_code] == [503] * 3
    assert "Set-Cookie" not in support.headers and not support.cookies


@pytest.mark.django_db
def test_the_refusal_speaks_the_language_of_the_cookie(
    client, alice, bob, all_slots_taken, settings
):
    idea = IdeaFactory(author=alice)
    client.force_login(bob)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = client.post(
        f"/ideas/{idea.pk}/support/", {"action": "support"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 503
    assert response["Content-Language"] == "fr"
    assert BUSY_FR in response.content.decode()


@pytest.mark.django_db
def test_the_refusal_page_speaks_the_language_the_browser_asks_for(
    client, alice, bob, all_slots_taken
):
    idea = IdeaFactory(author=alice)
    client.force_login(bob)

    response = client.post(
        f"/ideas/{idea.pk}/follow/",
        {"action": "follow"},
        HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5",
    )

    assert response.status_code == 503
    page = response.content.decode()
    assert '<html lang="fr">' in page and "Le site est très sollicité" in page
    assert BUSY_FR in page
    assert not Follow.objects.filter(idea=idea).exists()


@pytest.mark.django_db
def test_other_writes_pass_while_the_guarded_ones_are_refused(
    client, alice, bob, all_slots_taken
):
    idea = IdeaFactory(author=alice)
    client.force_login(bob)

    response = client.post(
        f"/ideas/{idea.pk}/comments/new/",
        {"body": "A thought."},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code != 503


def test_only_the_marked_views_are_guarded():
    assert overload.guarded_slot("/ideas/7/support/") == "support-error"
    assert overload.guarded_slot("/ideas/7/follow/") == ""
    assert overload.guarded_slot("/ideas/7/comments/new/") is None
    assert overload.guarded_slot("/ideas/") is None


@pytest.mark.django_db
def test_a_write_that_waited_too_long_behind_the_proxy_is_refused(
    client, alice, bob, settings
):
    settings.COCREATE_WRITE_QUEUE_MAX_MS = 500
    idea = IdeaFactory(author=alice)
    client.force_login(bob)

    response = client.post(
        f"/ideas/{idea.pk}/support/",
        {"action": "support"},
        HTTP_X_REQUEST_START=f"t={time.time() - 2:.3f}",
    )

    assert response.status_code == 503
    assert not Support.objects.filter(idea=idea).exists()


@pytest.mark.django_db
def test_a_write_fresh_from_the_proxy_goes_through(client, alice, bob, settings):
    settings.COCREATE_WRITE_QUEUE_MAX_MS = 500
    idea = IdeaFactory(author=alice)
    client.force_login(bob)

    response = client.post(
        f"/ideas/{idea.pk}/support/",
        {"action": "support"},
        HTTP_X_REQUEST_START=f"t={int(time.time() * 1_000_000)}",
    )

    assert response.status_code == 302
    assert Support.objects.filter(idea=idea, member=bob).exists()


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("t=1700000000.250", 1700000000.25),
        ("1700000000250", 1700000000.25),
        ("t=1700000000250000", 1700000000.25),
        ("", None),
        ("t=soon", None),
        ("t=-5", None),
    ],
)
def test_it_reads_the_proxys_request_start(header, seconds):
    request = RequestFactory().post("/", HTTP_X_REQUEST_START=header)

    assert overload.request_started(request) == seconds


def test_the_bound_holds_under_concurrent_writes(settings):
    """Eight writes at once against two slots: never more than two run together,
    and those that find no slot in time are refused, not queued."""
    settings.COCREATE_WRITE_CONCURRENCY = 2
    settings.COCREATE_WRITE_WAIT_MS = 20
    running = 0
    most = 0
    lock = threading.Lock()
    release = threading.Event()

    def slow_write(request):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        release.wait(timeout=5)
        with lock:
            running -= 1
        return HttpResponse("ok")

    guard = overload.WriteGuardMiddleware(slow_write)
    barrier = threading.Barrier(8)
    statuses = []

    def one():
        barrier.wait()
        statuses.append(guard(RequestFactory().post(SUPPORT)).status_code)

    threads = [threading.Thread(target=one) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # the refused have long had their answer
    refused_while_busy = statuses.count(503)
    release.set()
    for thread in threads:
        thread.join(timeout=5)

    assert most == 2
    assert refused_while_busy == 6
    assert sorted(statuses) == [200, 200] + [503] * 6
    # The slots are given back: the next write goes through.
    assert guard(RequestFactory().post(SUPPORT)).status_code == 200


def test_reads_pass_whatever_the_load(settings, all_slots_taken_no_db):
    guard = overload.WriteGuardMiddleware(lambda request: HttpResponse("ok"))

    assert guard(RequestFactory().get(SUPPORT)).status_code == 200
    assert guard(RequestFactory().post(SUPPORT)).status_code == 503


def test_the_guard_comes_before_the_session(settings):
    order = settings.MIDDLEWARE
    guard = order.index("cocreate.overload.WriteGuardMiddleware")
    assert guard < order.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert order.index("django.middleware.security.SecurityMiddleware") < guard


@pytest.fixture
def all_slots_taken_no_db(settings):
    settings.COCREATE_WRITE_CONCURRENCY = 1
    settings.COCREATE_WRITE_WAIT_MS = 0
    slots = overload._semaphore(1)
    assert slots.acquire(blocking=False)
    yield
    slots.release()
