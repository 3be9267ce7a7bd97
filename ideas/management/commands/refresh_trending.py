"""manage.py refresh_trending: take the days that left the trending window out of
every idea's week of supports. Cheap (it touches only ideas supported on those
days) and idempotent; run it hourly (docs/operations.md)."""

from django.core.management.base import BaseCommand

from ideas import trending


class Command(BaseCommand):
    help = "Subtract the supports of days that left the trending window."

    def handle(self, *args, **options):
        changed = trending.refresh()
        self.stdout.write(f"ideas refreshed: {changed}")
