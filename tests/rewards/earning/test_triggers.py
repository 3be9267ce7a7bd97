"""Each trigger pays by the default earning rules."""

from __future__ import annotations

import pytest

from ideas import discussion, events, voting
from ideas.models import Idea, Promotion
from ideas.product import rnd
from rewards.models import (
    Trigger,
)
from tests.factories import IdeaFactory
from tests.rewards.conftest import (
    points,
)
from tests.rewards.earning.helpers import change_status, earned, publish

pytestmark = pytest.mark.usefixtures("clean_audit")


# Each trigger pays by the default rules --------------------------------------
def test_publishing_an_idea_pays_10_and_the_first_one_20_more_once(alice):
    publish(alice)
    assert points(alice) == 30

    publish(alice, title="Socks that never slip")

    assert points(alice) == 40
    assert earned(alice, Trigger.IDEA_PUBLISHED) == [10, 10]
    assert earned(alice, Trigger.FIRST_IDEA) == [20]


def test_an_idea_waiting_for_moderation_pays_nothing_yet(alice, make_campaign):
    campaign = make_campaign(premoderate=True)

    publish(alice, campaign=campaign)

    assert points(alice) == 0


def test_a_support_pays_the_author_2_and_the_supporter_1(idea, alice, bob):
    voting.support(member=bob, idea=idea)

    assert points(alice) == 2
    assert points(bob) == 1
    assert earned(alice, Trigger.SUPPORT_RECEIVED) == [2]
    assert earned(bob, Trigger.SUPPORT_GIVEN) == [1]


def test_a_comment_pays_its_author_2(idea, bob):
    discussion.post_comment(author=bob, idea=idea, body="Love it")

    assert points(bob) == 2
    assert earned(bob, Trigger.COMMENT_POSTED) == [2]


@pytest.mark.parametrize(
    ("status", "trigger", "amount"),
    [
        ("shortlisted", Trigger.SHORTLISTED, 100),
        ("in_rnd", Trigger.PROMOTED, 250),
        ("shipped", Trigger.SHIPPED, 500),
    ],
)
def test_a_status_change_pays_the_author(idea, alice, status, trigger, amount):
    change_status(idea, status)

    assert points(alice) == amount
    assert earned(alice, trigger) == [amount]


@pytest.mark.parametrize("status", ["published", "declined", "hidden"])
def test_other_statuses_pay_nothing(idea, alice, status):
    change_status(idea, status)

    assert points(alice) == 0


def test_review_pays_when_the_campaign_threshold_is_reached(alice, bob, make_campaign):
    campaign = make_campaign(support_threshold=1)
    idea = IdeaFactory(author=alice, campaign=campaign)
    voting.support(member=bob, idea=idea)
    idea.refresh_from_db()

    change_status(idea, "under_review")

    assert earned(alice, Trigger.THRESHOLD_REACHED) == [50]


def test_review_below_the_threshold_pays_nothing(alice, bob, make_campaign):
    campaign = make_campaign(support_threshold=2)
    idea = IdeaFactory(author=alice, campaign=campaign)
    voting.support(member=bob, idea=idea)
    idea.refresh_from_db()

    change_status(idea, "under_review")

    assert earned(alice, Trigger.THRESHOLD_REACHED) == []


def test_review_without_a_campaign_threshold_pays_nothing(idea, alice, bob):
    voting.support(member=bob, idea=idea)
    idea.refresh_from_db()

    change_status(idea, "under_review")

    assert earned(alice, Trigger.THRESHOLD_REACHED) == []


def test_a_promotion_pays_once_for_its_move_into_rnd(idea, alice, staff):
    # rnd.promote sends idea_status_changed (to in_rnd) and idea_promoted; only
    # the status pays.
    rnd.promote(actor=staff, idea=idea, ticket_key="RND-1", owner=staff, note="Lab")

    assert earned(alice, Trigger.PROMOTED) == [250]
    assert points(alice) == 250


def test_shipping_pays_the_author_once(idea, alice, staff):
    rnd.promote(actor=staff, idea=idea, ticket_key="RND-1", owner=staff, note="Lab")
    rnd.ship(
        actor=staff, idea=idea, product_url="https://shop.example.com/p", note="Out"
    )

    assert earned(alice, Trigger.SHIPPED) == [500]
    assert points(alice) == 750


def test_the_promotion_event_alone_pays_nothing(idea, alice, staff):
    # What a status pays comes from idea_status_changed only (ideas.events).
    promotion = Promotion.objects.create(
        idea=idea, ticket_key="RND-1", owner=staff, promoted_by=staff
    )
    events.idea_promoted.send(sender=Idea, idea=idea, actor=staff, promotion=promotion)

    assert points(alice) == 0
