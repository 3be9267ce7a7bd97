import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from cocreate import ratelimit
from cocreate.members.sanctions import sanction


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


@pytest.fixture
def suspended(moderator, bob):
    """Bob, suspended by a moderator for three days."""
    sanction(
        actor=moderator,
        member=bob,
        kind="suspension",
        reason="Spam in comments",
        until=timezone.now() + datetime.timedelta(days=3),
    )
    bob.refresh_from_db()
    return bob
