"""Text the site writes for others to read later (notifications, ledger reasons,
timeline notes) is stored in the site's language, never in the language of
whoever happened to cause it."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def in_site_language():
    """``with in_site_language(): ...`` or ``@in_site_language()``."""
    return translation.override(settings.LANGUAGE_CODE)
