"""WebSocket routes of every app."""

from ideas.routing import websocket_urlpatterns as idea_routes

websocket_urlpatterns = [*idea_routes]
