"""Fixtures of the live tests."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from ideas.consumers import IdeaUpdatesConsumer


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """Consumers close stale connections before each message; in a test that
    would close the connection holding the test's transaction. Channels' own
    communicator patches this while it awaits; group messages arrive between."""
    monkeypatch.setattr("channels.db.close_old_connections", lambda: None)


@pytest.fixture(autouse=True)
def _short_list_interval(monkeypatch):
    """List pages merge changes for 1.5 s; tests need not wait that long."""
    monkeypatch.setattr(IdeaUpdatesConsumer, "list_interval", 0.2)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run an action and its on-commit callbacks, as a real commit would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return sync_to_async(run)
