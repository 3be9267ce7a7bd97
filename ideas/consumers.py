"""WebSocket consumers: they join groups and forward events, they never write."""

from __future__ import annotations

import asyncio
import json
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from ideas.live import idea_group, listed_group
from ideas.models import Idea
from ideas.permissions import can_view_idea

logger = logging.getLogger(__name__)

#: The most ideas one sync may ask for; a list page shows 20 to a page.
MAX_SYNC_IDS = 100


class IdeaUpdatesConsumer(AsyncJsonWebsocketConsumer):
    """Counts for one idea (``/ws/ideas/<id>/``) or for a list's ideas (``/ws/ideas/``).

    An idea's page joins the idea's group when it connects, once the visitor is
    let in, and gets a change as it comes (``idea.update``); changes that follow
    within ``idea_interval`` are held and only the last is sent, at the end of
    it, so a busy idea costs each page at most one frame a period.

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
    list_interval = 1.5
    #: Seconds an idea's page holds the changes after one it was sent at once.
    idea_interval = 0.5
    #: Syncs one connection may ask for: one per socket, then one each time a
    #: list page's results change (filters, sorts, pages swapped in).
    max_syncs = 30

    async def connect(self):
        self.pending: dict[int, dict] = {}
        self.held: dict | None = None
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
            await self._join({idea_group(self.idea_id)})
        await self.accept()

    async def disconnect(self, code):
        if getattr(self, "flush", None) is not None:
            self.flush.cancel()
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
        if self.idea_id is not None:
            message = {"type": "idea.update", "kind": event["kind"], **counts}
            if self.flush is None:  # the first change after a quiet spell: now
                await self.send_json(message)
                self.flush = asyncio.get_running_loop().create_task(self._send_held())
                return
            if self.held is not None and self.held["kind"] == "comment":
                message["kind"] = "comment"  # the page still reloads its thread
            self.held = message  # a later change replaces an earlier
            return
        if listed_group(event["idea"]) not in self.joined:
            return  # sent before the page stopped showing it
        self.pending[event["idea"]] = counts  # a later change replaces an earlier
        if self.flush is None:
            self.flush = asyncio.get_running_loop().create_task(self._send_pending())

    async def _send_held(self) -> None:
        """An idea's page: the last change held during ``idea_interval``, if any,
        then the same wait again, so a busy idea sends at most one a period."""
        await asyncio.sleep(self.idea_interval)
        message, self.held, self.flush = self.held, None, None
        if message is not None:
            self.flush = asyncio.get_running_loop().create_task(self._send_held())
            await self._send_late(message)

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


def _idea_ids(value) -> list[int]:
    """The ids a client asked for: integers a primary key can hold, each once, at
    most ``MAX_SYNC_IDS`` of them; anything else it sent is dropped."""
    if not isinstance(value, list):
        return []
    wanted = (
        item for item in value[:MAX_SYNC_IDS] if type(item) is int and 0 < item < 2**63
    )
    return list(dict.fromkeys(wanted))
