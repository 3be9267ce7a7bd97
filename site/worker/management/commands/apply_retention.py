"""manage.py apply_retention [--dry-run]: delete what is older than the retention
settings (COCREATE_RETENTION_DAYS), in batches, and print what each policy
deleted. Run it daily from cron; a second run the same day deletes nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cocreate import retention


class Command(BaseCommand):
    help = "Delete logs, read notifications, unconfirmed accounts and finished "
    help += "task results older than the retention settings."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be deleted, delete nothing.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help="Rows deleted per transaction (default: RETENTION_BATCH_SIZE).",
        )

    def handle(self, *args, dry_run: bool, batch_size: int | None, **options):
        if batch_size is not None and batch_size <= 0:
            raise CommandError("--batch-size must be a positive number.")
        verb = "would delete" if dry_run else "deleted"
        for outcome in retention.apply_all(dry_run=dry_run, batch_size=batch_size):
            if outcome.days <= 0:
                self.stdout.write(f"{outcome.name}: kept for good")
                continue
            line = (
                f"{outcome.name}: {verb} {outcome.deleted} "
                f"{outcome.description} older than {outcome.days} days"
            )
            if outcome.kept:
                line += f" ({outcome.kept} still needed, kept)"
            self.stdout.write(line)
