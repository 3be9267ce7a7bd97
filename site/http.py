"""Small helpers shared by views: htmx detection, log-in redirects and the
client's address."""

from __future__ import annotations

import ipaddress
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


def client_ip(request) -> str | None:
    """The address of the person, not of our reverse proxy: what the proxy put in
    TRUSTED_CLIENT_IP_HEADER, or the entry the last of TRUSTED_PROXY_COUNT proxies
    appended to X-Forwarded-For (entries left of it are whatever the client sent).
    None when the address given is not one. allauth asks this too (AccountAdapter).
    """
    header = settings.TRUSTED_CLIENT_IP_HEADER
    proxies = settings.TRUSTED_PROXY_COUNT
    if header:
        value = request.headers.get(header, "")
    elif proxies and request.headers.get("X-Forwarded-For"):
        hops = [hop.strip() for hop in request.headers["X-Forwarded-For"].split(",")]
        # Fewer hops than proxies: every entry came from one of ours.
        value = hops[-proxies] if len(hops) >= proxies else hops[0]
    else:
        value = request.META.get("REMOTE_ADDR", "")
    return _clean_address(value)


def _clean_address(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:443
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None
