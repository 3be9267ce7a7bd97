"""Every support reads the rules and the multipliers from the cache: a change
saved in the back office counts from the next support, in every process."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache

from ideas import voting
from rewards import earning
from rewards.models import CampaignMultiplier, EarningRule, Trigger
from tests.factories import IdeaFactory
from tests.rewards.conftest import points, seasoned

pytestmark = pytest.mark.usefixtures("clean_audit", "no_rate_limits")


def test_a_saved_rule_pays_from_the_next_support(alice, bob):
    voting.support(member=bob, idea=IdeaFactory(author=alice))
    assert cache.get(earning.RULES_CACHE_KEY) is not None
    rule = EarningRule.objects.get(trigger=Trigger.SUPPORT_GIVEN)
    rule.points = 7
    rule.save()

    voting.support(member=bob, idea=IdeaFactory(author=alice))

    assert points(bob) == 1 + 7


def test_a_rule_switched_off_stops_paying_at_once(alice, bob):
    voting.support(member=bob, idea=IdeaFactory(author=alice))
    rule = EarningRule.objects.get(trigger=Trigger.SUPPORT_RECEIVED)
    rule.is_active = False
    rule.save()

    voting.support(member=seasoned(), idea=IdeaFactory(author=alice))

    assert points(alice) == 2


def test_a_new_multiplier_counts_from_the_next_support(alice, bob, make_campaign):
    campaign = make_campaign()
    voting.support(member=bob, idea=IdeaFactory(author=alice, campaign=campaign))
    assert points(bob) == 1
    multiplier = CampaignMultiplier.objects.create(
        campaign=campaign, multiplier=Decimal("3")
    )

    voting.support(member=bob, idea=IdeaFactory(author=alice, campaign=campaign))
    assert points(bob) == 1 + 3

    multiplier.delete()
    voting.support(member=bob, idea=IdeaFactory(author=alice, campaign=campaign))
    assert points(bob) == 1 + 3 + 1
