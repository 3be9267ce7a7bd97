from django.urls import path

from ideas.consumers import IdeaUpdatesConsumer

websocket_urlpatterns = [
    path("ws/ideas/", IdeaUpdatesConsumer.as_asgi()),
    path("ws/ideas/<int:idea_id>/", IdeaUpdatesConsumer.as_asgi()),
]
