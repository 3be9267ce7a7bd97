"""Every sort of the idea list is served by an index (PostgreSQL's plans).

A few thousand ideas and ANALYZE give the planner real statistics; with them, the
first page of each sort must walk an index over public ideas, never scan the
ideas table or count supports.
"""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone

from ideas.models import Idea, IdeaStatus
from ideas.ranking import SORTS, hot_score
from ideas.selectors import IdeaFilters, filtered_ideas, trending_ideas, with_card_data
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="query plans and partial indexes are PostgreSQL's",
    ),
]

IDEAS = 2_000
PER_PAGE = 20
INDEX_OF_SORT = {
    "hot": "idea_public_hot",
    "top": "idea_public_top",
    "new": "idea_public_new",
    "discussed": "idea_public_discussed",
    "trending": "idea_public_trending",
}


@pytest.fixture
def many_ideas(make_campaign):
    """Two thousand ideas in four large campaigns and a small one (one idea in a
    hundred), one in ten not public."""
    campaigns = [make_campaign(title=f"Campaign {n}") for n in range(4)]
    small = make_campaign(title="Small campaign")
    authors = UserFactory.create_batch(5)
    hidden = itertools.cycle(
        [IdeaStatus.PENDING, IdeaStatus.HIDDEN, IdeaStatus.DRAFT, IdeaStatus.REMOVED]
    )
    now = timezone.now()
    ideas = []
    for n in range(IDEAS):
        created = now - datetime.timedelta(minutes=37 * n)
        supports = (n * 7919) % 500
        ideas.append(
            Idea(
                title=f"Idea {n}",
                description="An idea.",
                author=authors[n % len(authors)],
                campaign=small if n % 100 == 1 else campaigns[n % len(campaigns)],
                status=next(hidden) if n % 10 == 0 else IdeaStatus.PUBLISHED,
                created_at=created,
                supports_count=supports,
                comments_count=(n * 104729) % 300,
                recent_supports=(n * 31) % 60,
                hot_score=hot_score(supports, created),
            )
        )
    Idea.objects.bulk_create(ideas, batch_size=500)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ideas_idea")
        cursor.execute("ANALYZE ideas_support")
    return {"large": campaigns[0], "small": small}


def plan_of(queryset) -> str:
    return queryset.explain()


def assert_served_by(plan: str, index: str, *, in_order: bool = True) -> None:
    """``index`` finds the rows; ``in_order``: in the page's order, no sort."""
    plan = plan.replace('"', "")
    assert f"Scan using {index}" in plan or f"Scan on {index}" in plan, plan
    assert "Seq Scan on ideas_idea" not in plan, plan
    assert "ideas_support" not in plan, plan
    if in_order:
        assert "Sort Key" not in plan.split(index)[0], plan


@pytest.mark.parametrize("sort", SORTS)
def test_the_first_page_of_each_sort_walks_its_index(many_ideas, sort):
    ideas = filtered_ideas(IdeaFilters(sort=sort), user=AnonymousUser())

    plan = plan_of(with_card_data(ideas)[:PER_PAGE])

    assert_served_by(plan, INDEX_OF_SORT[sort])


def test_the_home_pages_trending_block_walks_the_trending_index(many_ideas):
    ideas = filtered_ideas(IdeaFilters(sort="trending"), user=AnonymousUser())

    assert_served_by(plan_of(with_card_data(ideas)[:6]), "idea_public_trending")
    assert len(trending_ideas(AnonymousUser())) == 6


def test_a_large_campaigns_page_walks_an_index_in_order(many_ideas):
    """A quarter of the ideas: walking the list's index and skipping the others
    finds a page soonest."""
    ideas = filtered_ideas(
        IdeaFilters(), user=AnonymousUser(), campaign=many_ideas["large"]
    )

    assert_served_by(plan_of(with_card_data(ideas)[:PER_PAGE]), "idea_public_")


def test_a_small_campaigns_page_reads_only_its_ideas(many_ideas):
    """One idea in a hundred: the campaign index finds them, sorting those few
    may cost less than walking them in order."""
    ideas = filtered_ideas(
        IdeaFilters(), user=AnonymousUser(), campaign=many_ideas["small"]
    )

    assert_served_by(
        plan_of(with_card_data(ideas)[:PER_PAGE]),
        "idea_public_campaign_hot",
        in_order=False,
    )
