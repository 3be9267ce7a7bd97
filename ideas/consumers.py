"""WebSocket consumers: they join groups and forward events, they never write."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from ideas.live import ALL_IDEAS_GROUP, idea_group
from ideas.models import Idea
from ideas.permissions import can_view_idea


class IdeaUpdatesConsumer(AsyncJsonWebsocketConsumer):
    """Counts for one idea (``/ws/ideas/<id>/``) or for every idea (``/ws/ideas/``)."""

    async def connect(self):
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
        group = getattr(self, "group", None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        """Clients only listen; anything they send is ignored."""

    async def idea_update(self, event):
        await self.send_json(
            {
                "type": "idea.update",
                "kind": event["kind"],
                "idea": event["idea"],
                "supports": event["supports"],
                "comments": event["comments"],
            }
        )

    @database_sync_to_async
    def _can_view(self, idea_id: int, user) -> bool:
        idea = Idea.objects.filter(pk=idea_id).first()
        return idea is not None and can_view_idea(user, idea)
