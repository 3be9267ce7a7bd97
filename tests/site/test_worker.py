"""The task worker: tasks whose worker died are requeued, and the worker loop
outlives a dropped database connection."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from cocreate.worker import recovery

DATABASE_TASKS = override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
)
RAN: list[str] = []


@task()
def remember(value: str) -> str:
    RAN.append(value)
    return value


def claimed(value: str, *, worker_id: str, minutes_ago: int) -> DBTaskResult:
    """A task a worker took ``minutes_ago`` and never finished."""
    result = remember.enqueue(value)
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker_id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return row


def status_of(row: DBTaskResult) -> str:
    return DBTaskResult.objects.get(pk=row.pk).status


@DATABASE_TASKS
def test_a_task_left_running_by_a_dead_worker_is_requeued(db):
    stale = claimed("stale", worker_id="dead", minutes_ago=30)
    busy = claimed("busy", worker_id="alive", minutes_ago=1)

    call_command("requeue_stale_tasks", "--older-than", "600")

    assert status_of(stale) == TaskResultStatus.READY
    assert status_of(busy) == TaskResultStatus.RUNNING


@DATABASE_TASKS
def test_a_worker_starting_under_its_old_id_requeues_what_it_left(db):
    mine = claimed("mine", worker_id="web-1", minutes_ago=1)
    other = claimed("other", worker_id="web-2", minutes_ago=1)

    assert recovery.requeue_own("web-1") == [str(mine.pk)]

    assert status_of(mine) == TaskResultStatus.READY
    assert status_of(other) == TaskResultStatus.RUNNING


def worker(**options) -> recovery.ResilientWorker:
    return recovery.ResilientWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="web-1",
        excluded_queue_names=[],
        sleep=lambda seconds: None,
        **options,
    )


@DATABASE_TASKS
@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_a_dropped_connection_and_runs_the_next_task(
    monkeypatch,
):
    RAN.clear()
    first, second = remember.enqueue("first"), remember.enqueue("second")
    real = DBTaskResultQuerySet.get_locked
    drops = []

    def get_locked(self):
        if not drops:
            drops.append(1)
            raise OperationalError("server closed the connection unexpectedly")
        return real(self)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", get_locked)
    loop = worker()

    loop.run()

    assert loop.reconnects == 1
    assert sorted(RAN) == ["first", "second"]
    for result in (first, second):
        row = DBTaskResult.objects.get(pk=result.id)
        assert row.status == TaskResultStatus.SUCCESSFUL


@DATABASE_TASKS
@pytest.mark.django_db(transaction=True)
def test_a_task_cut_short_by_the_database_going_away_runs_again(monkeypatch):
    RAN.clear()
    result = remember.enqueue("again")
    real = DBTaskResult.set_successful
    failures = []

    def set_successful(self, return_value):
        if not failures:  # the database went away as the task finished
            failures.append(1)
            raise OperationalError("terminating connection due to administrator")
        return real(self, return_value)

    monkeypatch.setattr(DBTaskResult, "set_successful", set_successful)
    real_failed = DBTaskResult.set_failed

    def set_failed(self, exc):
        if isinstance(exc, OperationalError):  # nor can it record the failure
            raise OperationalError("the database system is starting up")
        return real_failed(self, exc)

    monkeypatch.setattr(DBTaskResult, "set_failed", set_failed)

    worker().run()

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert RAN == ["again", "again"]  # idempotent tasks make this harmless
