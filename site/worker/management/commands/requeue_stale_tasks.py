"""manage.py requeue_stale_tasks: put back to READY the tasks RUNNING for longer
than ``--older-than`` seconds, whose worker died. Run it from cron every few
minutes; our tasks are idempotent, so a task run twice only finishes once."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from cocreate.worker.recovery import requeue_stale


class Command(BaseCommand):
    help = "Requeue background tasks left RUNNING by a worker that died."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=900,
            help="Seconds a task may run before its worker is presumed dead "
            "(more than the longest task takes; default: %(default)s).",
        )

    def handle(self, *args, older_than: int, **options):
        if older_than <= 0:
            raise CommandError("--older-than must be a positive number of seconds.")
        requeued = requeue_stale(older_than=datetime.timedelta(seconds=older_than))
        self.stdout.write(f"tasks requeued: {len(requeued)}")
