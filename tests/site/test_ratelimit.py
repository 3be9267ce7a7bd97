"""cocreate.ratelimit: a fixed window per member and action, kept in the cache."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest

from cocreate import outages, ratelimit
from ideas import voting
from ideas.errors import RateLimited
from tests.factories import IdeaFactory


@pytest.fixture
def limits(settings):
    settings.COCREATE_RATE_LIMITS = {"comment": "3/60", "support": "1/60"}
    settings.COCREATE_RATE_LIMITS_ENABLED = True
    return settings


def test_it_allows_up_to_the_limit_then_refuses(limits):
    assert [ratelimit.hit("comment", "7") for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]


def test_each_member_has_their_own_allowance(limits):
    for _ in range(3):
        ratelimit.hit("comment", "7")

    assert ratelimit.hit("comment", "8") is True
    assert ratelimit.hit("comment", "7") is False


def test_each_action_has_its_own_allowance(limits):
    ratelimit.hit("support", "7")

    assert ratelimit.hit("support", "7") is False
    assert ratelimit.hit("comment", "7") is True


def test_a_new_window_starts_afresh(limits, monkeypatch):
    clock = [1_000_020.0]
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: clock[0]))
    for _ in range(3):
        ratelimit.hit("comment", "7")
    assert ratelimit.hit("comment", "7") is False

    clock[0] += 60

    assert ratelimit.hit("comment", "7") is True


def test_a_limit_of_zero_refuses_even_the_first_attempt(settings):
    settings.COCREATE_RATE_LIMITS = {"comment": "0/60"}

    assert ratelimit.hit("comment", "7") is False


def test_an_action_without_a_rate_is_not_limited(limits):
    assert all(ratelimit.hit("dance", "7") for _ in range(100))


def test_limits_can_be_switched_off(limits):
    limits.COCREATE_RATE_LIMITS_ENABLED = False

    assert all(ratelimit.hit("support", "7") for _ in range(10))


def test_parse_rate_reads_count_and_seconds():
    assert ratelimit.parse_rate("20/60") == (20, 60)


@pytest.mark.django_db
def test_a_service_refuses_with_rate_limited_and_says_why(limits, bob):
    first, second = IdeaFactory.create_batch(2)
    voting.support(member=bob, idea=first)

    with pytest.raises(RateLimited) as refused:
        voting.support(member=bob, idea=second)

    assert str(refused.value) == "Too many supports in a short time; please slow down."


@pytest.mark.django_db
def test_a_view_shows_the_refusal_in_words(limits, bob_client):
    first, second = IdeaFactory.create_batch(2)
    bob_client.post(f"/ideas/{first.pk}/support/", HTTP_HX_REQUEST="true")

    response = bob_client.post(f"/ideas/{second.pk}/support/", HTTP_HX_REQUEST="true")

    assert "please slow down" in response.content.decode()
    assert second.supports.count() == 0


class DeadCache:
    """django-redis with IGNORE_EXCEPTIONS and Redis down: writes answer None."""

    def add(self, *args, **kwargs):
        return None

    def incr(self, *args, **kwargs):
        return None

    def set(self, *args, **kwargs):
        return None


class RefusingCache:
    """A cache backend that raises, as Django's own RedisCache does."""

    def add(self, *args, **kwargs):
        raise ConnectionRefusedError("redis is down")


class FullCache(DeadCache):
    """The key is there (add says False) but the increment fails."""

    def add(self, *args, **kwargs):
        return False


@pytest.fixture
def outage():
    outages.cache_outage.recovered()
    yield outages.cache_outage
    outages.cache_outage.recovered()


@pytest.mark.parametrize("broken", [DeadCache, RefusingCache, FullCache])
def test_a_failing_cache_lets_requests_through(limits, monkeypatch, outage, broken):
    monkeypatch.setattr(ratelimit, "cache", broken())

    assert all(ratelimit.hit("support", "7") for _ in range(5))
    assert outage.down


def test_a_failing_cache_is_logged_once_not_per_request(
    limits, monkeypatch, outage, caplog
):
    monkeypatch.setattr(ratelimit, "cache", DeadCache())

    with caplog.at_level(logging.DEBUG, logger="cocreate.outages"):
        for _ in range(5):
            ratelimit.hit("comment", "7")

    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "rate limits let every request through" in warnings[0].getMessage()
