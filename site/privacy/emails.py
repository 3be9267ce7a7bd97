"""Emails about a member's own data, each in the recipient's language.

``member_language`` is the one place that chooses it: the site's language until
members store their own (then it reads that field).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def member_language(member: Any) -> str:
    from cocreate.i18n import language_of  # the site's one choice of language

    return language_of(member)


def absolute(url: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def send(member: Any, template: str, context: dict[str, Any]) -> bool:
    """Render ``privacy/email/<template>.txt`` (and ``.html``) for the member and
    send it; a failure is logged, never raised: the privacy page shows the same."""
    with translation.override(member_language(member)):
        context = {
            **context,
            "member": member,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "privacy_url": absolute("/accounts/privacy/"),
        }
        subject = render_to_string(f"privacy/email/{template}_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split())[:180],
            body=render_to_string(f"privacy/email/{template}.txt", context),
            to=[member.email],
        )
    try:
        message.send()
    except Exception:  # noqa: BLE001 - any mail backend's error
        logger.exception("Could not send the privacy email %s", template)
        return False
    return True
