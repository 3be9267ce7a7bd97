"""Security headers: a strict Content-Security-Policy with nonces on the public site,
a looser one in the admin, Permissions-Policy, no-store on private pages, HSTS,
and no cookie beyond session, CSRF and language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import path

from rewards.models import Reward, RewardKind
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db

ALLOWED_COOKIES = {
    settings.SESSION_COOKIE_NAME,
    settings.CSRF_COOKIE_NAME,
    settings.LANGUAGE_COOKIE_NAME,
}


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def public_pages_of(campaign, author) -> list[str]:
    """Every kind of public page: an idea of the campaign and a reward are made."""
    idea = IdeaFactory(author=author, campaign=campaign, title="Laces that stay tied")
    reward = Reward.objects.create(
        title="Water bottle", kind=RewardKind.DONATION, cost=10
    )
    return [
        "/",
        "/ideas/",
        idea.get_absolute_url(),
        campaign.url,
        "/accounts/login/",
        "/accounts/signup/",
        "/rewards/",
        f"/rewards/{reward.pk}/",
    ]


@pytest.fixture
def public_pages(campaign, alice):
    return public_pages_of(campaign, alice)


def test_public_pages_have_a_strict_policy_with_this_requests_nonce(
    client, public_pages
):
    for url in public_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        assert nonce, url
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'", f"'nonce-{nonce.group(1)}'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["img-src"] == ["'self'", "data:", "blob:"]
        assert policy["connect-src"] == ["'self'", "ws://testserver"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert policy["form-action"][0] == "'self'"
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_every_script_is_our_own_file_or_carries_the_nonce(client, public_pages):
    """Inline code runs only with the request's nonce; files come from our own
    static folder ('self'), and JSON data blocks never run."""
    for url in public_pages:
        response = client.get(url)
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
        assert any(f'nonce="{nonce.group(1)}"' in tag for tag in scripts), url
        for tag in scripts:
            if 'type="application/json"' in tag:
                continue  # data, never run
            if " src=" in tag:
                assert 'src="/static/' in tag, (url, tag)
            else:
                assert f'nonce="{nonce.group(1)}"' in tag, (url, tag)


def test_our_templates_give_every_script_the_nonce():
    for template in (settings.BASE_DIR / "templates").rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", template.read_text()):
            if 'type="application/json"' not in tag:
                assert 'nonce="{{ request.csp_nonce }}"' in tag, (template, tag)


def test_each_request_gets_a_new_nonce(client):
    first = client.get("/")["Content-Security-Policy"]
    second = client.get("/")["Content-Security-Policy"]

    assert first != second


def test_secure_requests_allow_sockets_over_tls_only(client):
    response = client.get("/", secure=True)

    assert directives(response)["connect-src"] == ["'self'", "wss://testserver"]


def test_the_admin_has_its_own_looser_policy(mod_client):
    response = mod_client.get("/admin/")

    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "nonce-" not in response["Content-Security-Policy"]


def _fails(request):
    raise RuntimeError("boom")


#: This module is the URLconf of the error page test: one view that fails.
urlpatterns = [path("fails/", _fails)]
handler500 = "cocreate.views.server_error"


@pytest.mark.urls(__name__)
def test_the_error_page_may_use_its_inline_styles_and_nothing_else(client):
    client.raise_request_exception = False

    response = client.get("/fails/")

    assert response.status_code == 500
    policy = directives(response)
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["script-src"] == ["'self'"]  # no script on it, so no nonce
    assert policy["frame-ancestors"] == ["'none'"]


def test_every_response_has_a_permissions_policy(client):
    policy = client.get("/")["Permissions-Policy"]

    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
    assert "interest-cohort=()" in policy
    assert "browsing-topics=()" in policy


def test_referrer_and_content_type_headers(client):
    response = client.get("/")

    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_hsts_is_sent_on_secure_requests(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000  # the default with DEBUG off

    response = client.get("/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000"


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/email/",
        "/accounts/password/change/",
        "/rewards/wallet/",
        "/notifications/",
        "/notifications/settings/",
        "/members/settings/",
        "/members/consents/",
        "/accounts/privacy/",
        "/admin/",
    ],
)
def test_private_pages_are_never_stored(mod_client, url):
    response = mod_client.get(url)

    assert response.status_code == 200, url
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_redeem_page_is_never_stored(alice_client):
    reward = Reward.objects.create(title="Cap", kind=RewardKind.DONATION, cost=10)

    response = alice_client.get(f"/rewards/{reward.pk}/redeem/")

    assert "no-store" in response["Cache-Control"]


def test_public_pages_may_be_cached(client, public_pages):
    response = client.get("/ideas/")

    assert "no-store" not in response.get("Cache-Control", "")


def test_public_pages_set_no_cookie_beyond_session_csrf_and_language(
    client, public_pages, alice, password
):
    seen = set()
    for url in public_pages:
        seen |= set(client.get(url).cookies)
    # Logging in (allauth adds a message) and browsing as a member.
    client.post("/accounts/login/", {"login": alice.email, "password": password})
    seen |= set(client.cookies)
    for url in public_pages:
        seen |= set(client.get(url).cookies)

    assert seen <= ALLOWED_COOKIES, seen - ALLOWED_COOKIES
    assert settings.SESSION_COOKIE_NAME in seen  # logged in indeed


def test_scripts_never_come_from_the_media_origin():
    """A CDN for uploads serves images, never scripts (an uploaded file could be
    one): script-src names the static files' origin only."""
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json, cocreate.settings as s; "
        "print(json.dumps([[str(v) for v in s.CONTENT_SECURITY_POLICY"
        "['DIRECTIVES']['script-src']], "
        "[str(v) for v in s.COCREATE_ADMIN_CSP_DIRECTIVES['script-src']], "
        "[str(v) for v in s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]]))"
    )
    env = {**os.environ, "DEBUG": "true", "MEDIA_URL": "https://media.example.com/"}
    out = subprocess.run(  # noqa: S603 (our interpreter, our code)
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    site_scripts, admin_scripts, images = json.loads(out.strip().splitlines()[-1])
    assert "https://media.example.com" in images
    assert "https://media.example.com" not in site_scripts
    assert "https://media.example.com" not in admin_scripts
