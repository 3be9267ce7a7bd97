"""Which language text is written in.

Text the site stores for others to read later (ledger reasons, timeline notes) is
stored in the site's language, never in the language of whoever happened to cause
it. What is written *to* a member (an email, a notification) is written in their
own language: ``language_of(member)``, the one place that chooses it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.text import format_lazy


def in_site_language():
    """``with in_site_language(): ...`` or ``@in_site_language()``."""
    return translation.override(settings.LANGUAGE_CODE)


def site_language() -> str:
    """The site's language: the default of what is stored without one."""
    return str(settings.LANGUAGE_CODE)


def written_in(code: str | None = None) -> str:
    """The language new text is recorded in: ``code`` if offered, else the
    language of the request that writes it."""
    return supported(code) or supported(translation.get_language()) or site_language()


def supported(code: str | None) -> str:
    """``code`` if the site offers it (``fr-ca`` counts as ``fr``), else ``""``."""
    if not code:
        return ""
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return ""


def language_of(member: Any) -> str:
    """The language to write to this member in: their choice, else the site's."""
    return supported(getattr(member, "language", "")) or settings.LANGUAGE_CODE


def in_language_of(member: Any):
    """``with in_language_of(member): ...`` around an email or a notice to them."""
    return translation.override(language_of(member))


# Brand content in each language ---------------------------------------------
#
# What the brand writes for members (categories, rewards, badges, levels, hiding
# reasons) has its source text in the site's language and, next to each
# translatable field, one column per other language: ``name_fr`` beside
# ``name``, made by ``translation_of``. A blank translation falls back to the
# source text. ``obj.i18n.name`` (templates: ``{{ obj.i18n.name }}``) is the one
# way to read it: the text in the active language.


#: The languages brand content has columns for (``name_fr`` beside ``name``).
TRANSLATED_CODES = ("fr",)


def translation_of(field: Any, code: str = TRANSLATED_CODES[0]) -> Any:
    """The column holding ``field``'s text in language ``code``: same type and
    length, optional, labelled e.g. "name (French)". Declare it as
    ``name_fr = translation_of(name)``."""
    _name, _path, args, kwargs = field.deconstruct()
    for key in ("unique", "db_index", "default", "help_text", "choices"):
        kwargs.pop(key, None)
    label = dict(settings.LANGUAGES).get(code, code)
    kwargs["verbose_name"] = format_lazy("{} ({})", field.verbose_name, label)
    kwargs["blank"] = True
    kwargs["default"] = ""
    return type(field)(*args, **kwargs)


def translated(obj: Any, field: str, language: str | None = None) -> str:
    """``obj.<field>`` in ``language`` (default: the active one), else the
    source text when that language has no translation."""
    source = getattr(obj, field)
    code = supported(language) or supported(translation.get_language())
    if not code or code == site_language():
        return source
    return getattr(obj, f"{field}_{code}", "") or source


class _InLanguage:
    __slots__ = ("_obj", "_language")

    def __init__(self, obj: Any, language: str | None) -> None:
        self._obj = obj
        self._language = language

    def __getattr__(self, field: str) -> str:
        if field not in type(self._obj).translated_fields:
            raise AttributeError(field)
        return translated(self._obj, field, self._language)


class Translatable:
    """Model mixin: list the fields that have translations in
    ``translated_fields``; read them with ``obj.i18n.<field>``."""

    translated_fields: tuple[str, ...] = ()

    @property
    def i18n(self) -> _InLanguage:
        """The translated fields in the active language."""
        return _InLanguage(self, None)

    def in_language(self, language: str | None) -> _InLanguage:
        """The translated fields in ``language`` (an email to a member)."""
        return _InLanguage(self, language)


def translated_panels(*fields: str) -> list:
    """Admin panels: each field followed by its translations."""
    from wagtail.admin.panels import FieldPanel

    # The columns the models declare (``translation_of``'s), whatever the
    # site's language: on a French site ``name_en`` does not exist.
    codes = TRANSLATED_CODES
    return [
        FieldPanel(name)
        for field in fields
        for name in (field, *(f"{field}_{code}" for code in codes))
    ]


def lang_attribute(code: str | None) -> str:
    """`` lang="fr"`` for text written in another language than the page's, so
    screen readers and hyphenation read it right; else nothing."""
    code = supported(code)
    if not code or code == (supported(translation.get_language()) or site_language()):
        return ""
    return format_html(' lang="{}"', code)
