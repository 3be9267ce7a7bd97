"""How fast, and in how much memory, 10,000 ideas export as CSV, XLSX and JSON.

Run with `make bench`. Prints time, peak Python memory (tracemalloc) and queries
for 1,000 and 10,000 ideas: CSV and JSON should peak at about the same memory for
both (they stream in chunks); XLSX grows with openpyxl's shared strings.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from cocreate.members.models import User
from ideas.models import Criterion, Idea, IdeaStatus, Score, Support, TaggedIdea
from ideas.product.exports import export_response
from ideas.ranking import hot_score

IDEAS = 10_000
MEMBERS = 300
SIZES = (1_000, IDEAS)
#: Timed runs per format and size; the table shows their median.
ROUNDS = 3
FORMATS = ("csv", "xlsx", "json")


@pytest.fixture
def populated(db, product):
    rng = random.Random(5)
    members = User.objects.bulk_create(
        [
            User(
                email=f"export{n}@example.com",
                display_name=f"Exporter {n}",
                contact_consent=n % 2 == 0,
            )
            for n in range(MEMBERS)
        ]
    )
    now = timezone.now()
    ideas = []
    for n in range(IDEAS):
        created = now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 90))
        ideas.append(
            Idea(
                title=f"Export idea {n} with a title of ordinary length",
                description="Text " * 100,
                description_html="<p>Text</p>",
                author=members[n % MEMBERS],
                status=IdeaStatus.PUBLISHED,
                created_at=created,
                hot_score=hot_score(0, created),
                supports_count=rng.randint(0, 50),
                comments_count=rng.randint(0, 10),
                score=rng.uniform(0, 100),
                scorers_count=1,
            )
        )
    ideas = Idea.objects.bulk_create(ideas, batch_size=1000)
    tags = Tag.objects.bulk_create(
        [Tag(name=f"tag {n}", slug=f"tag-{n}") for n in range(20)]
    )
    TaggedIdea.objects.bulk_create(
        [TaggedIdea(content_object=idea, tag=rng.choice(tags)) for idea in ideas],
        batch_size=2000,
    )
    Support.objects.bulk_create(
        [
            Support(idea=idea, member=members[(i + 1) % MEMBERS], created_at=now)
            for i, idea in enumerate(ideas)
        ],
        batch_size=2000,
    )
    criteria = list(Criterion.objects.filter(is_active=True))
    Score.objects.bulk_create(
        [
            Score(idea=idea, criterion=criterion, scorer=product, value=3)
            for idea in ideas
            for criterion in criteria
        ],
        batch_size=2000,
    )
    return ideas


def _consume(response) -> int:
    if response.streaming:
        return sum(len(piece) for piece in response.streaming_content)
    size = sum(len(piece) for piece in response)
    response.close()
    return size


def test_bench_exports(rf, product, populated):
    request = rf.get("/admin/ideas/")
    request.user = product
    report = []
    for size in SIZES:
        ideas = Idea.objects.filter(
            pk__in=Idea.objects.order_by("pk").values("pk")[:size]
        ).order_by("-created_at", "-id")
        for fmt in FORMATS:

            def run(fmt=fmt, ideas=ideas) -> int:
                return _consume(
                    export_response(request, ideas=ideas, fmt=fmt, source="bench")
                )

            timings = []
            for _round in range(ROUNDS):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    nbytes = run()
                    timings.append(time.perf_counter() - start)
            seconds = statistics.median(timings)
            tracemalloc.start()
            run()
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            report.append((fmt, size, seconds, peak, nbytes, len(queries)))
    print(f"\n{connection.vendor}: exports of ideas (median of {ROUNDS} runs)")  # noqa: T201
    print(  # noqa: T201
        f"  {'format':6} {'ideas':>6} {'time':>8} {'peak memory':>12} "
        f"{'file':>9} {'queries':>7}"
    )
    for fmt, size, seconds, peak, nbytes, count in report:
        print(  # noqa: T201
            f"  {fmt:6} {size:>6} {seconds:>7.2f}s {peak / 2**20:>9.1f} MiB "
            f"{nbytes / 2**20:>5.1f} MiB {count:>7}"
        )
    # Constant memory: ten times the ideas may not double the peak of any format.
    peaks = {(fmt, size): peak for fmt, size, _seconds, peak, _n, _c in report}
    for fmt in FORMATS:
        assert peaks[(fmt, IDEAS)] < 2 * peaks[(fmt, SIZES[0])], fmt
