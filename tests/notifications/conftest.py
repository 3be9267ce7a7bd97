from types import SimpleNamespace

import pytest

from cocreate import ratelimit


@pytest.fixture(autouse=True)
def _own_redis(private_redis):
    """Parallel workers must not share rate-limit counters or channel groups."""


@pytest.fixture(autouse=True)
def _steady_rate_limit_clock(monkeypatch):
    """Rate limits count in fixed windows; a test must not straddle two of them."""
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1.8e9))


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hashing passwords properly takes a quarter second per member; not here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """Consumers close stale connections before each message; in a test that
    would close the connection holding the test's transaction."""
    monkeypatch.setattr("channels.db.close_old_connections", lambda: None)
