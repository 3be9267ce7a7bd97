"""What an erased member is called, for the apps that replace their name."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from cocreate.i18n import in_site_language


def former_member_name(member: Any) -> str:
    """Stored, not translated at display: in the site's language, like other
    text the site writes for everyone (cocreate.i18n)."""
    with in_site_language():
        return gettext("Former member #%(id)s") % {"id": member.pk}
