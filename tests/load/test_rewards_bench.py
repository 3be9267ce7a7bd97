"""What the points economy adds to a support, on a populated database.

Run with `make bench`. Times N supports with the rewards receivers connected and
N with them disconnected, between seasoned, verified members (so the supports
pay), and prints medians, 95th percentiles and the ratio. Compare ratios between
runs, not absolute numbers, on a shared machine.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.utils import timezone

from cocreate.members.models import User
from ideas import events, voting
from ideas.models import Idea, IdeaStatus
from ideas.ranking import hot_score
from rewards import earning
from rewards.audit import run_audit

N = 300
IDEAS = 400
MEMBERS = 120


def _p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20)[-1]


@pytest.fixture
def populated(db, settings):
    settings.COCREATE_RATE_LIMITS_ENABLED = False
    long_ago = timezone.now() - datetime.timedelta(days=90)
    members = User.objects.bulk_create(
        [
            User(
                email=f"bench{n}@example.com",
                display_name=f"Bench {n}",
                date_joined=long_ago,
            )
            for n in range(MEMBERS)
        ]
    )
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=member, email=member.email, verified=True, primary=True)
            for member in members
        ]
    )
    now = timezone.now()
    ideas = Idea.objects.bulk_create(
        [
            Idea(
                title=f"Benchmark idea {n}",
                description="Text",
                description_html="<p>Text</p>",
                author=members[n % MEMBERS],
                status=IdeaStatus.PUBLISHED,
                created_at=now,
                hot_score=hot_score(0, now),
            )
            for n in range(IDEAS)
        ],
        batch_size=500,
    )
    return members, ideas


def _pairs(members, ideas, rng, count: int, taken: set) -> list[tuple]:
    pairs = []
    while len(pairs) < count:
        idea, member = rng.choice(ideas), rng.choice(members)
        if idea.author_id != member.pk and (idea.pk, member.pk) not in taken:
            taken.add((idea.pk, member.pk))
            pairs.append((member, idea))
    return pairs


def _time_support(member, idea) -> float:
    start = time.perf_counter()
    voting.support(member=member, idea=idea)
    return (time.perf_counter() - start) * 1000


def test_bench_support_with_and_without_rewards(populated):
    """Interleaved, one with and one without, so a busy moment hits both alike."""
    members, ideas = populated
    rng = random.Random(13)
    taken: set = set()
    for member, idea in _pairs(members, ideas, rng, 20, taken):
        voting.support(member=member, idea=idea)  # warm caches and first wallets
    paying, bare = [], []
    for (member, idea), (other, other_idea) in zip(
        _pairs(members, ideas, rng, N, taken),
        _pairs(members, ideas, rng, N, taken),
        strict=True,
    ):
        paying.append(_time_support(member, idea))
        events.idea_supported.disconnect(dispatch_uid="rewards.on_idea_supported")
        try:
            bare.append(_time_support(other, other_idea))
        finally:
            events.idea_supported.connect(
                earning.on_idea_supported, dispatch_uid="rewards.on_idea_supported"
            )

    assert run_audit().clean
    med_with, med_without = statistics.median(paying), statistics.median(bare)
    p95_with, p95_without = _p95(paying), _p95(bare)
    print(  # noqa: T201
        f"\n{connection.vendor}: {N} supports each, {IDEAS} ideas, {MEMBERS} members\n"
        f"  with rewards     median {med_with:6.2f} ms  p95 {p95_with:6.2f} ms\n"
        f"  without rewards  median {med_without:6.2f} ms  p95 {p95_without:6.2f} ms\n"
        f"  with/without     median x{med_with / med_without:.2f}  "
        f"p95 x{p95_with / p95_without:.2f}"
    )
