"""Tasks left RUNNING by a worker that died (kill -9, a deploy's stop timeout, a
lost machine) go back to READY, so another worker runs them again.

django-tasks-db marks a task RUNNING with the claiming worker's id and has no
heartbeat, so a task whose worker is gone would stay RUNNING for ever. Every
task of ours is idempotent (keys per event and recipient, rows marked sent), so
running one again only finishes it.
"""

from __future__ import annotations

import datetime
import logging
import random
import time
from collections.abc import Callable

from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
    transaction,
)
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

#: Longest wait between two tries to reach the database again.
MAX_BACKOFF_SECONDS = 60.0
#: A loop that ran this long before failing was healthy: start the back-off over.
HEALTHY_SECONDS = 60.0


@transaction.atomic
def requeue_stale(*, older_than: datetime.timedelta) -> list[str]:
    """Put back to READY the tasks RUNNING for longer than ``older_than`` (their
    worker is presumed gone: pick a value above the longest task's run time).
    Returns their ids."""
    cutoff = timezone.now() - older_than
    stale = list(
        DBTaskResult.objects.running()
        .filter(started_at__lt=cutoff)
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)
    )
    _requeue(stale)
    return [str(pk) for pk in stale]


@transaction.atomic
def requeue_own(worker_id: str) -> list[str]:
    """Put back to READY the tasks this worker id left RUNNING: a worker that
    starts (or reconnects) under a stable id runs nothing yet, so whatever
    RUNNING task it last claimed was cut short by its predecessor's death."""
    running = DBTaskResult.objects.running().select_for_update(skip_locked=True)
    mine = [
        pk
        for pk, worker_ids in running.values_list("pk", "worker_ids")
        if worker_ids and worker_ids[-1] == worker_id
    ]
    _requeue(mine)
    return [str(pk) for pk in mine]


def _requeue(ids: list) -> None:
    if not ids:
        return
    DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY
    )
    for pk in ids:
        logger.warning("Task %s was left running by a dead worker: requeued", pk)


def _close_connections() -> None:
    """Drop every connection; the next query opens a fresh one."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except (OperationalError, InterfaceError):
            connection.connection = None  # broken already: nothing left to close


class ResilientWorker(Worker):
    """django-tasks-db's worker loop that waits for the database instead of
    exiting when PostgreSQL restarts or the connection drops."""

    def __init__(
        self, *, sleep: Callable[[float], None] = time.sleep, **options
    ) -> None:
        super().__init__(**options)
        self._sleep = sleep
        self.reconnects = 0

    def run(self) -> None:
        self._recover()
        delay = 1.0
        while self.running:
            started = time.monotonic()
            try:
                super().run()
                return
            except (OperationalError, InterfaceError) as error:
                if time.monotonic() - started > HEALTHY_SECONDS:
                    delay = 1.0
                self.reconnects += 1
                logger.warning(
                    "Database unavailable (%s); trying again in %.0f s", error, delay
                )
                _close_connections()
                self._sleep(delay + random.random())  # noqa: S311 - jitter only
                delay = min(delay * 2, MAX_BACKOFF_SECONDS)
                self._recover()

    def _recover(self) -> None:
        """A task cut short by the lost connection is still RUNNING under our id;
        put it back (if the database answers yet; else on the next try)."""
        try:
            close_old_connections()
            requeue_own(self.worker_id)
        except (OperationalError, InterfaceError):
            logger.warning("Database unavailable; will requeue our tasks later")
