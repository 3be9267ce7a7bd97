"""``{% page_alternates %}``: a page's canonical address and, once it has a live
translation, its hreflang alternates; ``{% translated_title page %}``: a page's
title in the visitor's language.

One URL per page: the alternates are that URL with ``?hl=`` (see
``MemberLanguageMiddleware``), and ``x-default`` is the plain URL, which serves
each visitor their own language. The canonical address of a ``?hl=`` page is
itself, so search engines index each language.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from cocreate.members.middleware import HL_PARAMETER, one_request_language
from cocreate.page_translations import (
    TranslatedPageMixin,
    active_language,
    default_language,
)

register = template.Library()


def _with_language(url: str, language: str) -> str:
    return f"{url}?{urlencode({HL_PARAMETER: language})}"


@register.simple_tag(takes_context=True)
def page_alternates(context) -> SafeString:
    page = context.get("page")
    request = context.get("request")
    if request is None or not isinstance(page, TranslatedPageMixin):
        return mark_safe("")  # noqa: S308 (nothing)
    source = page.source
    path = source.get_url(request)
    if not path:
        return mark_safe("")  # noqa: S308 (nothing)
    url = request.build_absolute_uri(path)
    language = one_request_language(request)
    canonical = _with_language(url, language) if language else url
    links = [("canonical", "", canonical)]
    languages = source.live_languages()
    if len(languages) > 1:
        links += [("alternate", code, _with_language(url, code)) for code in languages]
        links.append(("alternate", "x-default", url))
    return format_html_join(
        "\n",
        '<link rel="{}"{} href="{}">',
        (
            (rel, format_html(' hreflang="{}"', hreflang) if hreflang else "", href)
            for rel, hreflang, href in links
        ),
    )


#: Per request: {translation key: title} of the live pages in the active language.
_TITLES_ATTR = "_cocreate_translated_titles"


@register.simple_tag(takes_context=True)
def translated_title(context, page) -> str:
    """``{% translated_title idea.campaign %}``: the page's title in the active
    language (its live translation's), for links to a page from lists and cards.
    One query per request in another language than the default, none in it."""
    title = getattr(page, "title", "")
    language = active_language()
    request = context.get("request")
    if not title or not language or language == default_language():
        return title
    titles = getattr(request, _TITLES_ATTR, None)
    if titles is None:
        titles = dict(
            Page.objects.live()
            .filter(locale__language_code=language)
            .values_list("translation_key", "title")
        )
        if request is not None:
            setattr(request, _TITLES_ATTR, titles)
    return titles.get(page.translation_key, title)
