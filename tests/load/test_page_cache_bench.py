"""The page cache in process: a visitor's page rendered (a miss) against the same
page from the cache (a hit), and a member's page beside them (never cached).

Run with `make bench PYTEST_ARGS=tests/load/test_page_cache_bench.py`. Prints
medians; compare ratios, not absolute numbers, on a shared machine.
"""

from __future__ import annotations

import datetime
import random

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from cocreate.members.models import User
from ideas import page_cache
from ideas.counters import recount_ideas
from ideas.models import Comment, Idea, IdeaStatus, Support
from ideas.ranking import hot_score
from tests.load.timing import median_ms

IDEAS = 400
MEMBERS = 100
SUPPORTS = 4_000
ROUNDS = 30


def _median_ms(action, rounds: int = ROUNDS) -> float:
    return median_ms(action, rounds)


@pytest.fixture
def populated(db, settings, campaign):
    settings.COCREATE_RATE_LIMITS_ENABLED = False
    settings.COCREATE_PAGE_CACHE_SECONDS = 30
    rng = random.Random(7)
    members = User.objects.bulk_create(
        [
            User(email=f"bench{n}@example.com", display_name=f"Bench {n}")
            for n in range(MEMBERS)
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
                campaign=campaign if n % 2 else None,
                status=IdeaStatus.PUBLISHED,
                created_at=(
                    created := now
                    - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 30))
                ),
                hot_score=hot_score(0, created),
            )
            for n in range(IDEAS)
        ],
        batch_size=500,
    )
    pairs = set()
    while len(pairs) < SUPPORTS:
        idea, member = rng.choice(ideas), rng.choice(members)
        if idea.author_id != member.pk:
            pairs.add((idea.pk, member.pk))
    Support.objects.bulk_create(
        [Support(idea_id=i, member_id=m) for i, m in pairs], batch_size=1000
    )
    Comment.objects.bulk_create(
        [
            Comment(idea=ideas[0], author=members[n], body="Yes", body_html="Yes")
            for n in range(1, 21)
        ]
    )
    recount_ideas()
    return members, ideas, campaign


def test_bench_page_cache(populated):
    members, ideas, campaign = populated
    urls = {
        "home": "/",
        "list hot": "/ideas/",
        "list top": "/ideas/?sort=top",
        "campaign": campaign.url,
        "idea": ideas[0].get_absolute_url(),
    }
    member = Client()
    member.force_login(members[1])
    print(f"\n{IDEAS} ideas, {SUPPORTS} supports, medians of {ROUNDS}")  # noqa: T201
    print(  # noqa: T201
        f"  {'page':10} {'miss ms':>8} {'hit ms':>8} {'ratio':>6} {'member ms':>10}"
    )
    for name, url in urls.items():
        visitor = Client()
        assert visitor.get(url).status_code == 200

        def miss(url=url, visitor=visitor):
            page_cache.bump(page_cache.ALL)
            assert visitor.get(url)["X-Cache"] == "miss"

        def hit(url=url, visitor=visitor):
            assert visitor.get(url)["X-Cache"] == "hit"

        miss_ms = _median_ms(miss)
        hit_ms = _median_ms(hit)
        member_ms = _median_ms(lambda url=url: member.get(url))
        print(  # noqa: T201
            f"  {name:10} {miss_ms:8.2f} {hit_ms:8.2f} {miss_ms / hit_ms:6.1f}"
            f" {member_ms:10.2f}"
        )
    cache.clear()
