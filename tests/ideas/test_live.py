"""Live updates over WebSockets: counts reach open pages once a change commits.

pytest-asyncio is not needed: each test is a plain function that runs one
coroutine with ``async_to_sync``; the services run through ``sync_to_async`` in
the test's own thread, so they see its database transaction.
"""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from cocreate.asgi import application
from ideas import consumers, discussion, voting
from ideas.consumers import IdeaUpdatesConsumer
from ideas.models import IdeaStatus
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db

ORIGIN = (b"origin", b"http://testserver")
TIMEOUT = 3


def socket(path: str, *, origin=ORIGIN, cookie: str = "") -> WebsocketCommunicator:
    headers = [origin] if origin else []
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, path, headers=headers)


def handshake(path: str, **kwargs) -> tuple[bool, int | None]:
    """Open a socket and close it again: what its handshake answered."""

    async def scenario():
        page = socket(path, **kwargs)
        result = await page.connect()
        await page.disconnect()
        return result

    return async_to_sync(scenario)()


def session_cookie(user) -> str:
    """A logged-in session, as the browser of ``user`` would send it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """Consumers close stale connections before each message; in a test that
    would close the connection holding the test's transaction. Channels' own
    communicator patches this while it awaits; group messages arrive between."""
    monkeypatch.setattr("channels.db.close_old_connections", lambda: None)


@pytest.fixture(autouse=True)
def _short_list_interval(monkeypatch):
    """List pages merge changes for 1.5 s; tests need not wait that long."""
    monkeypatch.setattr(IdeaUpdatesConsumer, "list_interval", 0.2)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run an action and its on-commit callbacks, as a real commit would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return sync_to_async(run)


def test_a_support_reaches_the_idea_page(idea, bob, committed):
    async def scenario():
        page = socket(f"/ws/ideas/{idea.pk}/")
        connected, _ = await page.connect()
        assert connected

        await committed(lambda: voting.support(member=bob, idea=idea))

        message = await page.receive_json_from(timeout=TIMEOUT)
        await page.disconnect()
        return message

    message = async_to_sync(scenario)()

    assert message == {
        "type": "idea.update",
        "kind": "support",
        "idea": idea.pk,
        "supports": 1,
        "comments": 0,
    }


def test_a_withdrawal_reaches_the_idea_page(idea, bob, committed):
    voting.support(member=bob, idea=idea)

    async def scenario():
        page = socket(f"/ws/ideas/{idea.pk}/")
        await page.connect()
        await committed(lambda: voting.withdraw_support(member=bob, idea=idea))
        message = await page.receive_json_from(timeout=TIMEOUT)
        await page.disconnect()
        return message

    message = async_to_sync(scenario)()

    assert (message["kind"], message["supports"]) == ("support", 0)


def test_a_comment_reaches_the_idea_page_and_the_lists(idea, bob, committed):
    async def scenario():
        page = socket(f"/ws/ideas/{idea.pk}/")
        listing = socket("/ws/ideas/")
        assert (await page.connect())[0]
        assert (await listing.connect())[0]

        await committed(
            lambda: discussion.post_comment(author=bob, idea=idea, body="Yes!")
        )

        messages = (
            await page.receive_json_from(timeout=TIMEOUT),
            await listing.receive_json_from(timeout=TIMEOUT),
        )
        await page.disconnect()
        await listing.disconnect()
        return messages

    on_page, on_list = async_to_sync(scenario)()

    assert on_page == {
        "type": "idea.update",
        "kind": "comment",
        "idea": idea.pk,
        "supports": 0,
        "comments": 1,
    }
    assert on_list == {
        "type": "ideas.update",
        "ideas": [{"idea": idea.pk, "supports": 0, "comments": 1}],
    }


def test_the_list_socket_hears_supports_of_every_idea(alice, bob, committed):
    first, second = IdeaFactory.create_batch(2, author=alice)

    async def scenario():
        listing = socket("/ws/ideas/")
        assert (await listing.connect())[0]
        await committed(lambda: voting.support(member=bob, idea=first))
        await committed(lambda: voting.support(member=bob, idea=second))
        received = []
        while sum(len(m["ideas"]) for m in received) < 2:
            received.append(await listing.receive_json_from(timeout=TIMEOUT))
        await listing.disconnect()
        return received

    messages = async_to_sync(scenario)()

    counts = [(c["idea"], c["supports"]) for m in messages for c in m["ideas"]]
    assert counts == [(first.pk, 1), (second.pk, 1)]


def test_the_idea_page_hears_every_support_at_once(idea, bob, charlie, committed):
    async def scenario():
        page = socket(f"/ws/ideas/{idea.pk}/")
        assert (await page.connect())[0]
        await committed(lambda: voting.support(member=bob, idea=idea))
        first = await page.receive_json_from(timeout=TIMEOUT)
        await committed(lambda: voting.support(member=charlie, idea=idea))
        second = await page.receive_json_from(timeout=TIMEOUT)
        await page.disconnect()
        return first, second

    first, second = async_to_sync(scenario)()

    assert (first["supports"], second["supports"]) == (1, 2)


def test_a_list_page_gets_one_message_for_a_burst_of_supports(
    alice, bob, charlie, committed, monkeypatch
):
    monkeypatch.setattr(IdeaUpdatesConsumer, "list_interval", 1.0)
    first, second = IdeaFactory.create_batch(2, author=alice)

    async def scenario():
        listing = socket("/ws/ideas/")
        assert (await listing.connect())[0]
        await committed(lambda: voting.support(member=bob, idea=first))
        await committed(lambda: voting.support(member=bob, idea=second))
        await committed(lambda: voting.support(member=charlie, idea=first))
        batch = await listing.receive_json_from(timeout=TIMEOUT)
        nothing_more = await listing.receive_nothing(timeout=1.2)
        await listing.disconnect()
        return batch, nothing_more

    batch, nothing_more = async_to_sync(scenario)()

    assert batch == {
        "type": "ideas.update",
        "ideas": [
            {"idea": first.pk, "supports": 2, "comments": 0},
            {"idea": second.pk, "supports": 1, "comments": 0},
        ],
    }
    assert nothing_more is True


def test_a_list_page_hears_the_next_burst_in_a_new_message(alice, bob, committed):
    first, second = IdeaFactory.create_batch(2, author=alice)

    async def scenario():
        listing = socket("/ws/ideas/")
        assert (await listing.connect())[0]
        await committed(lambda: voting.support(member=bob, idea=first))
        one = await listing.receive_json_from(timeout=TIMEOUT)
        await committed(lambda: voting.support(member=bob, idea=second))
        two = await listing.receive_json_from(timeout=TIMEOUT)
        await listing.disconnect()
        return one, two

    one, two = async_to_sync(scenario)()

    assert [c["idea"] for c in one["ideas"]] == [first.pk]
    assert [c["idea"] for c in two["ideas"]] == [second.pk]


def test_a_list_page_closed_before_its_batch_is_sent_is_left_alone(
    idea, bob, committed
):
    async def scenario():
        listing = socket("/ws/ideas/")
        assert (await listing.connect())[0]
        await committed(lambda: voting.support(member=bob, idea=idea))
        await listing.disconnect()  # the pending batch is dropped, not sent
        return await listing.receive_nothing(timeout=0.4)

    assert async_to_sync(scenario)() is True


def test_nothing_is_sent_before_the_change_commits(idea, bob):
    """The test transaction never commits, so the broadcast never runs."""

    async def scenario():
        page = socket(f"/ws/ideas/{idea.pk}/")
        await page.connect()
        await sync_to_async(voting.support)(member=bob, idea=idea)
        nothing = await page.receive_nothing(timeout=0.3)
        await page.disconnect()
        return nothing

    assert async_to_sync(scenario)() is True


def test_an_idea_page_of_another_idea_hears_nothing(alice, bob, committed):
    watched, other = IdeaFactory.create_batch(2, author=alice)

    async def scenario():
        page = socket(f"/ws/ideas/{watched.pk}/")
        await page.connect()
        await committed(lambda: voting.support(member=bob, idea=other))
        nothing = await page.receive_nothing(timeout=0.3)
        await page.disconnect()
        return nothing

    assert async_to_sync(scenario)() is True


def test_messages_from_clients_are_ignored(idea):
    async def scenario():
        page = socket(f"/ws/ideas/{idea.pk}/")
        await page.connect()
        await page.send_json_to({"type": "idea.update", "supports": 1000})
        nothing = await page.receive_nothing(timeout=0.3)
        await page.disconnect()
        return nothing

    assert async_to_sync(scenario)() is True


@pytest.mark.parametrize(
    "origin",
    [(b"origin", b"http://evil.test"), (b"origin", b"https://testserver.evil.test")],
)
def test_a_foreign_origin_is_rejected(idea, origin):
    assert handshake(f"/ws/ideas/{idea.pk}/", origin=origin)[0] is False


def test_a_pending_idea_socket_is_closed_for_anonymous_visitors(alice):
    pending = IdeaFactory(author=alice, status=IdeaStatus.PENDING)

    assert handshake(f"/ws/ideas/{pending.pk}/") == (False, 4404)


def test_a_pending_idea_socket_opens_for_its_author(alice):
    pending = IdeaFactory(author=alice, status=IdeaStatus.PENDING)
    cookie = session_cookie(alice)

    assert handshake(f"/ws/ideas/{pending.pk}/", cookie=cookie)[0] is True


def test_an_unknown_idea_socket_is_closed(db):
    assert handshake("/ws/ideas/999999/") == (False, 4404)


def test_a_broadcast_reaches_both_groups_in_one_trip_to_the_layer(idea, monkeypatch):
    from ideas import live

    trips, sent = [], []

    class Layer:
        async def group_send(self, group, message):
            sent.append((group, message["supports"]))

    def counting(function):
        trips.append(function)
        return async_to_sync(function)

    monkeypatch.setattr(live, "get_channel_layer", lambda: Layer())
    monkeypatch.setattr(live, "async_to_sync", counting)

    live.broadcast_counts(idea.pk, kind="support", supports=3, comments=0)

    assert len(trips) == 1
    assert sorted(sent) == [(f"idea.{idea.pk}", 3), ("ideas", 3)]


def test_a_broken_channel_layer_never_breaks_a_support(idea, bob, monkeypatch):
    from ideas import live

    class Broken:
        async def group_send(self, *args, **kwargs):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(live, "get_channel_layer", lambda: Broken())

    live.broadcast_counts(idea.pk, kind="support")  # logs, does not raise

    support = voting.support(member=bob, idea=idea)
    assert support.pk


def sync_answers(path: str, *frames, cookie: str = "", expect: int = 1) -> list:
    """Open a socket, send the frames (dicts as JSON, strings as they are) and
    collect ``expect`` answers; then check nothing more comes."""

    async def scenario():
        page = socket(path, cookie=cookie)
        assert (await page.connect())[0]
        for frame in frames:
            if isinstance(frame, str):
                await page.send_to(text_data=frame)
            else:
                await page.send_json_to(frame)
        answers = [await page.receive_json_from(timeout=TIMEOUT) for _ in range(expect)]
        nothing_more = await page.receive_nothing(timeout=0.3)
        await page.disconnect()
        assert nothing_more, "the socket answered more than it was asked"
        return answers

    return async_to_sync(scenario)()


def test_an_idea_page_resyncs_the_counts_it_missed(idea, bob, charlie):
    """Supports and comments made while the page's socket was down (the test
    never commits, so no update is broadcast) come back with the sync."""
    voting.support(member=bob, idea=idea)
    voting.support(member=charlie, idea=idea)
    discussion.post_comment(author=bob, idea=idea, body="Count me in")

    [answer] = sync_answers(
        f"/ws/ideas/{idea.pk}/", {"type": "sync", "ideas": [idea.pk]}
    )

    assert answer == {
        "type": "ideas.sync",
        "ideas": [{"idea": idea.pk, "supports": 2, "comments": 1}],
    }


def test_a_list_sync_reads_every_count_in_one_query(
    alice, bob, django_assert_num_queries
):
    first, second, third = IdeaFactory.create_batch(3, author=alice)
    voting.support(member=bob, idea=second)

    with django_assert_num_queries(1):
        [answer] = sync_answers(
            "/ws/ideas/", {"type": "sync", "ideas": [third.pk, first.pk, second.pk]}
        )

    assert answer["ideas"] == [
        {"idea": first.pk, "supports": 0, "comments": 0},
        {"idea": second.pk, "supports": 1, "comments": 0},
        {"idea": third.pk, "supports": 0, "comments": 0},
    ]


def test_a_sync_leaves_out_ideas_the_visitor_may_not_see(alice):
    public = IdeaFactory(author=alice)
    pending = IdeaFactory(author=alice, status=IdeaStatus.PENDING)
    hidden = IdeaFactory(author=alice, status=IdeaStatus.HIDDEN)
    asked = [public.pk, pending.pk, hidden.pk, 999999]

    [anonymous] = sync_answers("/ws/ideas/", {"type": "sync", "ideas": asked})
    [author] = sync_answers(
        "/ws/ideas/", {"type": "sync", "ideas": asked}, cookie=session_cookie(alice)
    )

    assert [c["idea"] for c in anonymous["ideas"]] == [public.pk]
    assert [c["idea"] for c in author["ideas"]] == [public.pk, pending.pk, hidden.pk]


def test_an_idea_page_sync_does_not_reveal_other_pending_ideas(alice, bob):
    page_idea = IdeaFactory(author=alice)
    pending = IdeaFactory(author=alice, status=IdeaStatus.PENDING)

    [answer] = sync_answers(
        f"/ws/ideas/{page_idea.pk}/",
        {"type": "sync", "ideas": [page_idea.pk, pending.pk]},
        cookie=session_cookie(bob),
    )

    assert [c["idea"] for c in answer["ideas"]] == [page_idea.pk]


def test_the_author_of_a_pending_idea_resyncs_its_page(alice):
    pending = IdeaFactory(author=alice, status=IdeaStatus.PENDING)

    [answer] = sync_answers(
        f"/ws/ideas/{pending.pk}/",
        {"type": "sync", "ideas": [pending.pk]},
        cookie=session_cookie(alice),
    )

    assert [c["idea"] for c in answer["ideas"]] == [pending.pk]


def test_a_sync_answers_at_most_the_capped_number_of_ids(alice, monkeypatch):
    monkeypatch.setattr(consumers, "MAX_SYNC_IDS", 2)
    first, second, third = IdeaFactory.create_batch(3, author=alice)

    [answer] = sync_answers(
        "/ws/ideas/", {"type": "sync", "ideas": [first.pk, second.pk, third.pk]}
    )

    assert [c["idea"] for c in answer["ideas"]] == [first.pk, second.pk]


def test_the_sync_cap_holds_a_list_page_and_more():
    assert consumers.MAX_SYNC_IDS >= 20  # a list page shows 20 ideas
    assert len(consumers._idea_ids(list(range(1, 1000)))) == consumers.MAX_SYNC_IDS


def test_a_sync_drops_ids_that_are_not_ideas_keys(idea):
    asked = [idea.pk, str(idea.pk), -1, 0, True, 1.5, None, [idea.pk], 2**70, idea.pk]

    [answer] = sync_answers("/ws/ideas/", {"type": "sync", "ideas": asked})

    assert answer["ideas"] == [{"idea": idea.pk, "supports": 0, "comments": 0}]


@pytest.mark.parametrize(
    "frame", ["not json", '"sync"', "[1, 2]"], ids=["not-json", "a-string", "a-list"]
)
def test_a_malformed_frame_is_ignored_and_the_socket_stays_open(idea, frame):
    [answer] = sync_answers(
        f"/ws/ideas/{idea.pk}/", frame, {"type": "sync", "ideas": [idea.pk]}
    )

    assert answer["ideas"] == [{"idea": idea.pk, "supports": 0, "comments": 0}]


def test_a_sync_whose_ids_are_not_a_list_gets_no_counts(idea):
    [answer] = sync_answers("/ws/ideas/", {"type": "sync", "ideas": f"{idea.pk}"})

    assert answer == {"type": "ideas.sync", "ideas": []}


def test_a_connection_gets_only_a_few_syncs(idea, monkeypatch):
    monkeypatch.setattr(IdeaUpdatesConsumer, "max_syncs", 2)
    ask = {"type": "sync", "ideas": [idea.pk]}

    answers = sync_answers("/ws/ideas/", ask, ask, ask, expect=2)

    assert [a["type"] for a in answers] == ["ideas.sync", "ideas.sync"]
