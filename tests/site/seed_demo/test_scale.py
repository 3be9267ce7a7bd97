"""The seed at a brand's scale takes the same path as `make bench-http`'s
100,000 ideas: supports written in slices as they are drawn, ideas indexed in
slices. Here at a tiny size, with tiny slices, so every slice boundary is hit."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.utils import timezone

from cocreate.demo import activity, points, search_index
from cocreate.demo.context import Demo
from cocreate.demo.points import import_points_history
from cocreate.members.models import User
from ideas.counters import recount_ideas
from ideas.models import Follow, Idea, Support
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
