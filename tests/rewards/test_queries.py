"""A support with rewards on costs no more than a handful of extra queries.

The receivers run inside every support (DESIGN rule 2), so their queries count.
Measured on SQLite and PostgreSQL, extra queries over a support without rewards:
9 between members who have wallets (settings and verified email, rules, wallet
locks, keys paid, daily caps, the entries, two balances, the 100-supports count);
11 when the supporter's wallet is created; 12 when that support is also the
idea's first (its author's badge is checked); 14 once in an author's life, when
their first support ever also awards the badge. Raise a ceiling only with a reason.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas import events, voting
from rewards import earning
from rewards.models import MemberBadge
from tests.factories import IdeaFactory
from tests.rewards.conftest import points, seasoned

pytestmark = pytest.mark.usefixtures("clean_audit", "no_rate_limits")

EXTRA_CEILING = 12
SUPPORT_CEILING = 20


def support_queries(member, idea) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        voting.support(member=member, idea=idea)
    return [query["sql"] for query in captured.captured_queries]


def without_rewards(action):
    events.idea_supported.disconnect(dispatch_uid="rewards.on_idea_supported")
    try:
        return action()
    finally:
        events.idea_supported.connect(
            earning.on_idea_supported, dispatch_uid="rewards.on_idea_supported"
        )


def extra_queries(*, bare_member, bare_idea, member, idea) -> tuple[int, str]:
    bare = without_rewards(lambda: support_queries(bare_member, bare_idea))
    full = support_queries(member, idea)
    return len(full) - len(bare), "\n".join(full)


@pytest.fixture
def supporters(db):
    """Six seasoned members; the first support fills the caches (settings row,
    levels, badges) as the site's first visitors do once."""
    members = [seasoned() for _ in range(6)]
    voting.support(member=members[5], idea=IdeaFactory(author=members[4]))
    return members


@pytest.fixture
def ideas(alice, supporters):
    """Alice's ideas, each supported once already (she has her first-fan badge)."""
    made = [IdeaFactory(author=alice) for _ in range(4)]
    for idea in made:
        voting.support(member=supporters[0], idea=idea)
        idea.refresh_from_db()
    return made


def test_a_support_between_members_with_wallets_costs_9_more(ideas, supporters):
    voting.support(member=supporters[1], idea=ideas[0])

    extra, queries = extra_queries(
        bare_member=supporters[2], bare_idea=ideas[1], member=supporters[1],
        idea=ideas[2],
    )  # fmt: skip

    assert points(supporters[1]) == 2
    assert extra <= 9, queries


def test_a_new_supporters_support_costs_at_most_12_more(ideas, supporters):
    extra, queries = extra_queries(
        bare_member=supporters[2], bare_idea=ideas[1], member=supporters[3],
        idea=ideas[2],
    )  # fmt: skip

    assert points(supporters[3]) == 1
    assert extra <= 11 <= EXTRA_CEILING, queries


def test_an_ideas_first_support_costs_at_most_12_more(alice, ideas, supporters):
    first, bare_first = IdeaFactory(author=alice), IdeaFactory(author=alice)

    extra, queries = extra_queries(
        bare_member=supporters[2], bare_idea=bare_first, member=supporters[3],
        idea=first,
    )  # fmt: skip

    assert points(supporters[3]) == 1
    assert extra <= EXTRA_CEILING, queries


def test_an_authors_first_support_ever_awards_a_badge_for_2_more(supporters):
    author, other = seasoned(), seasoned()
    idea, bare_idea = IdeaFactory(author=author), IdeaFactory(author=other)

    extra, queries = extra_queries(
        bare_member=supporters[2], bare_idea=bare_idea, member=supporters[3],
        idea=idea,
    )  # fmt: skip

    assert MemberBadge.objects.filter(member=author).count() == 1
    assert extra <= EXTRA_CEILING + 2, queries


def test_a_support_stays_under_a_fixed_number_of_queries(
    alice, supporters, django_assert_max_num_queries
):
    idea, another = IdeaFactory(author=alice), IdeaFactory(author=alice)

    with django_assert_max_num_queries(SUPPORT_CEILING + 2):
        voting.support(member=supporters[1], idea=idea)
    with django_assert_max_num_queries(SUPPORT_CEILING):
        voting.support(member=supporters[2], idea=idea)
    with django_assert_max_num_queries(SUPPORT_CEILING):
        voting.support(member=supporters[1], idea=another)

    assert points(alice) == 6
    assert points(supporters[1]) == 2
