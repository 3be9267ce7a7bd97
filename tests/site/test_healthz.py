"""/healthz: the database, and Redis by a PING, for load balancers and monitors.

It answers 503 only when the database is down: without Redis the site still
serves (live updates paused), so a balancer must keep sending it traffic. It never
touches the channel layer, whose round trips from WSGI threads failed under
concurrent requests on a healthy server."""

from __future__ import annotations

import threading

import pytest
from channels.layers import ChannelLayerManager
from django.db import connections
from django.test import Client

from cocreate import views

pytestmark = pytest.mark.django_db


class Pong:
    def __init__(self, error: Exception | None = None):
        self.error = error
        self.pings = 0

    def ping(self):
        self.pings += 1
        if self.error:
            raise self.error
        return True


@pytest.fixture
def redis(settings, monkeypatch):
    """REDIS_URL set, and the cache's client replaced by one that answers PING."""
    settings.REDIS_URL = "redis://redis.invalid:6379/0"
    server = Pong()
    monkeypatch.setattr(views, "get_redis_connection", lambda alias: server)
    return server


def test_it_reports_the_database_ok_and_redis_not_configured(client, settings):
    settings.REDIS_URL = ""  # CI runs with Redis

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "not configured",
    }


def test_it_pings_redis_when_it_is_configured(client, redis):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}
    assert redis.pings == 1


def test_redis_down_is_degraded_not_unhealthy(client, redis):
    redis.error = ConnectionRefusedError("redis is down")

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "redis": "down",
    }


def test_it_is_never_cached(client):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_it_rejects_post(client):
    assert client.post("/healthz").status_code == 405


def test_a_database_down_is_an_error_named_not_raised(client, monkeypatch, redis):
    def down():
        raise ConnectionRefusedError("database is down")

    monkeypatch.setattr(views, "_check_database", down)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "error: ConnectionRefusedError",
        "redis": "ok",
    }


def test_it_never_asks_the_channel_layer(client, monkeypatch):
    def refuse(self, alias):
        raise AssertionError("/healthz must not use the channel layer")

    monkeypatch.setattr(ChannelLayerManager, "__getitem__", refuse)

    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_ten_requests_at_once_are_all_healthy():
    start = threading.Barrier(10)
    answers: list[int] = []

    def ask():
        try:
            start.wait(timeout=10)
            answers.append(Client().get("/healthz").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert answers == [200] * 10
