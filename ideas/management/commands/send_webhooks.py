from django.core.management.base import BaseCommand

from ideas.integrations.tasks import send_due


class Command(BaseCommand):
    help = (
        "Attempt every webhook delivery that is due (new ones the queue missed and "
        "retries). Run it from cron every minute."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=500,
            help="At most this many deliveries per run (default 500).",
        )

    def handle(self, *args, **options):
        counts = send_due(limit=options["limit"])
        summary = ", ".join(f"{name}: {count}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"webhook deliveries: {summary}"))
