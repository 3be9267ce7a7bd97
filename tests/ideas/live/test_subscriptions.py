"""A list page listens to the ideas it shows, and to nothing else; every group a
socket joined is left when it goes, even when one of them cannot be left."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

from cocreate.settings import redis_channel_layer
from ideas import voting
from ideas.consumers import LayerWatch
from tests.factories import IdeaFactory
from tests.ideas.live.helpers import TIMEOUT, list_page, socket


def memberships() -> int:
    """Channels in groups, summed over groups, as the layer holds them now (the
    in-memory layer of the default run, or this event loop's pub/sub layer)."""
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        return sum(len(channels) for channels in layer.groups.values())
    return sum(len(channels) for channels in layer._get_layer().groups.values())


def test_a_list_page_hears_nothing_of_ideas_it_does_not_show(alice, bob, committed):
    shown, other = IdeaFactory.create_batch(2, author=alice)

    async def scenario():
        listing = await list_page([shown.pk])
        await committed(lambda: voting.support(member=bob, idea=other))
        nothing = await listing.receive_nothing(timeout=0.5)
        await listing.disconnect()
        return nothing

    assert async_to_sync(scenario)() is True


def test_a_list_page_that_has_not_asked_hears_nothing(idea, bob, committed):
    async def scenario():
        listing = socket("/ws/ideas/")
        assert (await listing.connect())[0]
        await committed(lambda: voting.support(member=bob, idea=idea))
        nothing = await listing.receive_nothing(timeout=0.5)
        await listing.disconnect()
        return nothing

    assert async_to_sync(scenario)() is True


def test_a_list_page_that_asks_again_follows_its_new_ideas(alice, bob, committed):
    """Filters or a page swapped in: the page asks for what it shows now, leaves
    the ideas it no longer shows and hears the new ones."""
    before, after = IdeaFactory.create_batch(2, author=alice)

    async def scenario():
        listing = await list_page([before.pk])
        await listing.send_json_to({"type": "sync", "ideas": [after.pk]})
        answer = await listing.receive_json_from(timeout=TIMEOUT)
        await committed(lambda: voting.support(member=bob, idea=before))
        await committed(lambda: voting.support(member=bob, idea=after))
        update = await listing.receive_json_from(timeout=TIMEOUT)
        nothing_more = await listing.receive_nothing(timeout=0.5)
        await listing.disconnect()
        return answer, update, nothing_more

    answer, update, nothing_more = async_to_sync(scenario)()

    assert [row["idea"] for row in answer["ideas"]] == [after.pk]
    assert update == {
        "type": "ideas.update",
        "ideas": [{"idea": after.pk, "supports": 1, "comments": 0}],
    }
    assert nothing_more


def test_a_disconnect_leaves_every_group(alice):
    ideas = IdeaFactory.create_batch(3, author=alice)

    async def scenario():
        before = memberships()
        page = socket(f"/ws/ideas/{ideas[0].pk}/")
        assert (await page.connect())[0]
        listing = await list_page([idea.pk for idea in ideas])
        joined = memberships() - before
        await page.disconnect()
        await listing.disconnect()
        return joined, memberships() - before

    joined, left_over = async_to_sync(scenario)()

    assert (joined, left_over) == (4, 0)


def test_a_group_that_cannot_be_left_keeps_no_other(alice, monkeypatch, caplog):
    ideas = IdeaFactory.create_batch(3, author=alice)
    stuck = f"listed.{ideas[1].pk}"
    discard = InMemoryChannelLayer.group_discard

    async def failing(self, group, channel):
        if group == stuck:
            raise ConnectionError("redis is down")
        await discard(self, group, channel)

    if not isinstance(get_channel_layer(), InMemoryChannelLayer):
        pytest.skip("the failure is staged on the in-memory layer")
    monkeypatch.setattr(InMemoryChannelLayer, "group_discard", failing)

    async def scenario():
        before = memberships()
        listing = await list_page([idea.pk for idea in ideas])
        await listing.disconnect()
        return memberships() - before

    assert async_to_sync(scenario)() == 1
    assert "1 of 3 groups not left" in caplog.text


def test_the_layer_is_redis_pubsub_unless_asked(monkeypatch):
    monkeypatch.delenv("CHANNEL_LAYER", raising=False)
    pubsub = redis_channel_layer("redis://127.0.0.1:6379/0")
    monkeypatch.setenv("CHANNEL_LAYER", "core")
    core = redis_channel_layer("redis://127.0.0.1:6379/0")

    assert pubsub["BACKEND"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert pubsub["CONFIG"]["hosts"][0]["socket_timeout"] > 0
    assert core["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    # Reads outlast the layer's 5 s BZPOPMIN; a mass disconnect finds connections;
    # memberships a process never left expire.
    assert core["CONFIG"]["hosts"][0]["socket_timeout"] > 5
    assert core["CONFIG"]["hosts"][0]["max_connections"] >= 1000
    assert 0 < core["CONFIG"]["group_expiry"] < 86400


def test_open_pages_close_to_resync_when_the_layer_fails(idea, monkeypatch):
    """On pub/sub an open socket never hears of a Redis outage itself: the
    process's watch closes its pages (1011), whose scripts then say updates are
    paused, reconnect and resynchronise."""
    monkeypatch.setattr(LayerWatch, "interval", 0.1)

    class Broken:
        async def group_send(self, group, message):
            raise ConnectionError("redis is down")

    async def scenario():
        page = socket(f"/ws/ideas/{idea.pk}/")
        assert (await page.connect())[0]
        listing = await list_page([idea.pk])
        quiet = await page.receive_nothing(timeout=0.35)  # the layer answers
        LayerWatch._open[asyncio.get_running_loop()].layer = Broken()
        closes = (
            await page.receive_output(timeout=TIMEOUT),
            await listing.receive_output(timeout=TIMEOUT),
        )
        await page.disconnect()
        await listing.disconnect()
        return quiet, closes

    quiet, closes = async_to_sync(scenario)()

    assert quiet is True
    assert closes == ({"type": "websocket.close", "code": 1011},) * 2
