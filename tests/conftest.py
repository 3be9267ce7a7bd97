"""Fixtures shared by the whole suite: personas, a site tree and clean caches.

Personas: alice proposes ideas, bob supports and comments, charlie is another
member, and anonymous visitors use a plain client.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from wagtail.models import Page

from cocreate.pages.models import HomePage
from ideas.models import CampaignPage
from tests.factories import PASSWORD, CategoryFactory, IdeaFactory, UserFactory


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Every test gets its own media folder and an empty cache (rate limits)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def alice(db):
    return UserFactory(email="alice@example.com", display_name="Alice")


@pytest.fixture
def bob(db):
    return UserFactory(email="bob@example.com", display_name="Bob")


@pytest.fixture
def charlie(db):
    return UserFactory(email="charlie@example.com", display_name="Charlie")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client


@pytest.fixture
def home_page(db) -> HomePage:
    return HomePage.objects.get()


@pytest.fixture
def category(db):
    return CategoryFactory(name="Running", slug="running")


@pytest.fixture
def make_campaign(home_page):
    def make(**fields) -> CampaignPage:
        fields.setdefault("title", "Running shoes 2027")
        fields.setdefault("starts_on", datetime.date.today() - datetime.timedelta(days=1))
        campaign = CampaignPage(**fields)
        Page.objects.get(pk=home_page.pk).add_child(instance=campaign)
        campaign.save_revision().publish()
        return CampaignPage.objects.get(pk=campaign.pk)

    return make


@pytest.fixture
def campaign(make_campaign):
    return make_campaign()


@pytest.fixture
def idea(alice):
    return IdeaFactory(author=alice, title="Shoes that dry overnight")


def pytest_terminal_summary(terminalreporter):
    """Say plainly at the end when browser tests were skipped, and why (xdist too)."""
    reasons = set()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        if isinstance(longrepr, tuple) and "browser tests skipped" in longrepr[2]:
            reasons.add(longrepr[2].removeprefix("Skipped: "))
    for reason in sorted(reasons):
        terminalreporter.write_line(reason, yellow=True, bold=True)
