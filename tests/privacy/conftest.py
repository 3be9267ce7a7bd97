"""A seeded member with something in every part of their data: Zelda.

Zelda has an avatar, a second email address, a GitHub login, an idea with an
image that Bob supports and replies on, a comment, a support, a follow and a
report on Bob's idea, points, a fulfilled parcel (with her address), an open
money payout (with her IBAN), a warning, notifications, a session, an API
token, an authenticator app with recovery codes and a security key named after
her, and consent records (the terms accepted, two opt-ins given, one withdrawn).
Her personal strings are in ``PERSONAL``.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialAccount
from wagtail.models import APIToken

from cocreate import ratelimit
from cocreate.members import consents
from cocreate.members.models import ConsentSource, LegalKind, Purpose, User
from cocreate.members.sanctions import sanction
from cocreate.members.services import update_profile
from cocreate.notifications.models import Notification
from ideas import discussion, following, posting, voting
from ideas.moderation import services as moderation
from rewards import redemptions
from rewards.models import RewardKind
from rewards.redemptions import Details
from tests.factories import IdeaFactory, UserFactory, image_upload
from tests.rewards.conftest import give, make_reward, seasoned

PERSONAL = SimpleNamespace(
    name="Zelda Quixote",
    email="zelda.quixote@example.com",
    other_email="zq.secondary@example.net",
    iban="DE89370400440532013000",
    address="17 Avenue des Tilleuls",
    postcode="59123",
    social_uid="gh-uid-998877",
    social_login="zquixote-gh",
    security_key="Zelda Quixote's YubiKey",
)


@pytest.fixture(autouse=True)
def _own_redis(private_redis):
    """Parallel workers must not share rate-limit counters."""


@pytest.fixture(autouse=True)
def _private_exports(settings, tmp_path):
    settings.COCREATE_EXPORTS_ROOT = tmp_path / "private-exports"


@pytest.fixture(autouse=True)
def _steady_rate_limit_clock(monkeypatch):
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1.8e9))


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(db):
    """Sam runs the community: a superuser, so every permission is his."""
    return UserFactory(
        email="sam@example.com", display_name="Sam", is_staff=True, is_superuser=True
    )


@pytest.fixture
def bob(db):
    return seasoned(email="bob@example.com", display_name="Bob")


@pytest.fixture
def zelda(db, bob, staff, moderator, client):
    zelda = seasoned(
        email=PERSONAL.email,
        display_name=PERSONAL.name,
        first_name="Zelda",
        last_name="Quixote",
    )
    update_profile(
        member=zelda, display_name=PERSONAL.name, avatar=image_upload("me.png")
    )
    EmailAddress.objects.create(user=zelda, email=PERSONAL.other_email)
    SocialAccount.objects.create(
        user=zelda,
        provider="github",
        uid=PERSONAL.social_uid,
        extra_data={"login": PERSONAL.social_login},
    )
    idea = posting.create_idea(
        author=zelda,
        title="Self-lacing trail shoes",
        description="Laces that tighten themselves on the descent.",
        images=[image_upload("trail.jpg")],
    )
    voting.support(member=bob, idea=idea)
    comment = discussion.post_comment(
        author=zelda, idea=idea, body="I tried a prototype last summer."
    )
    discussion.post_comment(
        author=bob, idea=idea, body="How did it hold up?", parent=comment
    )
    other = IdeaFactory(author=bob, title="Reflective running caps")
    voting.support(member=zelda, idea=other)
    following.follow(member=zelda, idea=other)
    moderation.report(
        reporter=zelda, idea=other, reason="off_topic", text="Not about shoes."
    )
    give(zelda, 2000, actor=staff)
    parcel = redemptions.redeem(
        member=zelda,
        reward=make_reward(kind=RewardKind.GOODS, cost=40, title="Water bottle"),
        details=Details(
            shipping_name=PERSONAL.name,
            shipping_address=PERSONAL.address,
            shipping_postcode=PERSONAL.postcode,
            shipping_city="Lille",
            shipping_country="France",
        ),
    )
    redemptions.approve(actor=staff, redemption=parcel)
    redemptions.fulfil(actor=staff, redemption=parcel)
    redemptions.redeem(
        member=zelda,
        reward=make_reward(kind=RewardKind.MONEY, cost=100, title="Cash back"),
        details=Details(points=1250, account_holder=PERSONAL.name, iban=PERSONAL.iban),
    )
    sanction(actor=moderator, member=zelda, kind="warning", reason="Be kind.")
    Notification.objects.create(
        recipient=zelda, kind="reply", title="Bob replied to your comment"
    )
    Notification.objects.create(
        recipient=bob, kind="reply", title=f"{PERSONAL.name} replied to your comment"
    )
    APIToken.create_token(user=zelda, name="My script")
    TOTP.activate(zelda, generate_totp_secret())
    RecoveryCodes.activate(zelda)
    Authenticator.objects.create(
        user=zelda,
        type=Authenticator.Type.WEBAUTHN,
        data={
            "name": PERSONAL.security_key,
            "credential": {"rawId": "cred-zq-4242"},
            "passwordless": False,
        },
    )
    terms = consents.record_legal_version(
        kind=LegalKind.TERMS,
        version="2026-01",
        title="Terms of use",
        url="/terms/",
        requires_acceptance=True,
    )
    consents.accept_legal(member=zelda, source=ConsentSource.SIGNUP, versions=[terms])
    # The others accepted too: the tests act as Bob and the staff.
    User.objects.update(terms_pending=False)
    for purpose, granted in (
        (Purpose.CONTACT, True),
        (Purpose.RESEARCH, True),
        (Purpose.RESEARCH, False),
        (Purpose.MARKETING, True),
    ):
        consents.set_consent(
            member=zelda,
            purpose=purpose,
            granted=granted,
            source=ConsentSource.SETTINGS,
            text=f"The words shown for {purpose}.",
        )
    client.force_login(zelda)
    zelda.refresh_from_db()
    return SimpleNamespace(member=zelda, idea=idea, comment=comment, other=other)
