"""Daily caps, inactive rules, multipliers, and who may earn at all."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from ideas import discussion, voting
from ideas.models import Idea
from rewards import earning
from rewards.models import (
    CampaignMultiplier,
    Entry,
    RewardSettings,
    Trigger,
)
from tests.factories import IdeaFactory, UserFactory
from tests.rewards.conftest import (
    points,
    seasoned,
    set_rule,
)
from tests.rewards.earning.helpers import badges, earned, publish

pytestmark = pytest.mark.usefixtures("clean_audit")


# Daily caps, inactive rules, multipliers --------------------------------------
def test_the_daily_cap_limits_what_a_rule_pays_in_a_day(alice):
    set_rule(Trigger.IDEA_PUBLISHED, daily_cap=15)

    for n in range(3):
        publish(alice, title=f"Idea {n}")

    assert earned(alice, Trigger.IDEA_PUBLISHED) == [10, 5]


def test_supporting_and_withdrawing_does_not_farm_past_the_cap(idea, bob):
    set_rule(Trigger.SUPPORT_GIVEN, daily_cap=2)

    for _ in range(4):
        voting.support(member=bob, idea=idea)
        voting.withdraw_support(member=bob, idea=idea)
    voting.support(member=bob, idea=idea)

    assert earned(bob, Trigger.SUPPORT_GIVEN) == [1, 1]
    assert points(bob) == 0


def test_entries_of_earlier_days_do_not_count_toward_the_cap(alice, bob):
    set_rule(Trigger.SUPPORT_GIVEN, daily_cap=1)
    voting.support(member=bob, idea=IdeaFactory(author=alice))
    Entry.objects.update(created_at=earning._start_of_day() - timedelta(minutes=1))

    voting.support(member=bob, idea=IdeaFactory(author=alice))

    assert earned(bob, Trigger.SUPPORT_GIVEN) == [1, 1]


def test_an_inactive_rule_pays_nothing(idea, alice, bob):
    set_rule(Trigger.SUPPORT_GIVEN, is_active=False)

    voting.support(member=bob, idea=idea)

    assert points(bob) == 0
    assert points(alice) == 2


def test_a_campaign_multiplier_multiplies_and_rounds_half_up(alice, bob, make_campaign):
    campaign = make_campaign()
    CampaignMultiplier.objects.create(campaign=campaign, multiplier=Decimal("2.5"))
    idea = IdeaFactory(author=alice, campaign=campaign)

    voting.support(member=bob, idea=idea)

    assert points(alice) == 5
    assert points(bob) == 3  # 2.5 rounds half up, not to even


def test_a_multiplier_applies_only_to_its_campaign(alice, bob, make_campaign):
    boosted = make_campaign(title="Boosted")
    CampaignMultiplier.objects.create(campaign=boosted, multiplier=Decimal("3"))

    voting.support(member=bob, idea=IdeaFactory(author=alice))

    assert points(alice) == 2


# Who earns ------------------------------------------------------------------
def test_a_young_account_supports_but_pays_nobody(idea, alice):
    newcomer = UserFactory()

    voting.support(member=newcomer, idea=idea)

    assert Idea.objects.get(pk=idea.pk).supports_count == 1
    assert points(alice) == 0
    assert points(newcomer) == 0
    assert not Entry.objects.exists()


def test_the_account_age_comes_from_the_settings(idea, alice):
    config = RewardSettings.load()
    config.supporter_min_account_days = 0
    config.save()
    newcomer = UserFactory()

    voting.support(member=newcomer, idea=idea)

    assert points(newcomer) == 1


def test_an_unverified_email_supports_but_pays_nobody(idea, alice):
    unverified = seasoned(verified=False)

    voting.support(member=unverified, idea=idea)

    assert Idea.objects.get(pk=idea.pk).supports_count == 1
    assert points(alice) == 0
    assert points(unverified) == 0


def test_staff_earn_nothing(idea, alice):
    moderator = seasoned(is_staff=True)

    voting.support(member=moderator, idea=idea)
    discussion.post_comment(author=moderator, idea=idea, body="Official answer")
    publish(moderator)

    assert points(moderator) == 0
    assert badges(moderator) == []


def test_a_superuser_earns_nothing_for_their_idea(bob):
    admin = seasoned(is_superuser=True)
    idea = IdeaFactory(author=admin)

    voting.support(member=bob, idea=idea)

    assert points(admin) == 0
    assert points(bob) == 1
