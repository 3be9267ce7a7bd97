"""manage.py send_digests: the daily email of what each member chose to get daily.
Run it once a day (cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from cocreate.notifications.services import send_digests


class Command(BaseCommand):
    help = "Email each member the notifications waiting for their daily digest."

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"digests sent: {sent}")
