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
