"""WebSocket consumers: they join groups and forward events, they never write."""

from __future__ import annotations

import asyncio

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from ideas.live import ALL_IDEAS_GROUP, idea_group
from ideas.models import Idea
from ideas.permissions import can_view_idea


class IdeaUpdatesConsumer(AsyncJsonWebsocketConsumer):
    """Counts for one idea (``/ws/ideas/<id>/``) or for every idea (``/ws/ideas/``).

    An idea's page gets each change as it comes (``idea.update``). A list page
    would get every support of the site: its consumer keeps the latest counts of
    each idea that changed and sends them together (``ideas.update``) at most once
    per ``list_interval``. Each connection merges on its own, so this holds for any
    number of ASGI processes and any channel layer.
    """

    #: Seconds a list page's changes wait, merged, before they are sent.
    list_interval = 1.5

    async def connect(self):
        self.pending: dict[int, dict] = {}
        self.flush: asyncio.Task | None = None
        idea_id = self.scope["url_route"]["kwargs"].get("idea_id")
        if idea_id is None:
            self.group = ALL_IDEAS_GROUP
        else:
            allowed = await self._can_view(int(idea_id), self.scope.get("user"))
            if not allowed:
                await self.close(code=4404)
                return
            self.group = idea_group(int(idea_id))
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if getattr(self, "flush", None) is not None:
            self.flush.cancel()
        group = getattr(self, "group", None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        """Clients only listen; anything they send is ignored."""

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
    def _can_view(self, idea_id: int, user) -> bool:
        idea = Idea.objects.filter(pk=idea_id).first()
        return idea is not None and can_view_idea(user, idea)
