"""The bell's live updates: a member's pages join their own group; nothing else."""

from __future__ import annotations

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from cocreate.notifications.services import member_group


class BellConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = member_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        group = getattr(self, "group", None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        """Clients only listen."""

    async def bell_update(self, event):
        await self.send_json(
            {"type": "bell.update", "unread": event["unread"], "title": event["title"]}
        )
