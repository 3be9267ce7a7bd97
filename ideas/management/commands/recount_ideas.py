from django.core.management.base import BaseCommand

from ideas.counters import recount_ideas


class Command(BaseCommand):
    help = "Recompute every idea's supports, comments, followers and hot score."

    def handle(self, *args, **options):
        fixed = recount_ideas()
        self.stdout.write(self.style.SUCCESS(f"ideas corrected: {fixed}"))
