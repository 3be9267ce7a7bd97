"""Notifications in a member's download, and what their erasure removes:
registered with ``cocreate.privacy`` from ``NotificationsConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from cocreate.i18n import in_site_language
from cocreate.notifications.models import Digest, Notification, Preference
from cocreate.privacy.names import former_member_name
from cocreate.privacy.registry import register_eraser, register_exporter
from ideas import events

#: Shorter names are too common to replace inside other people's notices.
MIN_NAME_LENGTH = 3


def export_notifications(member: Any) -> dict[str, Any]:
    return {
        "notifications": list(
            Notification.objects.filter(recipient=member)
            .order_by("created_at", "pk")
            .values(
                "kind", "title", "body", "url", "created_at", "read_at", "emailed_at"
            )
        ),
        "preferences": dict(
            Preference.objects.filter(member=member).values_list("kind", "channel")
        ),
    }


def erase(member: Any, keep_content: bool) -> None:
    """The member's own notices go; other members' notices that name them
    ("Alice replied to your comment") name the former member instead."""
    Notification.objects.filter(recipient=member).delete()
    Preference.objects.filter(member=member).delete()
    Digest.objects.filter(member=member).delete()
    name = (member.display_name or "").strip()
    if len(name) < MIN_NAME_LENGTH:
        return
    placeholder = former_member_name(member)
    naming = Notification.objects.filter(
        Q(title__contains=name) | Q(body__contains=name)
    )
    for notification in naming.iterator():
        notification.title = notification.title.replace(name, placeholder)[:200]
        notification.body = notification.body.replace(name, placeholder)
        notification.save(update_fields=["title", "body"])


def forget_erased_content(
    sender: Any, member: Any, urls: list[str], titles: list[str], **kwargs: Any
) -> None:
    """Receiver of ``member_content_erased``: other members' notices about the
    removed ideas and comments (which quote their titles and words) say only
    that the content was removed."""
    about = Q(url__in=urls)
    for url in urls:
        if "#" not in url:  # an idea: its comments and replies too
            about |= Q(url__startswith=f"{url}#") | Q(url__startswith=f"{url}?")
    for title in titles:
        if len(title) >= MIN_NAME_LENGTH:
            about |= Q(title__contains=title) | Q(body__contains=title)
    with in_site_language():
        neutral = _("Content removed by its author.")
    Notification.objects.filter(about).update(title=neutral, body="")


def register() -> None:
    register_exporter("notifications", export_notifications)
    register_eraser("notifications", erase)
    events.member_content_erased.connect(
        forget_erased_content, dispatch_uid="notifications.forget_erased_content"
    )
