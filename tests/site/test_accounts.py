"""Sign-up and log-in through django-allauth: email as login, verified first."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from cocreate.members.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


def sign_up(client, **fields):
    data = {
        "email": "dana@example.com",
        "display_name": "Dana",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **fields,
    }
    return client.post("/accounts/signup/", data)


def log_in(client, email, password, **headers):
    return client.post(
        "/accounts/login/", {"login": email, "password": password}, headers=headers
    )


def test_the_sign_up_form_asks_for_a_display_name(client):
    html = client.get("/accounts/signup/").content.decode()

    assert 'name="display_name"' in html
    assert 'name="email"' in html


def test_signing_up_stores_the_display_name_and_sends_a_confirmation(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="dana@example.com")
    assert user.display_name == "Dana"
    assert not EmailAddress.objects.get(user=user).verified
    (message,) = mail.outbox
    assert message.to == ["dana@example.com"]
    assert "/accounts/confirm-email/" in message.body


def test_signing_up_without_a_display_name_is_refused_in_words(client):
    response = sign_up(client, display_name="   ")

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert 'value="dana@example.com"' in response.content.decode()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_signing_up_with_a_taken_email_reveals_nothing_and_tells_the_owner(
    client, alice
):
    response = sign_up(client, email="alice@example.com")

    assert response["Location"] == "/accounts/confirm-email/"  # same as a new one
    assert User.objects.filter(email="alice@example.com").count() == 1
    assert User.objects.get(email="alice@example.com").display_name == "Alice"
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]


def test_the_confirmation_link_verifies_and_logs_in(client):
    sign_up(client)
    link = re.search(
        r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body
    )
    assert link

    page = client.get(link.group(1))
    response = client.post(link.group(1))

    assert page.status_code == 200
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="dana@example.com").verified
    home = client.get("/")
    assert home.context["user"].email == "dana@example.com"


def test_logging_in_with_an_unverified_email_is_held_at_verification(client, password):
    UserFactory(email="eve@example.com", verified=False)

    response = log_in(client, "eve@example.com", password)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1  # a fresh confirmation is sent


def test_logging_in_with_a_verified_email_works(client, alice, password):
    response = log_in(client, "alice@example.com", password)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_wrong_password_is_refused(client, alice):
    response = log_in(client, "alice@example.com", "not-the-password")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logging_in_returns_to_the_page_asked_for(client, alice, password):
    response = client.post(
        "/accounts/login/?next=/ideas/new/",
        {"login": "alice@example.com", "password": password, "next": "/ideas/new/"},
    )

    assert response["Location"] == "/ideas/new/"


# Behind nginx every request comes from 127.0.0.1 (the test client's REMOTE_ADDR
# too); the person's address is in X-Forwarded-For. login_failed: 10/m per address.
ATTACKER = "203.0.113.7"
MEMBER = "198.51.100.20"
LOCKED = "Too many failed login attempts"


def bad_passwords(count, *, forwarded_for):
    """Wrong passwords for accounts no one has, so only the per-address limit
    (not the per-account one) can refuse; the last page is returned."""
    attacker = Client()
    for attempt in range(count):
        response = log_in(
            attacker,
            f"nobody{attempt}@example.com",
            "guess",
            X_Forwarded_For=forwarded_for(attempt),
        )
    return response.content.decode()


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def test_behind_the_proxy_bad_passwords_lock_out_only_their_sender(
    behind_one_proxy, alice, password
):
    assert LOCKED not in bad_passwords(10, forwarded_for=lambda _: ATTACKER)
    assert LOCKED in bad_passwords(1, forwarded_for=lambda _: ATTACKER)

    member = Client()
    response = log_in(member, "alice@example.com", password, X_Forwarded_For=MEMBER)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert member.session["_auth_user_id"] == str(alice.pk)


def test_behind_the_proxy_a_forged_first_entry_buys_no_fresh_attempts(
    behind_one_proxy,
):
    # nginx appends the address it saw after whatever the client made up.
    bad_passwords(10, forwarded_for=lambda attempt: f"10.0.0.{attempt}, {ATTACKER}")

    assert LOCKED in bad_passwords(1, forwarded_for=lambda _: f"10.1.1.1, {ATTACKER}")


def test_without_trusted_proxies_a_forwarded_for_header_is_not_believed(
    settings, alice, password
):
    settings.TRUSTED_PROXY_COUNT = 0

    bad_passwords(10, forwarded_for=lambda attempt: f"10.0.0.{attempt}")

    assert LOCKED in bad_passwords(1, forwarded_for=lambda _: "10.1.1.1")
    # Everyone then shares the proxy's address: why TRUSTED_PROXY_COUNT matters.
    member = Client()
    response = log_in(member, "alice@example.com", password, X_Forwarded_For=MEMBER)
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in member.session
