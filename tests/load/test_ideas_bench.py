"""How fast the idea pages and a support are, on a populated database.

Run with `make bench`. Prints medians; compare ratios between runs, not absolute
numbers, on a shared machine.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cocreate.members.models import User
from ideas import voting
from ideas.counters import recount_ideas
from ideas.models import Idea, IdeaStatus, Support
from ideas.ranking import hot_score
from tests.load.timing import median_ms

IDEAS = 2_000
MEMBERS = 200
SUPPORTS = 20_000
ROUNDS = 15


def _median_ms(action, rounds: int = ROUNDS) -> float:
    return median_ms(action, rounds)


@pytest.fixture
def populated(db, settings):
    settings.COCREATE_RATE_LIMITS_ENABLED = False
    rng = random.Random(7)
    members = User.objects.bulk_create(
        [
            User(email=f"bench{n}@example.com", display_name=f"Bench {n}")
            for n in range(MEMBERS)
        ]
    )
    now = timezone.now()
    ideas = []
    for n in range(IDEAS):
        created = now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 60))
        ideas.append(
            Idea(
                title=f"Benchmark idea {n}",
                description="Text",
                description_html="<p>Text</p>",
                author=members[n % MEMBERS],
                status=IdeaStatus.PUBLISHED,
                created_at=created,
                hot_score=hot_score(0, created),
            )
        )
    ideas = Idea.objects.bulk_create(ideas, batch_size=500)
    pairs = set()
    while len(pairs) < SUPPORTS:
        idea = rng.choice(ideas)
        member = rng.choice(members)
        if idea.author_id != member.pk:
            pairs.add((idea.pk, member.pk))
    Support.objects.bulk_create(
        [Support(idea_id=i, member_id=m) for i, m in pairs], batch_size=1000
    )
    recount_ideas()
    return members, ideas


def test_bench_idea_pages(client, populated):
    members, ideas = populated
    report = {}
    for sort in ("hot", "top", "new", "discussed", "trending"):
        url = f"/ideas/?sort={sort}"
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        count = len(queries)
        report[f"list {sort}"] = (_median_ms(lambda url=url: client.get(url)), count)
    idea_url = ideas[0].get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(idea_url).status_code == 200
    count = len(queries)
    report["idea page"] = (_median_ms(lambda: client.get(idea_url)), count)
    print(f"\n{connection.vendor}: {IDEAS} ideas, {SUPPORTS} supports")  # noqa: T201
    for name, (ms, count) in report.items():
        print(f"  {name:16} median {ms:7.1f} ms  {count} queries")  # noqa: T201


def test_bench_support(populated):
    members, ideas = populated
    rng = random.Random(11)
    supporter = User.objects.create(email="fresh@example.com", display_name="Fresh")
    targets = rng.sample(ideas, 100)
    timings = []
    for idea in targets:
        start = time.perf_counter()
        voting.support(member=supporter, idea=idea)
        timings.append((time.perf_counter() - start) * 1000)
    print(  # noqa: T201
        f"\n{connection.vendor}: support median {statistics.median(timings):.2f} ms "
        f"over {len(timings)} supports"
    )
