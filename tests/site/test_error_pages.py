"""The error pages: branded, with a way home, and the 500 page renders even when
the database and the session are gone."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.template import loader
from django.urls import path
from psycopg_pool import PoolTimeout

from cocreate import urls as project_urls

#: WhiteNoise warns on every request when collectstatic has not run; not our topic.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def refused(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("A crafted request.")


def broken(request):
    raise RuntimeError("A bug in a view.")


def full(request):
    """What a view raises when no pooled database connection frees up in time."""
    raise OperationalError("couldn't get a connection") from PoolTimeout("timeout")


# The project's URLs and handlers, with three views that fail on purpose.
urlpatterns = [
    path("test-refused/", refused),
    path("test-suspicious/", suspicious),
    path("test-broken/", broken),
    path("test-full/", full),
    *project_urls.urlpatterns,
]
handler400 = project_urls.handler400
handler500 = project_urls.handler500


@pytest.fixture
def live_settings(settings):
    """As in production: DEBUG off, so Django renders the handlers' pages."""
    settings.DEBUG = False
    return settings


@pytest.fixture
def failing_client(client):
    client.raise_request_exception = False
    return client


def _has_home_link(response) -> bool:
    return 'href="/"' in response.content.decode()


@pytest.mark.django_db
def test_404_is_the_sites_page_with_a_way_home(live_settings, client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()  # the base template
    assert _has_home_link(response)


@pytest.mark.django_db
def test_404_of_a_missing_idea_is_the_same_page(live_settings, client):
    response = client.get("/ideas/999999/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_403_says_why_and_offers_to_log_in(live_settings, client):
    response = client.get("/test-refused/")

    assert response.status_code == 403
    content = response.content.decode()
    assert "Access refused" in content
    assert "does not have the permission" in content
    assert 'class="site-header"' in content
    assert _has_home_link(response)
    assert "/accounts/login/" in content


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_400_is_the_sites_page(live_settings, client):
    response = client.get("/test-suspicious/")

    assert response.status_code == 400
    content = response.content.decode()
    assert "Bad request" in content
    assert 'class="site-header"' in content
    assert _has_home_link(response)


@pytest.mark.django_db
def test_400_for_a_host_we_do_not_serve(live_settings, client):
    response = client.get("/", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


@pytest.mark.urls(__name__)
def test_500_renders_without_the_database(live_settings, failing_client):
    """No ``db`` mark: any query while failing would raise here instead."""
    response = failing_client.get("/test-broken/")

    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong" in content
    assert live_settings.WAGTAIL_SITE_NAME in content
    assert _has_home_link(response)
    assert "<style>" in content  # no stylesheet to fetch from a failing server


@pytest.mark.urls(__name__)
def test_a_full_connection_pool_is_a_503_that_asks_to_retry(
    live_settings, failing_client
):
    response = failing_client.get("/test-full/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    content = response.content.decode()
    assert "The site is very busy" in content
    assert "Something went wrong" not in content


def test_500_template_needs_no_context():
    """Django's own ``server_error`` renders it with an empty context."""
    content = loader.get_template("500.html").render()

    assert "Something went wrong" in content
    assert 'href="/"' in content


@pytest.mark.django_db
def test_pages_carry_the_translated_htmx_failure_message(client):
    """static/js/errors.js shows this sentence when an htmx request fails."""
    response = client.get("/ideas/")

    content = response.content.decode()
    assert 'data-htmx-error="Something went wrong; please try again."' in content
    assert "js/errors.js" in content
