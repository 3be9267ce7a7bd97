"""Refuse writes fast when the server is saturated, instead of queueing them.

A WSGI worker has a few threads and one interpreter lock: past a handful of writes
at once, each more only lengthens everybody's wait, until the client's or the
proxy's timeout fires, sometimes after the write committed. So each process admits
at most ``COCREATE_WRITE_CONCURRENCY`` guarded requests at a time. One that finds no
free slot within ``COCREATE_WRITE_WAIT_MS``, or that already waited longer than
``COCREATE_WRITE_QUEUE_MAX_MS`` in front of the server (the proxy's
``X-Request-Start``, as nginx sends it), is refused before its view runs: a 503 with
``Retry-After`` and a sentence that says nothing was changed (docs/deploy.md).
Rate limits (``cocreate.ratelimit``) are another matter and stay as they are.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.html import format_html
from django.utils.translation import gettext as _

from cocreate.http import is_htmx

#: Seconds a refused client is asked to wait before it tries again.
RETRY_AFTER = 2

_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


def _semaphore(limit: int) -> threading.BoundedSemaphore:
    """This process's slots for ``limit`` writes at once (one set per setting)."""
    with _slots_lock:
        if limit not in _slots:
            _slots[limit] = threading.BoundedSemaphore(limit)
        return _slots[limit]


def request_started(request: HttpRequest) -> float | None:
    """When the proxy received the request, from ``X-Request-Start`` (``t=`` then
    seconds, milliseconds or microseconds since the epoch), or None."""
    value = request.headers.get("X-Request-Start", "").strip()
    if value.startswith("t="):
        value = value[2:]
    try:
        stamp = float(value)
    except ValueError:
        return None
    if stamp > 1e14:  # microseconds
        return stamp / 1e6
    if stamp > 1e11:  # milliseconds
        return stamp / 1e3
    return stamp if stamp > 0 else None


def waited_too_long(request: HttpRequest, *, now: float | None = None) -> bool:
    limit = settings.COCREATE_WRITE_QUEUE_MAX_MS
    started = request_started(request)
    if not limit or started is None:
        return False
    return ((now or time.time()) - started) * 1000 > limit


def message() -> str:
    return _(
        "So many people are taking part right now that this could not be saved. "
        "Nothing was changed; please try again in a few seconds."
    )


def refusal(request: HttpRequest, *, htmx_slot: str = "") -> HttpResponse:
    """The 503 for a refused write. For htmx with ``htmx_slot`` (the id of the
    fragment's error paragraph) the sentence replaces that paragraph; without
    JavaScript it is a page of its own, rendered without the database."""
    text = message()
    if is_htmx(request):
        if htmx_slot:
            body = format_html(
                '<p class="error" role="alert" id="{}">{}</p>', htmx_slot, text
            )
            response = HttpResponse(body, status=503)
            response["HX-Retarget"] = f"#{htmx_slot}"
            response["HX-Reswap"] = "outerHTML"
        else:
            response = HttpResponse(
                text, status=503, content_type="text/plain; charset=utf-8"
            )
    else:
        page = loader.get_template("500.html").render(
            {"SITE_NAME": settings.WAGTAIL_SITE_NAME, "busy": True, "message": text}
        )
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def guard_writes(view: Callable | None = None, *, htmx_slot: str = "") -> Callable:
    """Decorate a write view: at most ``COCREATE_WRITE_CONCURRENCY`` of the
    process's guarded requests run at once; the others wait up to
    ``COCREATE_WRITE_WAIT_MS`` for a slot, then are refused. GET and HEAD pass."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in ("GET", "HEAD", "OPTIONS"):
                return view(request, *args, **kwargs)
            if waited_too_long(request):
                return refusal(request, htmx_slot=htmx_slot)
            limit = settings.COCREATE_WRITE_CONCURRENCY
            if limit <= 0:
                return view(request, *args, **kwargs)
            slots = _semaphore(limit)
            if not slots.acquire(timeout=settings.COCREATE_WRITE_WAIT_MS / 1000):
                return refusal(request, htmx_slot=htmx_slot)
            try:
                return view(request, *args, **kwargs)
            finally:
                slots.release()

        return guarded

    return decorate(view) if view is not None else decorate
