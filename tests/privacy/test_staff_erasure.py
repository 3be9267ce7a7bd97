"""Staff accounts and superusers are erased for someone else only by a superuser:
a holder of the privacy permission alone may not remove the brand team's access."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from cocreate.privacy import erasure
from cocreate.privacy.errors import NotAllowed
from cocreate.privacy.models import Erasure
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def officer(db):
    """Olga handles privacy requests: the permission, and the admin to use it."""
    member = UserFactory(email="olga@example.com", display_name="Olga")
    member.user_permissions.add(
        Permission.objects.get(codename="handle_privacy_request"),
        Permission.objects.get(codename="access_admin"),
    )
    return member


@pytest.mark.parametrize("at_once", [True, False], ids=["at-once", "scheduled"])
@pytest.mark.parametrize("target", ["staff", "moderator"])
def test_an_officer_may_not_erase_a_staff_account(request, officer, target, at_once):
    member = request.getfixturevalue(target)
    with pytest.raises(NotAllowed, match="only a superuser"):
        erasure.request_erasure(
            member=member, actor=officer, keep_content=True, at_once=at_once
        )
    member.refresh_from_db()
    assert member.is_active
    assert not Erasure.objects.filter(member=member).exists()


def test_an_officer_still_erases_a_member(officer, bob):
    done = erasure.request_erasure(member=bob, actor=officer, keep_content=True)
    assert done.completed_at is None and done.member_id == bob.pk


def test_a_superuser_may_erase_a_staff_account(staff, moderator):
    done = erasure.request_erasure(member=moderator, actor=staff, keep_content=True)
    assert done.member_id == moderator.pk


def test_the_back_office_says_why(officer, staff):
    client = Client()
    client.force_login(officer)
    response = client.post(
        reverse("privacy_admin:member", args=[staff.pk]),
        {
            "action": "erase",
            "erase-content": "keep",
            "erase-at_once": "on",
            "erase-reference": "Email of 3 Dec",
        },
    )
    assert response.status_code == 400
    assert "only a superuser may erase it" in response.content.decode()
    staff.refresh_from_db()
    assert staff.is_active
