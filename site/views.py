"""Site-wide views: the health check and the error pages."""

from __future__ import annotations

import sys

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.db import connection
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_redis import get_redis_connection
from psycopg_pool import PoolTimeout


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_redis() -> str:
    """A PING through the cache's own client, bounded by its socket timeouts
    (REDIS_TIMEOUT). Never the channel layer: its async client is not for a WSGI
    thread, and concurrent round trips through it fail on a healthy server."""
    if not settings.REDIS_URL:
        return "not configured"
    try:
        get_redis_connection("default").ping()
    except Exception:  # noqa: BLE001 - any failure means the same: Redis is down
        return "down"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """200 while the site can serve, which it does without Redis ("degraded",
    live updates paused); 503 only when the database, which holds every record,
    does not answer."""
    try:
        database = _check_database()
    except Exception as exc:  # noqa: BLE001 - the report must name any failure
        database = f"error: {exc.__class__.__name__}"
    redis = _check_redis()
    if database != "ok":
        status = "error"
    elif redis == "down":
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse(
        {"status": status, "database": database, "redis": redis},
        status=503 if status == "error" else 200,
    )


def bench_hello(request):
    """The benchmark's yardstick (`make bench-http`): the whole middleware stack
    and nothing else, so a page's req/s reads as a share of what the server can
    do. Routed only when COCREATE_BENCH_HELLO is on."""
    return HttpResponse(b"hello", content_type="text/plain")


# Error pages (cocreate.urls names them as handler400 and handler500) ---------------
def bad_request(request, exception=None):
    """Django's default renders 400.html without the request; ours extends the
    base template, whose menu needs it."""
    return render(request, "400.html", status=HttpResponseBadRequest.status_code)


#: Seconds a client is asked to wait when every database connection is busy.
BUSY_RETRY_AFTER = 5


def _database_busy() -> bool:
    """Whether the error being handled is the connection pool's wait running out:
    the site is full, not broken."""
    error = sys.exc_info()[1]
    while error is not None:
        if isinstance(error, PoolTimeout):
            return True
        error = error.__cause__
    return False


# The page's styles are inline so that it needs nothing else; it has no script.
@csp_update({"style-src": [UNSAFE_INLINE]})
def server_error(request):
    """The 500 page, rendered without the request: no session, no database, no
    context processor, so it shows whatever has failed. When every database
    connection is busy it is a 503 that asks to come back in a few seconds, so
    load balancers and browsers retry instead of reporting a fault."""
    template = loader.get_template("500.html")
    if _database_busy():
        response = HttpResponse(
            template.render({"SITE_NAME": settings.WAGTAIL_SITE_NAME, "busy": True}),
            status=503,
        )
        response["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response
    return HttpResponseServerError(
        template.render({"SITE_NAME": settings.WAGTAIL_SITE_NAME})
    )
