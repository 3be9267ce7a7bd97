"""Levels and badges from earning; points commit or fail with the change.

The receivers run inside the transaction of the idea service that sent the event,
so a support and its points commit or fail together (DESIGN rules 2 and 3).
"""

from __future__ import annotations

import pytest

from ideas import discussion, events, voting
from ideas.models import Idea, IdeaStatus, Support
from rewards.models import (
    Entry,
    MemberBadge,
    Milestone,
)
from rewards.redemptions import redeem
from tests.rewards.conftest import (
    make_reward,
    points,
    wallet,
)
from tests.rewards.earning.helpers import badges, change_status, publish, remove

pytestmark = pytest.mark.usefixtures("clean_audit")


# Levels and badges ----------------------------------------------------------
def test_levels_follow_lifetime_points(alice):
    idea = publish(alice)  # 30
    assert wallet(alice).level.name == "Newcomer"

    change_status(idea, "shortlisted")  # 130
    assert wallet(alice).level.name == "Contributor"
    assert wallet(alice).lifetime_earned == 130

    change_status(idea, "in_rnd")  # 380
    assert wallet(alice).level.name == "Co-creator"

    remove(idea)
    assert wallet(alice).lifetime_earned == 0
    assert wallet(alice).level.name == "Newcomer"


def test_spending_points_keeps_the_level(alice, staff):
    idea = publish(alice)
    change_status(idea, "shortlisted")

    redeem(member=alice, reward=make_reward(cost=100))

    assert wallet(alice).lifetime_earned == 130
    assert wallet(alice).level.name == "Contributor"


def test_milestone_badges_are_awarded_once(alice, bob, charlie):
    first = publish(alice)
    second = publish(alice, title="A second idea")
    voting.support(member=bob, idea=first)
    voting.support(member=charlie, idea=first)
    voting.support(member=bob, idea=second)
    discussion.post_comment(author=bob, idea=first, body="One")
    discussion.post_comment(author=bob, idea=first, body="Two")
    change_status(first, "shortlisted")
    change_status(second, "shortlisted")

    assert badges(alice) == sorted(
        [
            Milestone.FIRST_IDEA,
            Milestone.FIRST_SUPPORT_RECEIVED,
            Milestone.IDEA_SHORTLISTED,
        ]
    )
    assert badges(bob) == [Milestone.FIRST_COMMENT]
    assert MemberBadge.objects.count() == 4


# Points commit or fail with the change -----------------------------------------
class Boom(Exception):
    pass


def test_a_failing_receiver_after_rewards_undoes_the_support_and_its_points(
    idea, alice, bob
):
    def explode(**kwargs):
        raise Boom("the webhook queue is down")

    events.idea_supported.connect(explode, weak=False)
    try:
        with pytest.raises(Boom):
            voting.support(member=bob, idea=idea)
    finally:
        events.idea_supported.disconnect(explode)

    assert not Support.objects.exists()
    assert not Entry.objects.exists()
    assert points(alice) == 0
    assert points(bob) == 0


def test_a_failing_receiver_undoes_the_idea_and_its_points(alice):
    def explode(**kwargs):
        raise Boom("search index is down")

    events.idea_published.connect(explode, weak=False)
    try:
        with pytest.raises(Boom):
            publish(alice)
    finally:
        events.idea_published.disconnect(explode)

    assert not Idea.objects.exists()
    assert not Entry.objects.exists()
    assert not MemberBadge.objects.exists()


def test_the_hidden_status_is_not_a_public_idea_for_ten_ideas(alice):
    """Ten published ideas earn the badge; hidden ones do not count."""
    for n in range(9):
        publish(alice, title=f"Idea {n}")
    Idea.objects.filter(author=alice).update(status=IdeaStatus.HIDDEN)
    publish(alice, title="The tenth")

    assert Milestone.TEN_IDEAS not in badges(alice)
