"""Fixtures shared by the whole suite: personas, a site tree and clean caches.

Personas: alice proposes ideas, bob supports and comments, charlie is another
member, and anonymous visitors use a plain client.
"""

from __future__ import annotations

import datetime
import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation
from wagtail.models import Page

from cocreate.pages.models import HomePage
from ideas.models import CampaignPage
from tests.factories import PASSWORD, CategoryFactory, IdeaFactory, UserFactory


@pytest.fixture(autouse=True, scope="session")
def _redis_per_worker():
    """With REDIS_URL in a parallel run, each worker keeps its cache and channel
    layer in a Redis database of its own (the base one + 2 + its number), so one
    test's FLUSHDB never empties the warm caches of the test running beside it.
    ``private_redis`` keeps the base + 1 for the tests that need a clean slate."""
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not settings.REDIS_URL or not worker.startswith("gw"):
        yield
        return
    url = urlsplit(settings.REDIS_URL)
    number = int(url.path.strip("/") or 0) + 2 + int(worker[2:])
    location = urlunsplit(url._replace(path=f"/{number}"))
    cache_settings = {**settings.CACHES["default"], "LOCATION": location}
    layer = settings.CHANNEL_LAYERS["default"]
    hosts = [{**host, "address": location} for host in layer["CONFIG"]["hosts"]]
    override = override_settings(
        CACHES={"default": cache_settings},
        CHANNEL_LAYERS={
            "default": {**layer, "CONFIG": {**layer["CONFIG"], "hosts": hosts}}
        },
    )
    override.enable()
    yield
    override.disable()


@pytest.fixture(autouse=True)
def _site_language(settings):
    """Each test starts in the site's language: a request's language stays active
    in its thread afterwards (as Django's LocaleMiddleware leaves it), and would
    otherwise carry into the next test on the same worker."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Every test gets its own media folder and an empty cache (rate limits)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _staff_without_second_factor(settings):
    """Staff personas open the admin without enrolling a second factor, except in
    the tests of that rule (tests/site/test_two_factor.py), which set the policy."""
    settings.COCREATE_STAFF_MFA = "none"


@pytest.fixture
def private_redis(_isolated, settings):
    """With REDIS_URL: cache and channel layer in a Redis database no test flushes,
    under a key prefix of this test's own (empty by construction).

    ``_isolated`` empties the cache with FLUSHDB, which in a parallel run (``make
    test`` runs two workers) wipes the rate-limit counters, warm caches and group
    memberships of the test next door; ids also repeat between the workers'
    databases, so keys such as ``ratelimit:support:2`` or the group ``idea.5``
    would be shared. Without REDIS_URL (locmem, in-memory layer) nothing changes.
    """
    if not settings.REDIS_URL:
        yield
        return
    url = urlsplit(settings.REDIS_URL)
    spare = int(url.path.strip("/") or 0) + 1
    location = urlunsplit(url._replace(path=f"/{spare}"))
    prefix = f"cocreate-test-{uuid.uuid4().hex[:12]}"
    # override_settings, not the settings fixture: the override must end before
    # _isolated's closing cache.clear(), or that FLUSHDB would hit the spare one.
    with override_settings(
        CACHES={
            "default": {
                **settings.CACHES["default"],
                # Its clear() empties this prefix only: the spare database is
                # shared by the parallel workers.
                "BACKEND": "tests.redis_cache.PrefixedRedisCache",
                "LOCATION": location,
                "KEY_PREFIX": prefix,
            }
        },
        CHANNEL_LAYERS={
            "default": {
                **settings.CHANNEL_LAYERS["default"],
                "CONFIG": {"hosts": [location], "prefix": prefix},
            }
        },
    ):
        yield


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
def moderator(db):
    """Mona, a community manager (the Moderators group)."""
    member = UserFactory(email="mona@example.com", display_name="Mona")
    member.groups.add(Group.objects.get(name="Moderators"))
    return member


@pytest.fixture
def product(db):
    """Petra, of the product team."""
    member = UserFactory(email="petra@example.com", display_name="Petra")
    member.groups.add(Group.objects.get(name="Product team"))
    return member


@pytest.fixture
def superuser(db):
    return UserFactory(
        email="root@example.com", display_name="Root", is_staff=True, is_superuser=True
    )


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def product_client(client, product):
    client.force_login(product)
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
        fields.setdefault(
            "starts_on", datetime.date.today() - datetime.timedelta(days=1)
        )
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
