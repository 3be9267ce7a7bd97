"""WebSocket consumers: they join groups and forward events, they never write."""

from __future__ import annotations

import asyncio
import json
import logging
import weakref

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from cocreate.outages import channel_layer_outage
from ideas.live import idea_group, listed_group
from ideas.models import Idea
from ideas.permissions import can_view_idea

logger = logging.getLogger(__name__)

#: The most ideas one sync may ask for; a list page shows 20 to a page.
MAX_SYNC_IDS = 100


class IdeaUpdatesConsumer(AsyncJsonWebsocketConsumer):
    """Counts for one idea (``/ws/ideas/<id>/``) or for a list's ideas (``/ws/ideas/``).

    An idea's page, once the visitor is let in, hears the idea through this
    process's ``IdeaFanout``: a change as it comes (``idea.update``), then the
    last of those that follow within ``idea_interval``, at its end, so a busy
    idea costs each page at most one frame a period, and the layer one message
    per process rather than one per page.

    A list page joins nothing when it connects. It asks for a ``sync`` with the
    ids it shows, each time its socket opens and whenever its results change;
    the answer (``ideas.sync``) holds the current counts of those the visitor
    may see, and the socket then listens to those ideas' listed groups (and
    leaves the groups of ideas it no longer shows). A listed group hears of its
    idea only while everybody may see it (``live.listed_everywhere``), so a
    visitor hears nothing else. Its consumer keeps the latest counts of each
    idea that changed and sends them together (``ideas.update``) at most once
    per ``list_interval``.

    Updates sent while a page was away (Redis or this process down, a dropped
    network) are lost: the sync on each open is what puts the page right.
    Every group joined is left on disconnect, each on its own, so one failure
    does not keep the others.
    """

    #: Seconds a list page's changes wait, merged, before they are sent.
    list_interval = 0.5
    #: Seconds an idea's pages hold the changes after one sent at once: a
    #: change waits at most this long (the delivery target is 250 ms at p95),
    #: and a busy idea costs each page at most about ten frames a second.
    idea_interval = 0.1
    #: Syncs one connection may ask for: one per socket, then one each time a
    #: list page's results change (filters, sorts, pages swapped in).
    max_syncs = 30

    async def connect(self):
        self.pending: dict[int, dict] = {}
        self.fanout: IdeaFanout | None = None
        self.flush: asyncio.Task | None = None
        self.syncs = 0
        self.joined: set[str] = set()
        self.idea_id: int | None = None
        idea_id = self.scope["url_route"]["kwargs"].get("idea_id")
        if idea_id is not None:
            allowed = await self._can_view(int(idea_id), self.scope.get("user"))
            if not allowed:
                await self.close(code=4404)
                return
            self.idea_id = int(idea_id)
            self.fanout = IdeaFanout.of(self.channel_layer, self.idea_id)
            await self.fanout.add(self)
        await self.accept()
        LayerWatch.of(self.channel_layer).add(self)

    async def disconnect(self, code):
        LayerWatch.forget(self)
        if getattr(self, "flush", None) is not None:
            self.flush.cancel()
        if getattr(self, "fanout", None) is not None:
            await self.fanout.remove(self)
        await self._leave(set(getattr(self, "joined", ())))

    async def _join(self, groups: set[str]) -> None:
        for group in groups:
            # Recorded first: a join that fails half way is still left.
            self.joined.add(group)
        await asyncio.gather(
            *(self.channel_layer.group_add(g, self.channel_name) for g in groups)
        )

    async def _leave(self, groups: set[str]) -> None:
        self.joined -= groups
        results = await asyncio.gather(
            *(self.channel_layer.group_discard(g, self.channel_name) for g in groups),
            return_exceptions=True,
        )
        failed = [r for r in results if isinstance(r, BaseException)]
        if failed:
            logger.warning(
                "%d of %d groups not left by %s",
                len(failed),
                len(groups),
                self.channel_name,
                exc_info=failed[0],
            )

    @classmethod
    async def decode_json(cls, text_data):
        """A frame that is not JSON is ignored rather than ending the connection."""
        try:
            return json.loads(text_data)
        except ValueError:
            return None

    async def receive_json(self, content, **kwargs):
        """Clients listen and may ask for a ``sync``; anything else is ignored."""
        if not isinstance(content, dict) or content.get("type") != "sync":
            return
        if self.syncs >= self.max_syncs:
            return
        self.syncs += 1
        ids = _idea_ids(content.get("ideas"))
        counts = await self._counts(ids, self.scope.get("user")) if ids else []
        if self.idea_id is None:
            wanted = {listed_group(row["idea"]) for row in counts}
            await self._leave(self.joined - wanted)
            await self._join(wanted - self.joined)
        await self.send_json({"type": "ideas.sync", "ideas": counts})

    async def idea_update(self, event):
        counts = {
            "idea": event["idea"],
            "supports": event["supports"],
            "comments": event["comments"],
        }
        if listed_group(event["idea"]) not in self.joined:
            return  # sent before the page stopped showing it
        self.pending[event["idea"]] = counts  # a later change replaces an earlier
        if self.flush is None:
            self.flush = asyncio.get_running_loop().create_task(self._send_pending())

    async def _send_pending(self) -> None:
        await asyncio.sleep(self.list_interval)
        ideas, self.pending, self.flush = list(self.pending.values()), {}, None
        await self._send_late({"type": "ideas.update", "ideas": ideas})

    async def _send_late(self, message: dict) -> None:
        """A timer's send: the client may have gone meanwhile, before this
        consumer heard of it (its disconnect then cancels the timer)."""
        try:
            await self.send_json(message)
        except Exception:  # noqa: BLE001 - the server's "closed protocol"
            logger.debug("a held update found %s closed", self.channel_name)

    @database_sync_to_async
    def _counts(self, ids: list[int], user) -> list[dict]:
        """The counts of those ideas the visitor may see, in one query: public
        ideas (of campaigns open to them), their own, and the idea of this page
        (checked on connect)."""
        visible = (
            Idea.objects.visible_to(user) if user is not None else Idea.objects.public()
        )
        if self.idea_id is not None:
            visible = visible | Idea.objects.filter(pk=self.idea_id)
        rows = (
            visible.filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", "supports_count", "comments_count")
        )
        return [
            {"idea": pk, "supports": supports, "comments": comments}
            for pk, supports, comments in rows
        ]

    @database_sync_to_async
    def _can_view(self, idea_id: int, user) -> bool:
        idea = Idea.objects.filter(pk=idea_id).first()
        return idea is not None and can_view_idea(user, idea)


class IdeaFanout:
    """The pages of one idea open in this process (one per event loop and idea).

    It is the only member of the idea's group from this process: the layer
    delivers each change once here, not once per page, and it sends the counts
    to every page itself: the first change after a quiet spell at once, then
    the last of those held during ``IdeaUpdatesConsumer.idea_interval``. It joins
    the group with the first page and leaves it with the last. Should the layer
    fail under it, its pages are closed (1011): their scripts say updates are
    paused, reconnect and resynchronise.
    """

    _open: weakref.WeakKeyDictionary[
        asyncio.AbstractEventLoop, dict[int, IdeaFanout]
    ] = weakref.WeakKeyDictionary()

    @classmethod
    def of(cls, layer, idea_id: int) -> IdeaFanout:
        loop = asyncio.get_running_loop()
        fanouts = cls._open.setdefault(loop, {})
        if idea_id not in fanouts:
            fanouts[idea_id] = cls(layer, idea_id)
        return fanouts[idea_id]

    def __init__(self, layer, idea_id: int) -> None:
        self.layer = layer
        self.idea_id = idea_id
        self.group = idea_group(idea_id)
        self.pages: set[IdeaUpdatesConsumer] = set()
        self.lock = asyncio.Lock()
        self.channel: str | None = None
        self.listener: asyncio.Task | None = None
        self.held: dict | None = None
        self.timer: asyncio.Task | None = None

    async def add(self, page: IdeaUpdatesConsumer) -> None:
        async with self.lock:
            self.pages.add(page)
            if self.listener is None:
                self.channel = await self.layer.new_channel()
                await self.layer.group_add(self.group, self.channel)
                self.listener = asyncio.get_running_loop().create_task(self._listen())

    async def remove(self, page: IdeaUpdatesConsumer) -> None:
        async with self.lock:
            self.pages.discard(page)
            if self.pages:
                return
            self._forget()
            if self.listener is not None:
                self.listener.cancel()
                self.listener = None
            if self.timer is not None:
                self.timer.cancel()
                self.timer = None
            if self.channel is not None:
                channel, self.channel = self.channel, None
                try:
                    await self.layer.group_discard(self.group, channel)
                except Exception:  # noqa: BLE001 - left for the layer to expire
                    logger.warning("idea group %s not left", self.group, exc_info=True)

    def _forget(self) -> None:
        fanouts = self._open.get(asyncio.get_running_loop(), {})
        if fanouts.get(self.idea_id) is self:
            del fanouts[self.idea_id]

    async def _listen(self) -> None:
        try:
            while True:
                event = await self.layer.receive(self.channel)
                if event.get("type") == "idea.update":
                    await self._update(event)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the layer failed: the pages reconnect
            logger.warning("live updates of %s stopped", self.group, exc_info=True)
            self._forget()
            for page in list(self.pages):
                await page.close(code=1011)

    async def _update(self, event: dict) -> None:
        message = {
            "type": "idea.update",
            "kind": event["kind"],
            "idea": event["idea"],
            "supports": event["supports"],
            "comments": event["comments"],
        }
        if self.timer is None:  # the first change after a quiet spell: now
            self.timer = asyncio.get_running_loop().create_task(self._send_held())
            await self._send(message)
            return
        if self.held is not None and self.held["kind"] == "comment":
            message["kind"] = "comment"  # the pages still reload their thread
        self.held = message  # a later change replaces an earlier

    async def _send_held(self) -> None:
        await asyncio.sleep(IdeaUpdatesConsumer.idea_interval)
        message, self.held, self.timer = self.held, None, None
        if message is not None:
            self.timer = asyncio.get_running_loop().create_task(self._send_held())
            await self._send(message)

    async def _send(self, message: dict) -> None:
        """To every page, encoded once for all of them; one that closed
        meanwhile is skipped (its disconnect, on its way, removes it)."""
        text = await IdeaUpdatesConsumer.encode_json(message)
        await asyncio.gather(
            *(page.send(text_data=text) for page in list(self.pages)),
            return_exceptions=True,
        )


class LayerWatch:
    """Whether this process still reaches the channel layer (one per event loop).

    On Redis pub/sub an open socket never hears of an outage: the layer's
    subscription retries on its own, and what was sent meanwhile is lost. While
    sockets are open, this publishes to a group nobody joins every ``interval``
    seconds; when that fails it closes them all (1011), so their pages say live
    updates are paused, reconnect once the layer is back, and resynchronise.
    """

    interval = 10.0
    group = "live.watch"
    _open: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LayerWatch] = (
        weakref.WeakKeyDictionary()
    )

    @classmethod
    def of(cls, layer) -> LayerWatch:
        loop = asyncio.get_running_loop()
        if loop not in cls._open:
            cls._open[loop] = cls(layer)
        return cls._open[loop]

    @classmethod
    def forget(cls, page: IdeaUpdatesConsumer) -> None:
        watch = cls._open.get(asyncio.get_running_loop())
        if watch is not None:
            watch.pages.discard(page)
            if not watch.pages and watch.task is not None:
                watch.task.cancel()
                watch.task = None

    def __init__(self, layer) -> None:
        self.layer = layer
        self.pages: set[IdeaUpdatesConsumer] = set()
        self.task: asyncio.Task | None = None

    def add(self, page: IdeaUpdatesConsumer) -> None:
        self.pages.add(page)
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._watch())

    async def _watch(self) -> None:
        while self.pages:
            await asyncio.sleep(self.interval)
            try:
                await self.layer.group_send(self.group, {"type": "live.watch"})
            except Exception:  # noqa: BLE001 - the layer is down: pages reconnect
                channel_layer_outage.failed("open live pages closed to resync")
                pages, self.pages = list(self.pages), set()
                for page in pages:
                    await page.close(code=1011)
            else:
                channel_layer_outage.recovered()
        self.task = None


def _idea_ids(value) -> list[int]:
    """The ids a client asked for: integers a primary key can hold, each once, at
    most ``MAX_SYNC_IDS`` of them; anything else it sent is dropped."""
    if not isinstance(value, list):
        return []
    wanted = (
        item for item in value[:MAX_SYNC_IDS] if type(item) is int and 0 < item < 2**63
    )
    return list(dict.fromkeys(wanted))
