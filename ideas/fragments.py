"""Parts of pages rendered once and shared by every reader of a language: idea
cards and the heads of comments.

A card (``ideas/_idea_card.html``) looks the same to everybody who may see the
idea: its title, status, campaign, category, author, counts, tags and first image.
Only "You support this" is the reader's own: the kept card holds a mark there
(``SUPPORTED_MARK``), which each page fills from its ``supported_ids`` (one query
for the whole page, ``selectors.supported_idea_ids``). So members' lists, the home
page and campaigns reuse the cards visitors' pages rendered, and the other way
round, and a page renders only the cards that changed.

Which ideas a page shows is never decided here: its own query chooses them
(``Idea.objects.public(user)`` leaves out the private campaigns the reader may not
see), and a card is found by the idea's id only once that query has listed it.
A private campaign's card says who may see it, never who is reading.

A card is kept under ``idea-card:v1:<id>:<language>`` for
``COCREATE_PAGE_CACHE_SECONDS`` (off with the page cache) with a stamp: the page
cache's generations of ``all`` and ``idea:<id>`` (the events that forget an idea's
pages forget its card: an edit, a status change, a hide, a merge, a comment, a
category, a campaign's title or privacy, a member gone) and the row's supports
count, comment count and status, which the page's query has just read: a support
or a comment shows at once. The author's name and level may be a TTL old, as on
visitors' cached pages.

A comment's head and body (``ideas/_comment_head.html``: avatar, name, level,
time, text) are kept the same way under ``comment-head:v1:<id>:<language>``,
stamped with the generations of ``all`` and its idea's ``idea:<id>`` (a comment
saved, edited, hidden, removed or erased forgets them) and its edit time. What
depends on the reader (whether a pending or hidden comment shows, the edit,
delete, report, reply and moderation tools, their CSRF tokens) is rendered
around it for each request, as before.

A page asks the cache once for all its fragments and their generations (one
``get_many``) and keeps those it rendered with one ``set_many``; a card's tags and
images are read (two queries) only when a card must be rendered. Redis down: no
generation can be read, so everything is rendered and nothing is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Sequence

from django.conf import settings
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ideas import page_cache
from ideas.models import Comment, Idea
from ideas.selectors import card_prefetches

CARD_KEY = "idea-card:v1:{}:{}"
CARD_TEMPLATE = "ideas/_idea_card.html"
COMMENT_KEY = "comment-head:v1:{}:{}"
COMMENT_TEMPLATE = "ideas/_comment_head.html"

#: Where the reader's own state goes in a kept card. Everything a reader wrote is
#: escaped in a card, so no text of theirs can hold it.
SUPPORTED_MARK = mark_safe("<!--idea-card:supported-->")  # noqa: S308 (ours)


def _card_key(pk: int, language: str) -> str:
    return CARD_KEY.format(pk, language)


def _comment_key(pk: int, language: str) -> str:
    return COMMENT_KEY.format(pk, language)


def _shared(
    wanted: Sequence[tuple[str, int, str]],
    render: Callable[[list[int]], list[str]],
) -> list[str]:
    """The fragments ``wanted`` as (key, idea id, state of the row), in order:
    those kept under the current stamp, the others rendered by ``render`` (given
    their positions) and kept."""
    stamps: dict[int, str] = {}
    found: dict = {}
    if page_cache.enabled():
        stamps, found = _stamps(wanted)
    html: list[str | None] = [None] * len(wanted)
    for position, (key, _idea, _state) in enumerate(wanted):
        entry = found.get(key)
        if (
            position in stamps
            and isinstance(entry, tuple)
            and len(entry) == 2
            and entry[0] == stamps[position]
        ):
            html[position] = entry[1]
    missing = [position for position, text in enumerate(html) if text is None]
    if missing:
        keep = {}
        for position, text in zip(missing, render(missing), strict=True):
            html[position] = text
            if position in stamps:
                keep[wanted[position][0]] = (stamps[position], text)
        if keep:
            cache.set_many(keep, timeout=settings.COCREATE_PAGE_CACHE_SECONDS)
    return [text or "" for text in html]


def _stamps(wanted: Sequence[tuple[str, int, str]]) -> tuple[dict[int, str], dict]:
    """Each fragment's stamp now (by position; none for a fragment whose
    generation cannot be read) and what the cache holds, in one ``get_many``."""
    everything_key = page_cache.GENERATION_KEY.format(page_cache.ALL)
    own_keys = {
        idea: page_cache.GENERATION_KEY.format(page_cache.idea_scope(idea))
        for _key, idea, _state in wanted
    }
    found = cache.get_many(
        [everything_key, *own_keys.values(), *(key for key, _i, _s in wanted)]
    )
    everything = found.get(everything_key) or page_cache.new_generation(everything_key)
    if everything is None:
        return {}, {}
    generations: dict[int, str | None] = {}
    stamps: dict[int, str] = {}
    for position, (_key, idea, state) in enumerate(wanted):
        if idea not in generations:
            generations[idea] = found.get(own_keys[idea]) or page_cache.new_generation(
                own_keys[idea]
            )
        own = generations[idea]
        if own is not None:
            stamps[position] = f"{everything}.{own}.{state}"
    return stamps, found


# Idea cards ---------------------------------------------------------------------


def _card_state(idea: Idea) -> str:
    return f"{idea.supports_count}.{idea.comments_count}.{idea.status}"


def _rendered(ideas: list[Idea], request: HttpRequest | None) -> list[str]:
    """The cards of ``ideas``, rendered with their tags and images read at once
    (no query when the list prefetched them)."""
    prefetch_related_objects(ideas, *card_prefetches())
    template = get_template(CARD_TEMPLATE)
    # No context processor runs for a card: it shows nothing of the reader's.
    return [
        template.render(
            {"idea": idea, "request": request, "supported_mark": SUPPORTED_MARK}
        )
        for idea in ideas
    ]


def render_cards(
    ideas: Iterable[Idea],
    *,
    request: HttpRequest | None,
    supported_ids: Container[int] = (),
) -> SafeString:
    """The cards of ``ideas`` in their order, each with the reader's supported
    state (``supported_ids``)."""
    ideas = list(ideas)
    if not ideas:
        return SafeString("")
    language = translation.get_language() or ""
    cards = _shared(
        [(_card_key(idea.pk, language), idea.pk, _card_state(idea)) for idea in ideas],
        lambda positions: _rendered([ideas[p] for p in positions], request),
    )
    supported = format_html(
        '<span class="you-support">{}</span>', _("You support this")
    )
    return mark_safe(  # noqa: S308 (cards rendered by our template, escaped)
        "".join(
            card.replace(SUPPORTED_MARK, supported if idea.pk in supported_ids else "")
            for idea, card in zip(ideas, cards, strict=True)
        )
    )


# Comment heads ------------------------------------------------------------------


def share_comment_heads(
    comments: Iterable[Comment], *, request: HttpRequest | None
) -> None:
    """Sets ``shared_head`` on each comment of a thread and on its replies (the
    prefetched ``replies``): its head and text, kept or rendered."""
    thread: list[Comment] = []
    for comment in comments:
        thread.append(comment)
        thread.extend(comment.replies.all())
    if not thread:
        return
    language = translation.get_language() or ""
    template = get_template(COMMENT_TEMPLATE)

    def render(positions: list[int]) -> list[str]:
        return [
            template.render({"comment": thread[p], "request": request}).strip()
            for p in positions
        ]

    heads = _shared(
        [
            (
                _comment_key(comment.pk, language),
                comment.idea_id,
                str(comment.edited_at and comment.edited_at.timestamp()),
            )
            for comment in thread
        ],
        render,
    )
    for comment, head in zip(thread, heads, strict=True):
        comment.shared_head = mark_safe(head)  # noqa: S308 (our template, escaped)
