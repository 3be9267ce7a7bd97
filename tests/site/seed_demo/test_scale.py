"""The seed at a brand's scale takes the same path as `make bench-http`'s
100,000 ideas: supports written in slices as they are drawn, ideas indexed in
slices. Here at a tiny size, with tiny slices, so every slice boundary is hit."""

from __future__ import annotations

import itertools
import random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, F
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from cocreate import markup
from cocreate.demo import activity, points, search_index
from cocreate.demo import ideas as demo_ideas
from cocreate.demo.context import LANGUAGES, Demo, in_language, render_markdown
from cocreate.demo.points import import_points_history
from cocreate.members.models import User
from ideas.counters import recount_ideas
from ideas.models import Comment, Follow, Idea, Support
from rewards import rules
from rewards.audit import run_audit
from tests.site.seed_demo.helpers import community_ideas, seed


@pytest.mark.slow
def test_sliced_seed_keeps_counters_and_ledger_consistent(db, monkeypatch):
    monkeypatch.setattr(activity, "ROWS_IN_MEMORY", 37)
    monkeypatch.setattr(search_index, "INDEX_SLICE", 7)
    monkeypatch.setattr(points, "FACTS_PER_POSTING", 101)

    seed("--ideas", "50", "--supports", "500")

    assert community_ideas().count() == 50
    assert Support.objects.filter(idea__in=community_ideas()).count() == 500
    rows = dict(
        Support.objects.values("idea").annotate(n=Count("pk")).values_list("idea", "n")
    )
    for pk, supports_count in Idea.objects.values_list("pk", "supports_count"):
        assert supports_count == rows.get(pk, 0), pk
    follows = dict(
        Follow.objects.values("idea").annotate(n=Count("pk")).values_list("idea", "n")
    )
    for pk, followers_count in Idea.objects.values_list("pk", "followers_count"):
        assert followers_count == follows.get(pk, 0), pk
    assert (
        not Support.objects.values("idea", "member")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert recount_ideas() == 0
    report = run_audit()
    assert report.clean, report.discrepancies
    for description, html in Idea.objects.values_list(
        "description", "description_html"
    ):
        assert html == markup.render_markdown(description)
    # The ledger was written a slice at a time, and the test panel's pass read
    # only what its ideas touch: a full pass over the history finds it all paid.
    again = import_points_history(
        Demo(seed=2027, now=timezone.now(), today=timezone.localdate(), write=print)
    )
    assert (again.entries, again.badges) == (0, 0)


def test_members_follow_the_ideas_or_the_flag(db):
    seed("--ideas", "10", "--members", "40")
    # The 30 named members, 10 numbered ones and the demo member.
    assert User.objects.filter(is_staff=False).count() == 41
    assert recount_ideas() == 0


def test_a_key_that_may_name_its_member_is_remembered_across_slices():
    # The idea 288 of the member 288: its first-idea key names the member, and
    # the member's next idea gives it again.
    first_idea = rules.Award(
        trigger="first_idea",
        member_id=288,
        key="first-idea:288",
        source="idea:288",
        memo="",
    )
    support = rules.Award(
        trigger="support_given",
        member_id=5,
        key="support-given:7",
        source="support:7",
        memo="",
    )
    assert not points._own_key(first_idea)
    assert points._own_key(support)


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_a_scaled_seed_on_postgresql_is_consistent_indexed_and_analyzed(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        (started,) = cursor.fetchone()

    seed("--ideas", "300", "--supports", "3000")

    assert Support.objects.filter(idea__in=community_ideas()).count() == 3000
    assert recount_ideas() == 0
    report = run_audit()
    assert report.clean, report.discrepancies
    # Every reply points at a comment of its idea.
    assert not Comment.objects.filter(parent__isnull=False).exclude(
        parent__idea=F("idea")
    )
    # The entries written in SQL are the ones Wagtail's backend writes; the
    # title norms it sets from the index's average title at each insert, so
    # they follow what was indexed before (the pages seeded after moved it).
    from modelsearch.backends.database.postgres.postgres import IndexEntry

    columns = ("object_id", "title", "autocomplete", "body", "title_text")
    entries = IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Idea)
    ).order_by("object_id")
    seeded = list(entries.values_list(*columns, "title_norm"))
    assert len(seeded) == Idea.objects.count()
    get_search_backend().add_bulk(Idea, list(Idea.objects.all()))
    again = list(entries.values_list(*columns, "title_norm"))
    assert [row[:-1] for row in seeded] == [row[:-1] for row in again]
    assert [row[-1] for row in seeded] == pytest.approx(
        [row[-1] for row in again], rel=0.05
    )
    assert set(entries.values_list("body_text", flat=True)) == set(
        Idea.objects.values_list("description", flat=True)
    )
    found = get_search_backend().search("trail shoe", Idea)
    assert found.count() > 0
    # Statistics for the planner once the rows are there.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE relname = ANY(%s) "
            "AND last_analyze >= %s",
            [[Idea._meta.db_table, Support._meta.db_table], started],
        )
        analyzed = {name for (name,) in cursor.fetchall()}
    assert analyzed == {Idea._meta.db_table, Support._meta.db_table}


@pytest.mark.parametrize("language", LANGUAGES)
def test_descriptions_rendered_once_per_template_are_rendered_alike(language):
    rng = random.Random(language)
    products = in_language(language, "PRODUCTS", demo_ideas.PRODUCTS)
    take = in_language(language, "TAKE", demo_ideas.TAKE).format(n=2)
    for category, names in products.items():
        for product, feature in itertools.product(
            range(len(names)), range(len(demo_ideas.FEATURES))
        ):
            name, drawn = demo_ideas.idea_title(language, category, product, feature)
            for title in (drawn, drawn + take):
                text = demo_ideas.describe(rng, name, title, language)
                inert = (name, title[0].lower() + title[1:])
                expected = markup.render_markdown(text)
                assert render_markdown(text, inert=inert) == expected, title
