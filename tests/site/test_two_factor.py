"""Two-factor sign-in (allauth's MFA) for members, and what it asks of staff.

Personas: alice is a member, mona a moderator (staff), petra of the product team,
root a superuser. Codes are computed from the secret as an authenticator app does.
"""

from __future__ import annotations

import datetime
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.socialaccount.models import SocialApp
from django.test import Client
from django.utils import timezone

from cocreate.members.staff_security import SESSION_ENDS_KEY

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
TWO_FACTOR = "/accounts/2fa/"
AUTHENTICATE = "/accounts/2fa/authenticate/"


def code_for(secret: str, *, step: int = 0) -> str:
    """What an authenticator app shows now (``step`` periods later)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def log_in(client, email, password, next_url="", **fields):
    query = f"?next={next_url}" if next_url else ""
    return client.post(
        f"/accounts/login/{query}",
        {"login": email, "password": password, "next": next_url, **fields},
    )


def confirm_password(client, password):
    """allauth asks for the password again before a second factor is added."""
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302


def with_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.fixture
def staff_mfa(settings):
    """The default policy of a deployment: every staff account enrols."""
    settings.COCREATE_STAFF_MFA = "all"
    return settings


# Members ---------------------------------------------------------------------------
def test_the_two_factor_page_opens_for_a_member_in_the_site_layout(
    client, alice, password
):
    log_in(client, alice.email, password)

    response = client.get(TWO_FACTOR)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in html
    assert "Authenticator app" in html
    assert "Security keys and passkeys" in html
    assert 'href="/accounts/2fa/"' in client.get("/accounts/email/").content.decode()


def test_the_two_factor_page_asks_visitors_to_log_in(client):
    response = client.get(TWO_FACTOR)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_member_enrols_an_authenticator_app_with_a_real_code(client, alice, password):
    log_in(client, alice.email, password)
    confirm_password(client, password)
    page = client.get("/accounts/2fa/totp/activate/")
    secret = client.session[SECRET_SESSION_KEY]

    response = client.post(
        "/accounts/2fa/totp/activate/", {"code": code_for(secret)}, follow=True
    )

    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()
    assert Authenticator.objects.filter(
        user=alice, type=Authenticator.Type.TOTP
    ).exists()
    # Recovery codes come with it, shown once enrolled.
    assert response.redirect_chain[-1][0] == "/accounts/2fa/recovery-codes/"
    codes = RecoveryCodes(
        Authenticator.objects.get(user=alice, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    assert codes[0] in response.content.decode()


def test_a_wrong_code_does_not_enrol_and_says_so(client, alice, password):
    log_in(client, alice.email, password)
    confirm_password(client, password)
    client.get("/accounts/2fa/totp/activate/")

    response = client.post("/accounts/2fa/totp/activate/", {"code": "000000x"})

    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert not Authenticator.objects.filter(user=alice).exists()


def test_logging_in_asks_for_the_code_then_lets_the_member_in(client, alice, password):
    secret = with_totp(alice)

    response = log_in(client, alice.email, password, "/ideas/")

    assert response.status_code == 302
    assert response["Location"].startswith(AUTHENTICATE)
    assert "_auth_user_id" not in client.session
    page = client.get(AUTHENTICATE)
    assert 'name="code"' in page.content.decode()

    response = client.post(AUTHENTICATE, {"code": code_for(secret)})

    assert response.status_code == 302
    assert response["Location"] == "/ideas/"
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_wrong_code_keeps_the_member_out(client, alice, password):
    secret = with_totp(alice)
    log_in(client, alice.email, password)

    response = client.post(AUTHENTICATE, {"code": code_for(secret, step=40)})

    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_lets_the_member_in_once(client, alice, password):
    with_totp(alice)
    recovery = RecoveryCodes.activate(alice)
    code = recovery.get_unused_codes()[0]

    log_in(client, alice.email, password)
    response = client.post(AUTHENTICATE, {"code": code})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)
    again = Client()
    log_in(again, alice.email, password)
    refused = again.post(AUTHENTICATE, {"code": code})
    assert refused.status_code == 200
    assert "_auth_user_id" not in again.session


def test_passkeys_may_sign_in_on_their_own(client):
    html = client.get("/accounts/login/").content.decode()

    assert "Sign in with a passkey" in html


# Staff must enrol before the admin opens --------------------------------------------
def test_staff_without_a_second_factor_are_sent_to_enrol(staff_mfa, client, moderator):
    client.force_login(moderator)

    response = client.get(ADMIN, follow=True)

    assert response.redirect_chain[0] == (TWO_FACTOR, 302)
    assert "Set up two-factor authentication to open the admin" in (
        response.content.decode()
    )
    for path in ("/admin/pages/", "/admin/reports/", "/admin/login/"):
        assert client.get(path)["Location"] == TWO_FACTOR


def test_the_enrolment_pages_and_logging_out_stay_open(staff_mfa, client, moderator):
    client.force_login(moderator)

    assert client.get(TWO_FACTOR).status_code == 200
    assert client.get("/accounts/2fa/webauthn/add/").status_code in (200, 302)
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_staff_with_an_authenticator_app_open_the_admin(staff_mfa, client, moderator):
    with_totp(moderator)
    client.force_login(moderator)

    assert client.get(ADMIN).status_code == 200


def test_recovery_codes_alone_are_not_a_second_factor(staff_mfa, client, moderator):
    RecoveryCodes.activate(moderator)
    client.force_login(moderator)

    assert client.get(ADMIN)["Location"] == TWO_FACTOR


def test_superusers_enrol_too(staff_mfa, client, superuser):
    client.force_login(superuser)

    assert client.get(ADMIN)["Location"] == TWO_FACTOR


def test_members_are_not_sent_to_enrol_but_to_log_in_as_staff(staff_mfa, client, alice):
    client.force_login(alice)

    response = client.get(ADMIN)

    assert response["Location"].startswith("/accounts/login/")


def test_a_policy_by_group_asks_only_those_groups_and_superusers(
    staff_mfa, moderator, product, superuser
):
    staff_mfa.COCREATE_STAFF_MFA = "Moderators, Editors"
    answers = {}
    for person in (moderator, product, superuser):
        client = Client()
        client.force_login(person)
        answers[person.display_name] = client.get(ADMIN).status_code

    assert answers == {"Mona": 302, "Petra": 200, "Root": 302}


def test_no_policy_asks_nobody(staff_mfa, client, superuser):
    staff_mfa.COCREATE_STAFF_MFA = "none"
    client.force_login(superuser)

    assert client.get(ADMIN).status_code == 200


# The admin logs in through allauth ---------------------------------------------------
def test_the_admin_sends_visitors_to_allauths_log_in_keeping_next(client):
    response = client.get("/admin/pages/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"


def test_the_admins_log_in_page_redirects_to_allauths_keeping_next(client):
    response = client.get("/admin/login/?next=/admin/reports/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Freports%2F"


def test_the_admins_log_in_page_drops_a_next_to_another_site(client):
    response = client.get("/admin/login/?next=https://evil.example/")

    assert response["Location"] == "/accounts/login/"


@pytest.mark.parametrize("path", ["/admin/login/", "/_util/login/"])
def test_posting_credentials_to_wagtails_log_in_forms_logs_nobody_in(
    client, superuser, password, path
):
    response = client.post(
        path, {"username": superuser.email, "password": password, "next": ADMIN}
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_wagtails_password_reset_is_gone(client):
    assert client.get("/admin/password_reset/").status_code == 404


def test_logging_in_for_the_admin_asks_the_second_factor(
    staff_mfa, client, moderator, password
):
    secret = with_totp(moderator)

    response = log_in(client, moderator.email, password, ADMIN)
    assert response["Location"].startswith(AUTHENTICATE)
    response = client.post(AUTHENTICATE, {"code": code_for(secret)})

    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_the_admin_log_in_shares_allauths_limits(client, moderator):
    for _ in range(5):
        log_in(client, moderator.email, "not-the-password", ADMIN)

    response = log_in(client, moderator.email, "not-the-password", ADMIN)

    assert "Too many failed login attempts" in response.content.decode()


# Staff sessions end sooner -----------------------------------------------------------
def test_a_remembered_staff_session_ends_after_the_staff_age(
    settings, client, moderator, password
):
    settings.COCREATE_STAFF_SESSION_AGE = 8 * 3600
    before = timezone.now()

    log_in(client, moderator.email, password, remember="on")

    ends = client.session.get_expiry_date()
    assert before + datetime.timedelta(hours=8) <= ends
    assert ends <= timezone.now() + datetime.timedelta(hours=8, seconds=1)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert 0 < int(cookie["max-age"]) <= 8 * 3600


def test_a_staff_session_that_ends_with_the_browser_also_ends_on_time(
    settings, client, moderator, password
):
    log_in(client, moderator.email, password)

    assert client.session.get_expire_at_browser_close()
    assert client.session[SESSION_ENDS_KEY] <= time.time() + 8 * 3600 + 1


def test_a_members_session_keeps_the_default_age(settings, client, alice, password):
    log_in(client, alice.email, password, remember="on")

    assert SESSION_ENDS_KEY not in client.session
    age = client.session.get_expiry_age()
    assert age > settings.COCREATE_STAFF_SESSION_AGE
    assert age <= settings.SESSION_COOKIE_AGE


def test_a_staff_session_from_before_gets_its_end_on_the_next_admin_request(
    settings, client, moderator
):
    client.force_login(moderator)
    session = client.session
    del session[SESSION_ENDS_KEY]  # as a session begun before these rules
    session.save()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE

    client.get(ADMIN)

    assert SESSION_ENDS_KEY in client.session
    assert client.session.get_expiry_age() <= settings.COCREATE_STAFF_SESSION_AGE


def test_a_staff_session_past_its_end_is_logged_out(client, moderator):
    client.force_login(moderator)
    session = client.session
    session[SESSION_ENDS_KEY] = time.time() - 1
    session.save()

    response = client.get(ADMIN, follow=True)

    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "Your staff session has ended" in response.content.decode()
    assert "_auth_user_id" not in client.session


# Social login --------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/accounts/github/login/",
        "/accounts/github/login/callback/",
        "/accounts/google/login/",
        "/accounts/google/login/callback/",
        "/accounts/facebook/login/",
        "/accounts/facebook/login/callback/",
        "/accounts/facebook/login/token/",
    ],
)
def test_an_unconfigured_provider_is_not_found(client, path):
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404


def test_a_configured_provider_sends_to_it_and_the_others_stay_hidden(client):
    SocialApp.objects.create(
        provider="github", name="GitHub", client_id="id", secret="secret"
    )

    response = client.post("/accounts/github/login/")
    html = client.get("/accounts/login/").content.decode()

    assert response.status_code == 302
    assert response["Location"].startswith("https://github.com/login/oauth/")
    assert "/accounts/github/login/" in html
    assert "/accounts/google/login/" not in html


def test_the_admin_loads_no_avatar_from_gravatar(client, superuser):
    client.force_login(superuser)

    html = client.get("/admin/account/").content.decode()

    assert "gravatar" not in html.lower()
