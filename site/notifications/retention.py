"""Read notifications are kept for a while (see ``cocreate.retention``)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from cocreate import retention
from cocreate.notifications.models import Notification


def read_notifications(cutoff: datetime.datetime) -> QuerySet[Notification]:
    """Read before ``cutoff``; unread ones stay, whatever their age."""
    return Notification.objects.filter(read_at__lt=cutoff)


def register_policies() -> None:
    retention.register("read_notifications", "notifications read", read_notifications)
