"""Site-wide views: the health check and the error pages."""

from __future__ import annotations

import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    value = cache.get(key)
    cache.delete(key)
    return "ok" if value == "1" else "error: value not read back"


def _check_channel_layer() -> str:
    layer = get_channel_layer()
    if layer is None:
        return "error: no channel layer configured"

    async def round_trip() -> bool:
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "healthz.ping"})
        message = await layer.receive(channel)
        return message.get("type") == "healthz.ping"

    return "ok" if async_to_sync(round_trip)() else "error: message not received"


@never_cache
@require_GET
def healthz(request):
    """Report database, cache and channel layer; 503 when any of them fails."""
    checks = {}
    for name, check in (
        ("database", _check_database),
        ("cache", _check_cache),
        ("channel_layer", _check_channel_layer),
    ):
        try:
            checks[name] = check()
        except Exception as exc:  # noqa: BLE001 - the report must name any failure
            checks[name] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks},
        status=200 if healthy else 503,
    )


# Error pages (cocreate.urls names them as handler400 and handler500) ---------------
def bad_request(request, exception=None):
    """Django's default renders 400.html without the request; ours extends the
    base template, whose menu needs it."""
    return render(request, "400.html", status=HttpResponseBadRequest.status_code)


def server_error(request):
    """The 500 page, rendered without the request: no session, no database, no
    context processor, so it shows whatever has failed."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(
        template.render({"SITE_NAME": settings.WAGTAIL_SITE_NAME})
    )
