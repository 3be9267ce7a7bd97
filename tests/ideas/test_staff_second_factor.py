"""Staff the brand asks for a second factor keep no brand-team power until they
enrol: not on the site's moderation views, not through an API token."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.messages import get_messages

from ideas import permissions
from ideas.models import IdeaStatus
from tests.ideas.api.helpers import Api, assert_error, make_token

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def staff_mfa(settings):
    settings.COCREATE_STAFF_MFA = "all"
    return settings


def enrol(user) -> None:
    TOTP.activate(user, generate_totp_secret())


def test_the_permissions_refuse_staff_who_must_enrol(staff_mfa, moderator, idea):
    assert not permissions.can_moderate(moderator)
    assert not permissions.can_change_status(moderator)
    assert not permissions.can_answer_officially(moderator, idea)


def test_enrolled_staff_keep_their_powers(staff_mfa, moderator, idea):
    enrol(moderator)
    assert permissions.can_moderate(moderator)
    assert permissions.can_answer_officially(moderator, idea)


def test_without_the_policy_nothing_changes(moderator, idea):
    assert permissions.can_moderate(moderator)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("moderate", {"action": "lock"}),
        ("status", {"status-status": "under_review", "status-note": "Looking"}),
        ("answer", {"answer-body": "We hear you."}),
    ],
)
def test_the_site_views_lead_to_the_two_factor_page(
    staff_mfa, client, moderator, idea, path, data
):
    client.force_login(moderator)
    response = client.post(f"/ideas/{idea.pk}/{path}/", data)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/"
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("two-factor authentication" in text for text in texts)
    idea.refresh_from_db()
    assert not idea.comments_locked
    assert idea.status == IdeaStatus.PUBLISHED
    assert not idea.comments.exists()


def test_the_site_view_works_once_enrolled(staff_mfa, client, moderator, idea):
    enrol(moderator)
    client.force_login(moderator)
    client.post(f"/ideas/{idea.pk}/moderate/", {"action": "lock"})
    idea.refresh_from_db()
    assert idea.comments_locked


def test_an_api_token_is_refused_until_its_owner_enrols(
    staff_mfa, client, product, idea
):
    api = Api(client, make_token(product))
    detail = assert_error(api.get("/ideas"), 403)
    assert "/accounts/2fa/" in detail and "two-factor" in detail
    enrol(product)
    product.refresh_from_db()
    assert api.get("/ideas").status_code == 200
