"""Redis down costs live updates and nothing else.

The cache (django-redis) and the channel layer (channels-redis) point at a closed
port, as in production with Redis stopped: every page renders from the database,
supports and comments commit (their broadcasts fail quietly after commit), rate
limits let requests through, and /healthz says "redis": "down" with a 200.
``override_settings(CACHES=...)`` makes Django close and rebuild its cache
handler (django.test.signals.clear_cache_handlers), and channels drops its layers
on CHANNEL_LAYERS, so each test starts on the dead Redis and leaves on locmem.
"""

from __future__ import annotations

import logging

import pytest
import redis
from django.core.cache import cache
from django.test import override_settings
from django_redis import get_redis_connection
from django_redis.cache import RedisCache as DjangoRedisCache

from cocreate import outages
from cocreate.settings import redis_cache, redis_channel_layer
from ideas.models import Comment, Support
from rewards import achievements, levels
from rewards.models import Badge, Level
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:6/0"  # port 6 is unassigned: connections refused


def _forget_outages():
    for outage in (outages.cache_outage, outages.channel_layer_outage):
        outage.down = False


@pytest.fixture(autouse=True)
def redis_down(settings):
    """The production Redis settings, at a port where nothing listens."""
    settings.COCREATE_RATE_LIMITS_ENABLED = True
    _forget_outages()
    with override_settings(
        REDIS_URL=DEAD_REDIS,
        CACHES={"default": redis_cache(DEAD_REDIS, timeout=0.2)},
        CHANNEL_LAYERS={"default": redis_channel_layer(DEAD_REDIS, timeout=0.2)},
    ):
        with pytest.raises(redis.ConnectionError):  # the cache really is down
            get_redis_connection("default").ping()
        yield
    _forget_outages()


def test_the_home_page_renders(client, home_page):
    assert client.get("/").status_code == 200


def test_the_idea_list_renders(client, idea, campaign):
    response = client.get("/ideas/")

    assert response.status_code == 200
    assert idea.title in response.content.decode()


def test_an_idea_page_renders(client, idea):
    response = client.get(f"/ideas/{idea.pk}/")

    assert response.status_code == 200
    assert idea.title in response.content.decode()


def test_the_catalogue_renders(client, home_page):
    assert client.get("/rewards/").status_code == 200


def test_the_leaderboard_renders(client, campaign):
    assert client.get("/rewards/leaderboard/").status_code == 200
    assert (
        client.get(f"/rewards/leaderboard/?campaign={campaign.pk}").status_code == 200
    )


def test_a_support_commits_and_its_broadcast_fails_quietly(
    bob_client, bob, idea, django_capture_on_commit_callbacks, caplog
):
    with (
        caplog.at_level(logging.WARNING, logger="cocreate.outages"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = bob_client.post(f"/ideas/{idea.pk}/support/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert Support.objects.filter(idea=idea, member=bob).exists()
    assert callbacks  # the live update was attempted after commit
    assert outages.channel_layer_outage.down
    assert outages.cache_outage.down  # the rate limit could not count


def test_a_comment_commits_and_notifies(
    bob_client, bob, idea, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = bob_client.post(
            f"/ideas/{idea.pk}/comments/new/", {"body": "Mine dried in a night."}
        )

    assert response.status_code in (200, 302)
    assert Comment.objects.filter(idea=idea, author=bob).exists()
    assert outages.channel_layer_outage.down


def test_each_outage_is_logged_once(
    bob_client, idea, django_capture_on_commit_callbacks, caplog
):
    with (
        caplog.at_level(logging.WARNING, logger="cocreate.outages"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        for n in range(3):
            bob_client.post(f"/ideas/{idea.pk}/support/", HTTP_HX_REQUEST="true")
            bob_client.post(f"/ideas/{idea.pk}/comments/new/", {"body": f"No {n}"})

    messages = [
        record.getMessage()
        for record in caplog.records
        if record.name == "cocreate.outages"
    ]
    assert len(messages) == 2, messages
    assert messages[0].startswith("The cache (Redis) is unavailable")
    assert messages[1].startswith("The channel layer (Redis) is unavailable")


def test_a_failed_add_counts_as_done_so_locks_and_limits_let_people_in():
    assert cache.add("lock", 1) is True
    assert cache.add("lock", 1) is True
    assert outages.cache_outage.down


def test_the_cache_says_when_it_is_back(monkeypatch, caplog):
    cache.add("lock", 1)
    monkeypatch.setattr(DjangoRedisCache, "add", lambda self, *a, **kw: False)

    with caplog.at_level(logging.WARNING, logger="cocreate.outages"):
        assert cache.add("lock", 1) is False

    assert not outages.cache_outage.down
    assert caplog.records[-1].getMessage() == "The cache (Redis) is available again"


def test_levels_and_badges_are_read_from_the_database():
    summit = Level.objects.create(name="Summit", threshold=10_000_000)

    assert levels.level_id_for(10_000_001) == summit.pk
    assert achievements._badge_ids() == dict(
        Badge.objects.filter(is_active=True).values_list("milestone", "pk")
    )


def test_a_member_can_log_in(client, bob):
    response = client.post(
        "/accounts/login/", {"login": bob.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.get("/rewards/wallet/").status_code == 200


def test_healthz_says_redis_is_down_and_the_site_serves(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "redis": "down",
    }
