"""Wagtail's history (see ``cocreate.retention``): the brand's audit trail of pages
and records (moderation, payouts, consents), kept for good unless the operator
sets a number of days."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from wagtail.models import ModelLogEntry, PageLogEntry

from cocreate import retention


def model_log(cutoff: datetime.datetime) -> QuerySet[ModelLogEntry]:
    return ModelLogEntry.objects.filter(timestamp__lt=cutoff)


def page_log(cutoff: datetime.datetime) -> QuerySet[PageLogEntry]:
    return PageLogEntry.objects.filter(timestamp__lt=cutoff)


def register_policies() -> None:
    # Two tables, one setting: both are "the admin's history".
    retention.register("admin_log", "back-office history of records", model_log)
    retention.register(
        "admin_log_pages",
        "back-office history of pages",
        page_log,
        setting="admin_log",
    )
