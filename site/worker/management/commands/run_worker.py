"""manage.py run_worker: django-tasks-db's ``db_worker``, with the same options,
that survives a database restart (waits with back-off and goes on) and, on
start, requeues what a dead predecessor with the same ``--worker-id`` left
RUNNING. Give each worker a stable id (``--worker-id "$(hostname)-1"``)."""

from __future__ import annotations

from django_tasks_db.management.commands import db_worker

from cocreate.worker.recovery import ResilientWorker


class Command(db_worker.Command):
    help = (
        "Run the background task worker; it outlives database restarts and "
        "requeues the tasks its predecessor under the same --worker-id left running."
    )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        worker = ResilientWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        worker.configure_signals()
        worker.run()
