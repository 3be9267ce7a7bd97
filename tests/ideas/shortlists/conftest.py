"""The shortlist and its trail the shortlist tests share."""

from __future__ import annotations

import pytest

from ideas import events
from ideas.models import Shortlist


@pytest.fixture
def shoes(db):
    return Shortlist.objects.create(name="Running shoes 2027")


@pytest.fixture
def changes():
    """Every ``shortlist_changed`` sent, as keyword arguments."""
    calls: list[dict] = []

    def receiver(sender, **kwargs):
        kwargs.pop("signal", None)
        calls.append({"sender": sender, **kwargs})

    events.shortlist_changed.connect(receiver, weak=False)
    yield calls
    events.shortlist_changed.disconnect(receiver)
