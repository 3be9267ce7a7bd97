"""Translated pages, one URL per page.

Editors translate a page with Wagtail (``wagtail.contrib.simple_translation``):
the translation is a copy in the French tree. Visitors never see that tree's
addresses. A request is routed through the default-language tree only, so an
English-only page is found for a French visitor too; the page found is then
shown in the visitor's language when a live translation exists, else as it is.

A translation keeps its source's slug (so Wagtail's own ``page.url`` of a
translation is its source's address) and is, for everything that is not its
text, its source: its privacy rules, its ideas, its dates (``source``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page, Site

#: The languages a page (its translation key) is live in.
LIVE_LANGUAGES_KEY = "pages:live-languages:v1:{}"


def forget_live_languages(sender=None, instance=None, **kwargs) -> None:
    """Receiver: a page was published, unpublished or deleted."""
    key = getattr(instance, "translation_key", None)
    if key is not None:
        name = LIVE_LANGUAGES_KEY.format(key)
        cache.delete(name)
        transaction.on_commit(lambda: cache.delete(name))


def default_language() -> str:
    """The language of the tree pages are routed through (``LANGUAGE_CODE``)."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def active_language() -> str:
    """The active language as a content language, ``""`` if pages have none."""
    try:
        return get_supported_content_language_variant(
            translation.get_language() or settings.LANGUAGE_CODE
        )
    except LookupError:
        return ""


class TranslatedPageMixin:
    """For every page model of the site: routing, serving and the slug rule."""

    @cached_property
    def source(self) -> Page:
        """This page in the default language: itself, or the page it translates
        (itself if that page is gone)."""
        if self.locale.language_code == default_language():
            return self
        found = (
            type(self)
            .objects.filter(
                translation_key=self.translation_key,
                locale__language_code=default_language(),
            )
            .first()
        )
        return found or self

    @property
    def is_translation(self) -> bool:
        return self.source.pk != self.pk

    def route(self, request, path_components):
        # Wagtail starts at the site's root page *in the visitor's language*:
        # start again at the default-language root, whose tree has every page.
        site = Site.find_for_request(request)
        if (
            site is not None
            and self.pk != site.root_page_id
            and self.translation_key == site.root_page.translation_key
        ):
            return site.root_page.specific.route(request, path_components)
        return super().route(request, path_components)

    def serve(self, request, *args, **kwargs):
        # Routing found the default-language page, and Wagtail checked its
        # privacy; show its live translation in the visitor's language if any.
        shown = self.shown_to(request)
        if shown.pk != self.pk:
            return shown.serve(request, *args, **kwargs)
        return super().serve(request, *args, **kwargs)

    def shown_to(self, request) -> Page:
        """The page a visitor of this address reads: its live translation in the
        active language, else itself. Translations are shown as they are (an
        editor's preview). No query for the default language, one otherwise."""
        memo = getattr(self, "_shown", None)
        if memo is not None and memo[0] == id(request):
            return memo[1]
        shown: Page = self
        site = Site.find_for_request(request)
        if site is not None and self.locale_id == site.root_page.locale_id:
            self.__dict__["source"] = self
            language = active_language()
            if language and language != default_language():
                found = (
                    type(self)
                    .objects.live()
                    .filter(
                        translation_key=self.translation_key,
                        locale__language_code=language,
                    )
                    .first()
                )
                if found is not None:
                    found.__dict__["source"] = self
                    found._shown = (id(request), found)
                    shown = found
        # Remembered for this request only: the same page object in another
        # request (or language) is asked again.
        self._shown = (id(request), shown)
        return shown

    def live_languages(self) -> list[str]:
        """The languages this page is live in, default first: cached (every page
        shows its alternates), forgotten when one of them is published,
        unpublished or deleted."""
        source = self.source
        key = LIVE_LANGUAGES_KEY.format(source.translation_key)
        languages = cache.get(key)
        if languages is None:
            codes = set(
                Page.objects.live()
                .filter(translation_key=source.translation_key)
                .values_list("locale__language_code", flat=True)
            )
            first = default_language()
            languages = sorted(codes, key=lambda code: (code != first, code))
            cache.set(key, languages, timeout=3600)
        return languages

    def clean(self) -> None:
        super().clean()
        if self.locale_id is None:
            return
        source = self.source
        if source.pk == self.pk or source.slug == self.slug:
            return
        # A site's home is no part of any address (and shares its parent with
        # its translations, so Wagtail gives each its own slug).
        if not Site.objects.filter(root_page_id=source.pk).exists():
            raise ValidationError(
                {
                    "slug": _(
                        "A translation keeps the address of the page it translates: "
                        "the slug must stay “%(slug)s”."
                    )
                    % {"slug": source.slug}
                }
            )


def in_default_language(queryset):
    """Only the default-language pages of ``queryset``: those ideas, rules and
    addresses name (their translations are their text in another language)."""
    return queryset.filter(locale__language_code=default_language())


def with_translated_text(pages: list, fields: tuple[str, ...] = ("title",)) -> list:
    """``pages`` (default-language pages) with the text ``fields`` of their live
    translation in the active language, for menus and lists: one query, none in
    the default language. The pages are display copies: never save them."""
    language = active_language()
    if not pages or not language or language == default_language():
        return pages
    model = type(pages[0])
    rows = (
        model.objects.live()
        .filter(
            translation_key__in=[page.translation_key for page in pages],
            locale__language_code=language,
        )
        .values_list("translation_key", *fields)
    )
    texts = {key: values for key, *values in rows}
    for page in pages:
        for field, value in zip(
            fields, texts.get(page.translation_key, ()), strict=False
        ):
            if value:
                setattr(page, field, value)
    return pages


def translated_titles(urls: list[str]) -> dict[str, str]:
    """For the addresses of default-language pages of the default site (such as
    ``/terms/``), the titles of their live translations in the active language:
    for links recorded by address (the footer's legal links). Two queries, none
    in the default language."""
    language = active_language()
    if not urls or not language or language == default_language():
        return {}
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return {}
    root = site.root_page.url_path
    paths = {
        root + (f"{url.strip('/')}/" if url.strip("/") else ""): url
        for url in urls
        if url.startswith("/")
    }
    sources = Page.objects.filter(
        url_path__in=paths, locale__language_code=default_language()
    ).values_list("url_path", "translation_key")
    urls_by_key = {key: paths[path] for path, key in sources}
    rows = (
        Page.objects.live()
        .filter(translation_key__in=urls_by_key, locale__language_code=language)
        .values_list("translation_key", "title")
    )
    return {urls_by_key[key]: title for key, title in rows}
