"""Security emails: a member hears of every change to how they sign in.

allauth sends them (ACCOUNT_EMAIL_NOTIFICATIONS) for a changed password, a changed
or removed address, and a second factor added or removed. Alice is the member.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.core import mail

from tests.site.test_two_factor import code_for, confirm_password, log_in, with_totp

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


@pytest.fixture
def alice_in(client, alice, password):
    log_in(client, alice.email, password)
    mail.outbox.clear()
    return client


def only_mail():
    (message,) = mail.outbox
    return message


# allauth mails these on commit, within the request outside a test's transaction.
@pytest.mark.django_db(transaction=True)
def test_adding_an_authenticator_app_tells_the_member(alice_in, alice, password):
    confirm_password(alice_in, password)
    alice_in.get("/accounts/2fa/totp/activate/")
    secret = alice_in.session[SECRET_SESSION_KEY]

    alice_in.post("/accounts/2fa/totp/activate/", {"code": code_for(secret)})

    message = only_mail()
    assert message.to == ["alice@example.com"]
    assert message.subject == "[Cocreate] Authenticator App Activated"
    assert "Authenticator app activated." in message.body
    assert "Hello from Cocreate!" in message.body
    assert "Thank you for using Cocreate!" in message.body


def test_removing_the_authenticator_app_tells_the_member(alice_in, alice, password):
    with_totp(alice)
    confirm_password(alice_in, password)

    response = alice_in.post("/accounts/2fa/totp/deactivate/")

    assert response.status_code == 302
    assert not Authenticator.objects.filter(
        user=alice, type=Authenticator.Type.TOTP
    ).exists()
    message = only_mail()
    assert message.subject == "[Cocreate] Authenticator App Deactivated"
    assert "Authenticator app deactivated." in message.body


@pytest.mark.django_db(transaction=True)
def test_new_recovery_codes_tell_the_member(alice_in, alice, password):
    with_totp(alice)
    confirm_password(alice_in, password)

    alice_in.post("/accounts/2fa/recovery-codes/generate/")

    assert only_mail().subject == "[Cocreate] New Recovery Codes Generated"


def test_changing_the_password_tells_the_member(alice_in, password):
    response = alice_in.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    message = only_mail()
    assert message.subject == "[Cocreate] Password Changed"
    assert message.to == ["alice@example.com"]


def test_changing_the_address_tells_the_old_one(alice_in, alice, password):
    alice_in.post(
        "/accounts/email/", {"action_add": "", "email": "alice.new@example.com"}
    )
    (confirmation,) = mail.outbox
    link = re.search(
        r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", confirmation.body
    )
    mail.outbox.clear()

    alice_in.post(link.group(1))

    assert EmailAddress.objects.get(user=alice, primary=True).email == (
        "alice.new@example.com"
    )
    message = only_mail()
    assert message.to == ["alice@example.com"]
    assert message.subject == "[Cocreate] Email Changed"


def test_removing_an_address_tells_the_member(alice_in, alice):
    EmailAddress.objects.create(
        user=alice, email="alice.old@example.com", verified=True
    )

    alice_in.post(
        "/accounts/email/", {"action_remove": "", "email": "alice.old@example.com"}
    )

    assert not EmailAddress.objects.filter(email="alice.old@example.com").exists()
    message = only_mail()
    assert message.to == ["alice@example.com"]
    assert message.subject == "[Cocreate] Email Removed"
    assert "alice.old@example.com" in message.body
