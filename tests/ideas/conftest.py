"""Helpers for the idea domain's tests: a recorder of domain events, ageing rows."""

from __future__ import annotations

import datetime
from collections import defaultdict
from types import SimpleNamespace

import pytest
from django.utils import timezone

from cocreate import ratelimit
from ideas import events
from ideas.models import Comment, Idea

EVENT_NAMES = (
    "idea_published",
    "idea_supported",
    "support_withdrawn",
    "comment_posted",
    "idea_status_changed",
    "content_removed",
    "content_restored",
)


class EventRecorder:
    """Listens to every domain event; ``sent["idea_supported"]`` lists its calls."""

    def __init__(self) -> None:
        self.calls: dict[str, list[dict]] = defaultdict(list)
        self._receivers = []

    def connect(self) -> None:
        for name in EVENT_NAMES:
            signal = getattr(events, name)

            def receiver(sender, _name=name, **kwargs):
                kwargs.pop("signal", None)
                self.calls[_name].append({"sender": sender, **kwargs})

            signal.connect(receiver, weak=False)
            self._receivers.append((signal, receiver))

    def disconnect(self) -> None:
        for signal, receiver in self._receivers:
            signal.disconnect(receiver)

    def __getitem__(self, name: str) -> list[dict]:
        return self.calls[name]

    def names(self) -> list[str]:
        return [name for name in EVENT_NAMES if self.calls[name]]


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
def sent():
    recorder = EventRecorder()
    recorder.connect()
    yield recorder
    recorder.disconnect()


def make_older(obj: Idea | Comment, *, minutes: int) -> None:
    """Move a row's creation time into the past, as if it was posted earlier."""
    past = timezone.now() - datetime.timedelta(minutes=minutes)
    type(obj).objects.filter(pk=obj.pk).update(created_at=past)
    obj.refresh_from_db()
