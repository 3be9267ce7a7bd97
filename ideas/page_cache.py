"""A short shared cache of the pages visitors read, emptied by the events that
change them.

Only what a visitor (not signed in) reads is kept: a GET or HEAD that carries no
cookie but the CSRF and language ones, answered 200 by a view that opted in
(``cached_for_visitors``), with no message, no cookie and no session write of its
own. Members never read from it nor write to it: their pages show their own
supports, their pending ideas and the team's tools.

A page is kept ``COCREATE_PAGE_CACHE_SECONDS`` (30 s; 0 switches the cache off)
under its host, path, sorted query, active language and whether htmx asked for
it, and under the generations of the scopes it shows:

- ``all``: every page (a Wagtail page published, unpublished, moved or deleted,
  who may see which campaigns, a category, a member's erasure);
- ``lists``: the pages that list ideas (the list, the home page, campaigns): an
  idea posted, edited, re-statused, hidden, restored or merged, an official
  answer;
- ``idea:<id>``: the idea's page: the above for this idea, and its comments.

A generation is a token in the cache; bumping one is a single write, so an event
forgets every page of its scope at once (the pages stay until their TTL, under
keys nobody reads). It is bumped at once and again once the transaction commits,
so a request that read the old rows in between cannot keep them. Supports bump
nothing: counts come live over WebSockets, and the cached page is at most a TTL
old.

A kept body holds no visitor's secret: the CSRF tokens and the CSP nonce it was
rendered with are replaced by placeholders, and each hit puts in the token and
nonce of its own request (and so sets the CSRF cookie like a rendered page).

A crowd asking for a page that is not kept gets one render: the first request
renders it, the others wait for it (``RENDER_WAIT``, a second at most) and are
served the kept page; if that render keeps nothing, they render their own at once.

Redis down: every read is a miss and every write is dropped (django-redis
IGNORE_EXCEPTIONS), so the page renders from the database as without the cache.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import (  # type: ignore[attr-defined]  # private, unstubbed
    _unmask_cipher_token,
    get_token,
)
from django.utils import translation

from cocreate.http import is_htmx
from cocreate.outages import cache_outage

ALL = "all"
LISTS = "lists"

GENERATION_KEY = "page-cache:gen:{}"
PAGE_KEY = "page-cache:page:v1:{}"
RENDER_KEY = "{}:rendering"

#: While one request renders a missing page, the others asking for it wait for
#: it this long (seconds) rather than all rendering it at once; a render that
#: ends without keeping the page lets them go at once.
RENDER_WAIT = 1.0
RENDER_POLL = 0.02

#: Placeholders for what belongs to one request. Never in a page by chance: a
#: body that already holds one is not kept.
CSRF_MARK = b"\x00page-cache:csrf\x00"
NONCE_MARK = b"\x00page-cache:nonce\x00"

#: Headers a kept page may vary on: the language and the htmx flag are in the key,
#: and a hit is served only to requests whose cookies are the CSRF and language
#: ones (the token is put in afresh).
VARY_OK = frozenset({"accept-language", "cookie", "hx-request", "accept-encoding"})

#: The view's own headers kept with the body (the middleware adds the rest, on a
#: hit as on a miss).
KEPT_HEADERS = ("Content-Type", "Vary", "Content-Language", "Cache-Control")

_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")

#: Set on a request by a page that may be kept (``allow``), for views such as
#: Wagtail's serve that answer for many kinds of pages.
_ALLOWED = "_page_cache_allowed"


def idea_scope(pk: int) -> str:
    return f"idea:{pk}"


def enabled() -> bool:
    return settings.COCREATE_PAGE_CACHE_SECONDS > 0


# Invalidation -----------------------------------------------------------------


def bump(*scopes: str) -> None:
    """Forget every kept page of ``scopes``: now, and again once the transaction
    commits."""
    if not scopes:
        return
    keys = [GENERATION_KEY.format(scope) for scope in scopes]

    def write() -> None:
        cache.set_many({key: secrets.token_hex(6) for key in keys}, timeout=None)

    write()
    transaction.on_commit(write)


def bump_idea(*idea_ids: int | None, lists: bool = True) -> None:
    scopes = [idea_scope(pk) for pk in idea_ids if pk is not None]
    bump(*([LISTS] if lists else []), *scopes)


def _generations(scopes: Iterable[str]) -> str | None:
    """The scopes' current generations as one string, a new one for a scope that
    has none yet (or was evicted); None when the cache is down (nothing more is
    asked of it) or another request set it first."""
    keys = [GENERATION_KEY.format(scope) for scope in scopes]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            token = new_generation(key)
            if token is None:
                return None
            found[key] = token
    return ".".join(str(found[key]) for key in keys)


def new_generation(key: str) -> str | None:
    """A first token for a generation that has none (or was evicted); None when
    another request set one first or the cache is down."""
    token = secrets.token_hex(6)
    if not cache.add(key, token, timeout=None) or cache_outage.down:
        return None
    return token


# Reading and keeping -------------------------------------------------------------


def _cookies_allow(request: HttpRequest) -> bool:
    allowed = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    return all(name in allowed for name in request.COOKIES)


def _page_key(request: HttpRequest, generations: str) -> str:
    query = sorted((key, sorted(values)) for key, values in request.GET.lists())
    parts = [
        request.get_host(),
        request.path,
        repr(query),
        translation.get_language() or "",
        "htmx" if is_htmx(request) else "",
        generations,
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return PAGE_KEY.format(digest)


def _may_read(request: HttpRequest) -> bool:
    return (
        enabled()
        and request.method in ("GET", "HEAD")
        and _cookies_allow(request)
        and not request.user.is_authenticated
    )


def _wrote_something(request: HttpRequest) -> bool:
    """A message queued or the session written: the page is someone's own."""
    storage = getattr(request, "_messages", None)
    if storage is not None and getattr(storage, "_queued_messages", None):
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.modified)


def _may_keep(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if _wrote_something(request) or request.user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if "private" in cache_control or "no-store" in cache_control:
        return False
    vary = {
        part.strip().lower() for part in response.get("Vary", "").split(",") if part
    }
    return vary <= VARY_OK


def _without_secrets(request: HttpRequest, body: bytes) -> bytes | None:
    """The body with the request's CSRF tokens and CSP nonce as placeholders, or
    None when it cannot be kept safely."""
    if CSRF_MARK in body or NONCE_MARK in body:
        return None
    secret = request.META.get("CSRF_COOKIE")
    if secret:

        def mark(match: re.Match[bytes]) -> bytes:
            token = match.group(0).decode("ascii")
            return CSRF_MARK if _unmask_cipher_token(token) == secret else match[0]

        body = _TOKEN.sub(mark, body)
    nonce = getattr(request, "_csp_nonce", None)
    if isinstance(nonce, str) and nonce:
        body = body.replace(nonce.encode("ascii"), NONCE_MARK)
    return body


def _keep(request: HttpRequest, response: HttpResponse, key: str) -> None:
    body = _without_secrets(request, response.content)
    if body is None:
        return
    headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
    cache.set(
        key,
        {"body": body, "headers": headers},
        timeout=settings.COCREATE_PAGE_CACHE_SECONDS,
    )


def _served(request: HttpRequest, entry: dict) -> HttpResponse:
    body: bytes = entry["body"]
    if CSRF_MARK in body:
        body = body.replace(CSRF_MARK, get_token(request).encode("ascii"))
    if NONCE_MARK in body:
        nonce = str(getattr(request, "csp_nonce", ""))
        body = body.replace(NONCE_MARK, nonce.encode("ascii"))
    response = HttpResponse(body)
    for name, value in entry["headers"]:
        response[name] = value
    response["X-Cache"] = "hit"
    return response


def _render_turn(key: str) -> bool:
    """True when this request is the one to render the page (or the cache cannot
    tell: a failed ``add`` counts as done, see cocreate.cache)."""
    return bool(cache.add(RENDER_KEY.format(key), 1, timeout=10))


def _wait_for(key: str) -> dict | None:
    """The page another request is rendering, once it is kept; None when that
    render ended without keeping it or took longer than RENDER_WAIT."""
    deadline = time.monotonic() + RENDER_WAIT
    lock = RENDER_KEY.format(key)
    while time.monotonic() < deadline:
        time.sleep(RENDER_POLL)
        found = cache.get_many([key, lock])
        if key in found:
            entry: dict = found[key]
            return entry
        if lock not in found:
            return None
    return None


def idea_scopes(*, pk: int, **kwargs: Any) -> tuple[str, ...]:
    """The scopes of an idea's page (its URL names it ``pk``)."""
    return (idea_scope(pk),)


def list_scopes(**kwargs: Any) -> tuple[str, ...]:
    """The scopes of a page that lists ideas."""
    return (LISTS,)


def allow(request: HttpRequest) -> None:
    """Called by a page that visitors may read from the cache (for views that
    opted in with ``only_if_allowed``)."""
    setattr(request, _ALLOWED, True)


def _rendered(
    request: HttpRequest,
    view: Callable,
    key: str,
    only_if_allowed: bool,
    args: tuple,
    kwargs: dict[str, Any],
) -> Any:
    """The view's answer, kept when it may be."""
    response = view(request, *args, **kwargs)
    if only_if_allowed and not getattr(request, _ALLOWED, False):
        return response
    if getattr(response, "is_rendered", True) is False:
        # A TemplateResponse (Wagtail's pages): rendered now, so its tokens and
        # nonce are known (no middleware here post-processes a template response).
        response.render()
    if _may_keep(request, response):
        _keep(request, response, key)
        response["X-Cache"] = "miss"
    return response


def cached_for_visitors(
    scopes: Callable[..., Iterable[str]] = list_scopes,
    *,
    only_if_allowed: bool = False,
) -> Callable:
    """Serve a visitor's GET of the view from the cache, and keep what it renders.

    ``scopes`` gets the view's URL keyword arguments and names what the page
    shows (``all`` is always added). With ``only_if_allowed``, a response is kept
    only if the page rendered called ``allow`` (Wagtail's serve answers for every
    page, and only some page types opt in)."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not _may_read(request):
                return view(request, *args, **kwargs)
            generations = _generations((ALL, *scopes(**kwargs)))
            if generations is None:
                return view(request, *args, **kwargs)
            key = _page_key(request, generations)
            entry = cache.get(key)
            if entry is not None:
                return _served(request, entry)
            if not _render_turn(key):
                # Someone renders this page now: wait for theirs (one render for
                # a crowd, not one each), or render it if it does not come.
                entry = _wait_for(key)
                if entry is not None:
                    return _served(request, entry)
                return _rendered(request, view, key, only_if_allowed, args, kwargs)
            try:
                return _rendered(request, view, key, only_if_allowed, args, kwargs)
            finally:
                cache.delete(RENDER_KEY.format(key))

        return wrapper

    return decorator


# Receivers ---------------------------------------------------------------------


def _on_idea_event(sender: Any, idea: Any = None, **kwargs: Any) -> None:
    bump_idea(getattr(idea, "pk", None))


def _on_comment_posted(
    sender: Any, comment: Any = None, idea: Any = None, **kwargs: Any
) -> None:
    # The lists show an idea's answered mark: an official answer changes them.
    bump_idea(
        getattr(idea, "pk", None), lists=bool(getattr(comment, "is_official", False))
    )


def _on_content(sender: Any, content: Any = None, **kwargs: Any) -> None:
    # An Idea or a Comment (this module names no model: the models call it).
    if hasattr(content, "idea_id"):
        bump_idea(content.idea_id, lists=content.is_official)
    elif content is not None:
        bump_idea(content.pk)


def _on_merge(
    sender: Any, source: Any = None, target: Any = None, **kwargs: Any
) -> None:
    bump_idea(getattr(source, "pk", None), getattr(target, "pk", None))


def _on_idea_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Edits and imports tell no event; supports update the row without a save.
    bump_idea(instance.pk)


def _on_comment_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    bump_idea(instance.idea_id, lists=instance.is_official)


def _on_everything(sender: Any = None, **kwargs: Any) -> None:
    bump(ALL)


def _on_any_change(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    """A page deleted (a saved draft changes nothing public; publishing is told
    by ``page_published``), or the site's settings (footer, links) saved or
    deleted."""
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.models import Page

    deleted = "created" not in kwargs  # post_delete; post_save says ``created``
    if isinstance(instance, BaseSiteSetting | BaseGenericSetting) or (
        deleted and isinstance(instance, Page)
    ):
        bump(ALL)


def connect_receivers() -> None:
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from ideas import events

    Idea, Comment, Category = (
        apps.get_model("ideas", name) for name in ("Idea", "Comment", "Category")
    )

    uid = "ideas.page_cache.{}".format
    for signal in (events.idea_published, events.idea_status_changed):
        signal.connect(_on_idea_event, dispatch_uid=uid("idea"))
    for signal in (events.idea_promoted, events.idea_shipped):
        signal.connect(_on_idea_event, dispatch_uid=uid("idea"))
    events.comment_posted.connect(_on_comment_posted, dispatch_uid=uid("comment"))
    for signal in (events.content_removed, events.content_restored):
        signal.connect(_on_content, dispatch_uid=uid("content"))
    events.ideas_merged.connect(_on_merge, dispatch_uid=uid("merge"))
    for signal in (events.campaign_access_changed, events.member_content_erased):
        signal.connect(_on_everything, dispatch_uid=uid("everything"))
    for signal in (post_save, post_delete):
        signal.connect(_on_idea_saved, sender=Idea, dispatch_uid=uid("idea-saved"))
        signal.connect(
            _on_comment_saved, sender=Comment, dispatch_uid=uid("comment-saved")
        )
        signal.connect(_on_everything, sender=Category, dispatch_uid=uid("category"))
    # A member gone: their name and avatar leave every page at once.
    post_delete.connect(
        _on_everything, sender=get_user_model(), dispatch_uid=uid("member")
    )
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_on_everything, dispatch_uid=uid("page"))
    for signal in (post_save, post_delete):
        signal.connect(_on_any_change, dispatch_uid=uid("any"))
