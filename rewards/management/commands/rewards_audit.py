"""manage.py rewards_audit: recompute every wallet from the ledger and say what
disagrees. Exits non-zero when anything does, so a cron job or CI can alert."""

from django.core.management.base import BaseCommand

from rewards.audit import run_audit


class Command(BaseCommand):
    help = "Check every wallet against its ledger entries and the ledger's rules."

    def handle(self, *args, **options):
        report = run_audit()
        for discrepancy in report.discrepancies:
            self.stderr.write(str(discrepancy))
        self.stdout.write(report.summary())
        if not report.clean:
            raise SystemExit(1)
