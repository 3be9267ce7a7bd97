"""Daily: erase the accounts whose grace period ended, delete expired downloads
and build the downloads whose task was lost (docs/privacy.md)."""

import datetime

from django.core.management.base import BaseCommand

from cocreate.privacy import erasure, exports


class Command(BaseCommand):
    help = (
        "Erase the accounts whose grace period ended, delete expired data "
        "downloads and build the downloads still waiting for their task."
    )

    def handle(self, *args, **options):
        built = exports.build_pending(older_than=datetime.timedelta(minutes=15))
        expired = exports.expire_exports()
        done, failed = erasure.apply_due()
        self.stdout.write(
            f"erased: {done}, failed: {failed}, downloads built: {built}, "
            f"downloads expired: {expired}"
        )
        if failed:
            raise SystemExit(1)
