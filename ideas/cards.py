"""Idea cards, rendered once and shared by every reader of a language.

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

A page asks the cache once for all its cards and their generations (one
``get_many``) and keeps those it rendered with one ``set_many``; the tags and
images are read (two queries) only when a card must be rendered. Redis down: no
generation can be read, so every card is rendered and nothing is kept.
"""

from __future__ import annotations

from collections.abc import Container, Iterable

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
from ideas.models import Idea
from ideas.selectors import card_prefetches

CARD_KEY = "idea-card:v1:{}:{}"
TEMPLATE = "ideas/_idea_card.html"

#: Where the reader's own state goes in a kept card. Everything a reader wrote is
#: escaped in a card, so no text of theirs can hold it.
SUPPORTED_MARK = mark_safe("<!--idea-card:supported-->")  # noqa: S308 (ours)


def _card_key(pk: int, language: str) -> str:
    return CARD_KEY.format(pk, language)


def _stamp(idea: Idea, everything: str, own: str) -> str:
    return ".".join(
        (
            everything,
            own,
            str(idea.supports_count),
            str(idea.comments_count),
            idea.status,
        )
    )


def _kept(ideas: list[Idea], language: str) -> tuple[dict[int, str], dict[int, str]]:
    """The stamp each card must carry now (ideas whose generation cannot be read
    have none) and the kept cards that carry it."""
    everything_key = page_cache.GENERATION_KEY.format(page_cache.ALL)
    own_keys = {
        idea.pk: page_cache.GENERATION_KEY.format(page_cache.idea_scope(idea.pk))
        for idea in ideas
    }
    card_keys = {idea.pk: _card_key(idea.pk, language) for idea in ideas}
    found = cache.get_many([everything_key, *own_keys.values(), *card_keys.values()])
    everything = found.get(everything_key) or page_cache.new_generation(everything_key)
    if everything is None:
        return {}, {}
    stamps: dict[int, str] = {}
    cards: dict[int, str] = {}
    for idea in ideas:
        own = found.get(own_keys[idea.pk]) or page_cache.new_generation(
            own_keys[idea.pk]
        )
        if own is None:
            continue
        stamps[idea.pk] = _stamp(idea, str(everything), str(own))
        entry = found.get(card_keys[idea.pk])
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == stamps[idea.pk]:
            cards[idea.pk] = entry[1]
    return stamps, cards


def _rendered(ideas: list[Idea], request: HttpRequest | None) -> dict[int, str]:
    """The cards of ``ideas``, rendered with their tags and images read at once
    (no query when the list prefetched them)."""
    prefetch_related_objects(ideas, *card_prefetches())
    template = get_template(TEMPLATE)
    # No context processor runs for a card: it shows nothing of the reader's.
    return {
        idea.pk: template.render(
            {"idea": idea, "request": request, "supported_mark": SUPPORTED_MARK}
        )
        for idea in ideas
    }


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
    stamps: dict[int, str] = {}
    cards: dict[int, str] = {}
    if page_cache.enabled():
        stamps, cards = _kept(ideas, language)
    missing = [idea for idea in ideas if idea.pk not in cards]
    if missing:
        rendered = _rendered(missing, request)
        cards.update(rendered)
        keep = {
            _card_key(pk, language): (stamps[pk], html)
            for pk, html in rendered.items()
            if pk in stamps
        }
        if keep:
            cache.set_many(keep, timeout=settings.COCREATE_PAGE_CACHE_SECONDS)
    supported = format_html(
        '<span class="you-support">{}</span>', _("You support this")
    )
    return mark_safe(  # noqa: S308 (cards rendered by our template, escaped)
        "".join(
            cards[idea.pk].replace(
                SUPPORTED_MARK, supported if idea.pk in supported_ids else ""
            )
            for idea in ideas
        )
    )
