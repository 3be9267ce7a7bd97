"""The admin home, the log-in page and the health check: who gets in."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.site.url_permissions.helpers import (
    ADMIN_LOGIN,
    OK,
    PERSONAS,
    _login,
    all_roles,
)

#: WhiteNoise warns on every request when collectstatic has not run; not our topic.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


# Third-party areas, coarsely -------------------------------------------------------
ADMIN_HOME = {
    "anonymous": ADMIN_LOGIN,
    "member": ADMIN_LOGIN,
    "suspended": ADMIN_LOGIN,
    "panelist": ADMIN_LOGIN,
    **all_roles(OK),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_home_admits_the_brand_team_only(client, world, db, persona):
    _login(client, world, persona)
    response = client.get(reverse("wagtailadmin_home"))
    expected = ADMIN_HOME[persona]
    assert response.status_code == expected.status
    if expected.to:
        assert urlsplit(response["Location"]).path == reverse(expected.to[0])


def test_login_page_is_open_to_visitors(client, db):
    assert client.get(reverse("account_login")).status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_health_check_answers_everybody(client, world, db, persona):
    _login(client, world, persona)
    assert client.get("/healthz").status_code == 200
