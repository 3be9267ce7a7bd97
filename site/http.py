"""Small helpers shared by views: htmx detection and log-in redirects."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from cocreate.params import clean_text


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def member_required(view):
    """Like login_required, but an htmx request is told to load the log-in page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        next_url = request.headers.get("HX-Current-URL") or request.get_full_path()
        if is_htmx(request):
            path = urlparse(next_url).path or "/"
            login_url = resolve_url(settings.LOGIN_URL)
            response = HttpResponse(status=204)
            response["HX-Redirect"] = f"{login_url}?next={path}"
            return response
        return redirect_to_login(
            next_url if request.method == "GET" else _referer(request)
        )

    return wrapper


def _referer(request) -> str:
    return safe_next(request, request.headers.get("Referer"), default="/")


def safe_next(request, url: str | None, *, default: str) -> str:
    """A path or URL of this site, else ``default``: ``redirect()`` would read a bare
    word as a URL name and fail on it."""
    url = clean_text(url or "", max_length=2000)
    if url.startswith(("/", "http://", "https://")) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default
