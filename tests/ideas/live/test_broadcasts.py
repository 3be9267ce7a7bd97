"""Live updates over WebSockets: counts reach open pages once a change commits.

pytest-asyncio is not needed: each test is a plain function that runs one
coroutine with ``async_to_sync``; the services run through ``sync_to_async`` in
the test's own thread, so they see its database transaction.
"""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from ideas import discussion, voting
from ideas.consumers import IdeaUpdatesConsumer
from ideas.models import IdeaStatus
from tests.factories import IdeaFactory, UserFactory
from tests.ideas.live.helpers import (
    TIMEOUT,
    handshake,
    list_page,
    session_cookie,
    socket,
)


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
        assert (await page.connect())[0]
        listing = await list_page([idea.pk])

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


def test_a_list_page_hears_supports_of_each_idea_it_shows(alice, bob, committed):
    first, second = IdeaFactory.create_batch(2, author=alice)

    async def scenario():
        listing = await list_page([first.pk, second.pk])
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


def test_an_idea_page_gets_a_burst_in_two_messages(
    idea, bob, charlie, committed, monkeypatch
):
    """The first change at once, then the last of those that follow it within
    the interval; a comment among them still says so, so the thread reloads."""
    monkeypatch.setattr(IdeaUpdatesConsumer, "idea_interval", 1.0)
    dave = UserFactory()

    async def scenario():
        page = socket(f"/ws/ideas/{idea.pk}/")
        assert (await page.connect())[0]
        await committed(lambda: voting.support(member=bob, idea=idea))
        first = await page.receive_json_from(timeout=TIMEOUT)
        await committed(lambda: voting.support(member=charlie, idea=idea))
        await committed(
            lambda: discussion.post_comment(author=bob, idea=idea, body="Yes!")
        )
        await committed(lambda: voting.support(member=dave, idea=idea))
        held = await page.receive_json_from(timeout=TIMEOUT)
        nothing_more = await page.receive_nothing(timeout=1.2)
        await page.disconnect()
        return first, held, nothing_more

    first, held, nothing_more = async_to_sync(scenario)()

    assert (first["kind"], first["supports"]) == ("support", 1)
    assert held == {
        "type": "idea.update",
        "kind": "comment",
        "idea": idea.pk,
        "supports": 3,
        "comments": 1,
    }
    assert nothing_more


def test_a_list_page_gets_one_message_for_a_burst_of_supports(
    alice, bob, charlie, committed, monkeypatch
):
    monkeypatch.setattr(IdeaUpdatesConsumer, "list_interval", 1.0)
    first, second = IdeaFactory.create_batch(2, author=alice)

    async def scenario():
        listing = await list_page([first.pk, second.pk])
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
        listing = await list_page([first.pk, second.pk])
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
        listing = await list_page([idea.pk])
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


def test_a_broadcast_reaches_the_page_and_the_lists_in_one_trip(idea, monkeypatch):
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
    assert sorted(sent) == [(f"idea.{idea.pk}", 3), (f"listed.{idea.pk}", 3)]


def test_a_broken_channel_layer_never_breaks_a_support(idea, bob, monkeypatch):
    from ideas import live

    class Broken:
        async def group_send(self, *args, **kwargs):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(live, "get_channel_layer", lambda: Broken())

    live.broadcast_counts(idea.pk, kind="support")  # logs, does not raise

    support = voting.support(member=bob, idea=idea)
    assert support.pk
