"""Finished task results are kept for a while (see ``cocreate.retention``)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cocreate import retention


def finished_task_results(cutoff: datetime.datetime) -> QuerySet[DBTaskResult]:
    """Tasks that succeeded or failed before ``cutoff``; waiting and running
    ones stay."""
    return DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=cutoff,
    )


def register_policies() -> None:
    retention.register(
        "task_results", "finished background tasks", finished_task_results
    )
