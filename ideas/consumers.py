"""WebSocket consumers: they join groups and forward events, they never write."""

from __future__ import annotations

import asyncio
import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from ideas.live import ALL_IDEAS_GROUP, idea_group
from ideas.models import Idea
from ideas.permissions import can_view_idea

#: The most ideas one sync may ask for; a list page shows 20 to a page.
MAX_SYNC_IDS = 100


class IdeaUpdatesConsumer(AsyncJsonWebsocketConsumer):
    """Counts for one idea (``/ws/ideas/<id>/``) or for every idea (``/ws/ideas/``).

    An idea's page gets each change as it comes (``idea.update``). A list page
    would get every support of the site: its consumer keeps the latest counts of
    each idea that changed and sends them together (``ideas.update``) at most once
    per ``list_interval``. Each connection merges on its own, so this holds for any
    number of ASGI processes and any channel layer.

    The list's group hears only of ideas everybody may see (``live``); the idea
    socket admits only who may see the idea, checked when it connects.

    Updates sent while a page was away (Redis or this process down, a dropped
    network) are lost, so a page asks for a ``sync`` with the ids it shows each
    time its socket opens, and gets their current counts (``ideas.sync``).
    """

    #: Seconds a list page's changes wait, merged, before they are sent.
    list_interval = 1.5
    #: Syncs one connection may ask for; the page's script asks once per socket.
    max_syncs = 5

    async def connect(self):
        self.pending: dict[int, dict] = {}
        self.flush: asyncio.Task | None = None
        self.syncs = 0
        self.idea_id: int | None = None
        idea_id = self.scope["url_route"]["kwargs"].get("idea_id")
        if idea_id is None:
            self.group = ALL_IDEAS_GROUP
        else:
            allowed = await self._can_view(int(idea_id), self.scope.get("user"))
            if not allowed:
                await self.close(code=4404)
                return
            self.idea_id = int(idea_id)
            self.group = idea_group(self.idea_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if getattr(self, "flush", None) is not None:
            self.flush.cancel()
        group = getattr(self, "group", None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)

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
        await self.send_json({"type": "ideas.sync", "ideas": counts})

    async def idea_update(self, event):
        counts = {
            "idea": event["idea"],
            "supports": event["supports"],
            "comments": event["comments"],
        }
        if self.group != ALL_IDEAS_GROUP:
            await self.send_json(
                {"type": "idea.update", "kind": event["kind"], **counts}
            )
            return
        self.pending[event["idea"]] = counts  # a later change replaces an earlier
        if self.flush is None:
            self.flush = asyncio.get_running_loop().create_task(self._send_pending())

    async def _send_pending(self) -> None:
        await asyncio.sleep(self.list_interval)
        ideas, self.pending, self.flush = list(self.pending.values()), {}, None
        await self.send_json({"type": "ideas.update", "ideas": ideas})

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
