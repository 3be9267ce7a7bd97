"""manage.py recount_ideas: recompute every idea's counters from the rows they count.

With ``--check`` nothing is written: the command says which counters disagree and
exits non-zero when any does, so a restore check or a cron job can alert.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from ideas import trending
from ideas.counters import recount_ideas
from ideas.models import Idea

COUNTERS = (
    "supports_count",
    "comments_count",
    "followers_count",
    "hot_score",
    "recent_supports",
)


class _Rollback(Exception):
    """Leaves the check's transaction, so the recount it ran is undone."""


def _counters() -> dict[int, tuple]:
    return {row[0]: row[1:] for row in Idea.objects.values_list("pk", *COUNTERS)}


class Command(BaseCommand):
    help = (
        "Recompute every idea's supports, comments, followers, hot score and "
        "supports of the trending window."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="write nothing; list the wrong counters and exit 1 if there are any",
        )

    def handle(self, *args, **options):
        if not options["check"]:
            fixed = recount_ideas()
            self.stdout.write(self.style.SUCCESS(f"ideas corrected: {fixed}"))
            return
        # The very recount that would fix the counters decides what is wrong: it
        # runs in a transaction that is always rolled back.
        try:
            with transaction.atomic():
                # Days that left the window since the last refresh are late, not
                # wrong: take them out first (rolled back with the rest).
                trending.refresh()
                before = _counters()
                wrong = recount_ideas()
                after = _counters()
                raise _Rollback
        except _Rollback:
            pass
        for pk, old in before.items():
            new = after.get(pk, old)
            for name, was, should in zip(COUNTERS, old, new, strict=True):
                if was != should:
                    self.stderr.write(f"idea {pk}: {name} is {was}, should be {should}")
        self.stdout.write(f"ideas with a wrong counter: {wrong} (nothing written)")
        if wrong:
            raise SystemExit(1)
