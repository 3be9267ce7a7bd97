"""Fill a development site with a brand's demo content (see ``cocreate.demo``).

Pages, campaigns, members and eight weeks of ideas, supports and comments, the
points that history earned, a reward catalogue with redemptions, and the brand and
product teams' work, so the site looks lived in. Every choice comes from a seeded
random.Random, so two empty databases seeded alike hold the same content; each part
is skipped when it is already there, so a second run changes nothing.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone, translation

from cocreate.demo import (
    brand_team,
    members,
    pages,
    panel,
    product_team,
    rewards,
    translations,
)
from cocreate.demo.context import DEFAULT_SEED, DEMO_PASSWORD, LANGUAGES, Demo
from cocreate.demo.ideas import (
    DEFAULT_IDEAS,
    IDEAS_PER_MEMBER,
    SUPPORTS_PER_IDEA,
    seed_ideas,
)
from cocreate.demo.points import import_points_history
from cocreate.members.models import User
from cocreate.page_translations import in_default_language
from cocreate.pages.models import HomePage
from ideas.models import CampaignPage, Comment, Idea, Support

QUIET_EMAIL = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = (
        "Seed demo content: home, charter, FAQ and rules pages, 6 categories, "
        "3 campaigns and a private one for a test panel, 30 members, 120 ideas "
        "with pictures, tags, supports and comments over eight weeks, the points "
        "that history earned (ledger, levels, badges), a reward catalogue with "
        "redemptions, and the accounts member@, moderator@, product@ and "
        "editor@example.com (password cocreate-demo), in the Moderators, Product "
        "team and Editors groups; status timelines, official answers and a "
        "moderation queue; shortlists, scores and R&D records. Idempotent: parts "
        "that exist are left alone. --language fr writes it all in French, for "
        "members who speak French. The pages are published in the other "
        "language too (French translations of the English demo's, English of "
        "the French demo's). Runs only with DEBUG on, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ideas", type=int, default=DEFAULT_IDEAS, help="ideas to create"
        )
        parser.add_argument(
            "--supports",
            type=int,
            default=None,
            help=f"supports in total (default {SUPPORTS_PER_IDEA} per idea); "
            "extra members are created when the set needs them",
        )
        parser.add_argument(
            "--members",
            type=int,
            default=None,
            help=f"members of the community (default one per {IDEAS_PER_MEMBER} "
            "ideas, at least the 30 named ones); more are created when the "
            "supports need them",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="random seed"
        )
        parser.add_argument(
            "--language",
            default="en",
            help="the language the demo is written in: "
            f"{', '.join(LANGUAGES)} (default en, with a few French speakers)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="seed even with DEBUG off (never on a site people use)",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it runs "
                "only with DEBUG=true. Use --force to seed anyway, never on a site "
                "people use."
            )
        language = options["language"]
        if language not in LANGUAGES:
            raise CommandError(
                f"Unknown demo language {language!r}: the demo is written in "
                f"{', '.join(LANGUAGES)}."
            )
        ideas = max(options["ideas"], 0)
        supports = options["supports"]
        supports = ideas * SUPPORTS_PER_IDEA if supports is None else max(supports, 0)
        wanted = options["members"]
        wanted = ideas // IDEAS_PER_MEMBER if wanted is None else max(wanted, 0)
        demo = Demo(
            seed=options["seed"],
            now=timezone.now(),
            today=timezone.localdate(),
            write=self.stdout.write,
            language=language,
        )
        started = time.monotonic()
        # Wagtail logs every page it creates and publishes; the summary is enough.
        wagtail_log = logging.getLogger("wagtail")
        level = wagtail_log.level
        wagtail_log.setLevel(logging.WARNING)
        try:
            # The notifications the seed sends would flood the console; the demo
            # shows them in the bell instead. The seed acts for staff who have not
            # signed in, so the second factor they will set up is not asked yet.
            # What the services write now (notes of a merge, notifications) is
            # in the demo's language too.
            with (
                override_settings(EMAIL_BACKEND=QUIET_EMAIL, COCREATE_STAFF_MFA="none"),
                translation.override(language),
            ):
                # Everything commits together, so a seed cut short leaves nothing.
                with transaction.atomic():
                    self.seed_all(demo, ideas=ideas, supports=supports, wanted=wanted)
                    committing = time.monotonic()
                # PostgreSQL checks the deferred foreign keys of every row now.
                demo.write(f"  commit: {time.monotonic() - committing:.1f} s")
        finally:
            wagtail_log.setLevel(level)
        if connection.vendor == "postgresql":
            # Fresh statistics, so the planner sees a brand's tables as they are
            # now (a benchmark right after the seed is planned as in production).
            with demo.phase("ANALYZE"), transaction.atomic():
                _analyze()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready in {time.monotonic() - started:.1f} s: "
                f"{Idea.objects.count()} ideas, {Support.objects.count()} supports, "
                f"{Comment.objects.count()} comments, "
                f"{User.objects.count()} members, "
                f"{in_default_language(CampaignPage.objects.all()).count()} campaigns."
            )
        )
        self.stdout.write(
            "Log in as member@, moderator@, product@ or editor@example.com "
            f"with the password {DEMO_PASSWORD}."
        )

    def seed_all(self, demo: Demo, *, ideas: int, supports: int, wanted: int) -> None:
        # The site's home, not its translation.
        home = (
            HomePage.objects.filter(sites_rooted_here__is_default_site=True).first()
            or HomePage.objects.first()
        )
        if home is None:
            raise CommandError("There is no home page: run manage.py migrate.")
        if connection.vendor == "postgresql":
            # A batch job: a brand's set has statements longer than the site's
            # timeout (DB_STATEMENT_TIMEOUT_MS) allows a request.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = 0")
        self.check_language(demo.language)
        with demo.phase("pages and members"):
            categories = pages.seed_categories(demo)
            content = pages.seed_content_pages(demo, home)
            pages.seed_home(demo, home, content["charter"])
            pages.seed_legal_pages(demo, home)
            campaigns = pages.seed_campaigns(demo, home, categories)
            accounts = members.seed_accounts(demo)
            named = len(members.member_names(demo.language))
            community = members.seed_members(demo, extra=max(wanted - named, 0))
            members.seed_consents([*accounts.values(), *community])
        demo_member = accounts["member@example.com"]
        # Everything commits together, so the demo member's ideas mark a full seed.
        if Idea.objects.filter(author=demo_member).exists():
            self.stdout.write("Ideas were seeded before; none added.")
        else:
            seed_ideas(
                demo,
                count=ideas,
                supports=supports,
                campaigns=campaigns,
                categories=categories,
                demo_member=demo_member,
                members=community,
            )
        if connection.vendor == "postgresql":
            # Statistics of the rows just written, for the queries that read them.
            with demo.phase("ANALYZE"):
                _analyze()
        # Apart from the ideas, so a site seeded before rewards existed gains them.
        with demo.phase("points and rewards"):
            rewards.seed_rewards(demo, accounts)
        with demo.phase("brand and product teams"):
            self.stdout.write(
                brand_team.seed_brand_team(
                    accounts=accounts,
                    now=demo.now,
                    seed=demo.seed,
                    language=demo.language,
                )
            )
            # After the timelines: the R&D records are dated by them.
            self.stdout.write(
                product_team.seed_product_team(
                    accounts=accounts,
                    now=demo.now,
                    seed=demo.seed,
                    language=demo.language,
                )
            )
        # Last, so the public demo's queue, answers and shortlists stay public;
        # its history is paid like the rest (paid keys are skipped).
        with demo.phase("test panel"):
            campaign, added = panel.seed_panel(demo, home, categories)
            if added:
                import_points_history(
                    demo,
                    idea_ids=list(
                        Idea.objects.filter(campaign=campaign).values_list(
                            "pk", flat=True
                        )
                    ),
                )
        # Last, once every page (the panel's campaign too) is there.
        self.stdout.write(translations.seed_translations(demo, home))

    def check_language(self, language: str) -> None:
        """One demo per database: seeding French over the English demo would add
        a second community beside the first and leave its pages in English. The
        demo member's first idea tells which was seeded (members may change
        their own language)."""
        first = (
            Idea.objects.filter(author__email="member@example.com")
            .order_by("pk")
            .first()
        )
        seeded = first.language if first else language
        if seeded != language:
            raise CommandError(
                f"This database holds the demo in {seeded!r}; seed the {language!r} "
                "one on an empty database (make demo DEMO_LANGUAGE=fr uses "
                "db.fr.sqlite3)."
            )


def _analyze() -> None:
    """ANALYZE the site's tables, inside the caller's transaction, however long
    it takes. Named, not the whole database: a bare ANALYZE also takes the
    cluster's shared catalogs (pg_authid…), which another database's seed
    holds until it commits, so it waited there until the timeout cut it."""
    tables = ", ".join(
        connection.ops.quote_name(name)
        for name in connection.introspection.table_names()
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute(f"ANALYZE {tables}")  # noqa: S608 - the database's names
