"""Refuse writes fast when the server is saturated, instead of queueing them.

A WSGI worker has a few threads and one interpreter lock: past a handful of writes
at once, each more only lengthens everybody's wait, until the client's or the
proxy's timeout fires, sometimes after the write committed. So each process admits
at most ``COCREATE_WRITE_CONCURRENCY`` guarded requests at a time. One that finds no
free slot within ``COCREATE_WRITE_WAIT_MS``, or that already waited longer than
``COCREATE_WRITE_QUEUE_MAX_MS`` in front of the server (the proxy's
``X-Request-Start``, as nginx sends it), is refused: a 503 with ``Retry-After`` and
a sentence that says nothing was changed (docs/deploy.md).

The views say which writes are guarded (``guarded``); ``WriteGuardMiddleware``,
first after the security headers, enforces it. It finds the view from the path
alone (the URLconf, no session), so a refusal costs microseconds and no query:
no session, member, consent or message is loaded for it. It speaks the language
of the cookie or of ``Accept-Language``. An admitted request keeps its slot until
its response is made, middleware included. Rate limits (``cocreate.ratelimit``)
are another matter and stay as they are.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils import translation
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


#: The attribute ``guarded`` sets on a view: the id of its htmx error slot ("" for
#: none), read by the middleware.
GUARD_ATTRIBUTE = "write_guard_slot"

#: Methods that never write: they pass whatever the load.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def guarded(view: Callable | None = None, *, htmx_slot: str = "") -> Callable:
    """Mark a write view as bounded by ``WriteGuardMiddleware``: at most
    ``COCREATE_WRITE_CONCURRENCY`` of the process's guarded requests run at once;
    the others wait up to ``COCREATE_WRITE_WAIT_MS`` for a slot, then are refused.
    For htmx, ``htmx_slot`` is the id of the fragment's error paragraph, which the
    refusal replaces. Put it innermost: ``functools.wraps`` carries the mark to
    the decorators above it."""

    def mark(view: Callable) -> Callable:
        setattr(view, GUARD_ATTRIBUTE, htmx_slot)
        return view

    return mark(view) if view is not None else mark


def guarded_slot(path: str) -> str | None:
    """The htmx slot of the guarded view at ``path`` ("" without one), or None
    when the view there is not guarded; from the URLconf, without the request."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return getattr(match.func, GUARD_ATTRIBUTE, None)


def _language(request: HttpRequest) -> str:
    """The refusal's language without the session or the member: the language
    cookie, else ``Accept-Language``, else the site's."""
    return translation.get_language_from_request(request)


class WriteGuardMiddleware:
    """Bound the guarded writes of this process (see the module's docstring).

    Placed right after the security headers' middleware, before the session's:
    what it refuses has cost a path lookup, not the middleware stack."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        htmx_slot = guarded_slot(request.path_info)
        if htmx_slot is None:
            return self.get_response(request)
        if waited_too_long(request):
            return self.refuse(request, htmx_slot)
        limit = settings.COCREATE_WRITE_CONCURRENCY
        if limit <= 0:
            return self.get_response(request)
        slots = _semaphore(limit)
        if not slots.acquire(timeout=settings.COCREATE_WRITE_WAIT_MS / 1000):
            return self.refuse(request, htmx_slot)
        try:
            return self.get_response(request)
        finally:
            slots.release()

    def refuse(self, request: HttpRequest, htmx_slot: str) -> HttpResponse:
        language = _language(request)
        with translation.override(language):
            response = refusal(request, htmx_slot=htmx_slot)
        response["Content-Language"] = language
        return response
