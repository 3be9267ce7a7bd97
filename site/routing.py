"""WebSocket routes of every app."""

from cocreate.notifications.routing import websocket_urlpatterns as bell_routes
from ideas.routing import websocket_urlpatterns as idea_routes

websocket_urlpatterns = [*idea_routes, *bell_routes]
