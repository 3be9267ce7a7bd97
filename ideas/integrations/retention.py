"""Finished webhook deliveries are kept for a while (see ``cocreate.retention``)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from cocreate import retention
from ideas.models import DeliveryStatus, WebhookDelivery


def finished_deliveries(cutoff: datetime.datetime) -> QuerySet[WebhookDelivery]:
    """Delivered or given up before ``cutoff``; pending and retrying ones stay."""
    return WebhookDelivery.objects.filter(
        status__in=[DeliveryStatus.DELIVERED, DeliveryStatus.FAILED],
        created_at__lt=cutoff,
    )


def register_policies() -> None:
    retention.register(
        "webhook_deliveries", "finished webhook deliveries", finished_deliveries
    )
