"""/healthz: database, cache and channel layer, for load balancers and monitors."""

from __future__ import annotations

import pytest

from cocreate import views

pytestmark = pytest.mark.django_db


def test_it_reports_every_service_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "channel_layer": "ok",
    }


def test_it_is_never_cached(client):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_it_rejects_post(client):
    assert client.post("/healthz").status_code == 405


class ForgetfulCache:
    def set(self, *args, **kwargs):
        pass

    def get(self, *args, **kwargs):
        return None

    def delete(self, *args, **kwargs):
        pass


def test_a_cache_that_loses_values_is_an_error(client, monkeypatch):
    monkeypatch.setattr(views, "cache", ForgetfulCache())

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["cache"] == "error: value not read back"
    assert body["database"] == "ok"


def test_a_failing_check_is_named_not_raised(client, monkeypatch):
    def down():
        raise ConnectionRefusedError("database is down")

    monkeypatch.setattr(views, "_check_database", down)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "error: ConnectionRefusedError"
    assert response.json()["channel_layer"] == "ok"


def test_a_missing_channel_layer_is_an_error(client, monkeypatch):
    monkeypatch.setattr(views, "get_channel_layer", lambda: None)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["channel_layer"] == "error: no channel layer configured"
