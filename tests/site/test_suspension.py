"""A suspension blocks every public change: following and the display name and
avatar too, through the services and the pages; consent and unfollowing stay."""

from __future__ import annotations

import pytest

from cocreate.members import consents
from cocreate.members.models import ConsentSource, Purpose
from cocreate.members.services import ProfileLocked, update_profile
from ideas import following, permissions
from ideas.errors import NotAllowed
from ideas.models import Follow
from tests.factories import FollowFactory, IdeaFactory, image_upload

pytestmark = pytest.mark.django_db


def test_a_suspended_member_may_not_follow_and_is_told_until_when(suspended, idea):
    assert not permissions.can_follow(suspended, idea)

    with pytest.raises(NotAllowed, match="suspended until"):
        following.follow(member=suspended, idea=idea)
    assert not Follow.objects.filter(member=suspended).exists()


def test_a_suspended_member_may_still_unfollow(suspended):
    idea = IdeaFactory(followers_count=1)
    FollowFactory(idea=idea, member=suspended)

    following.unfollow(member=suspended, idea=idea)

    assert not Follow.objects.filter(member=suspended).exists()


def test_the_follow_button_refuses_in_words(client, suspended, idea):
    client.force_login(suspended)

    response = client.post(
        f"/ideas/{idea.pk}/follow/",
        {"action": "follow"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "suspended until" in response.content.decode()
    assert not Follow.objects.filter(member=suspended).exists()


def test_a_suspended_follower_still_sees_the_unfollow_button(client, suspended):
    idea = IdeaFactory()
    FollowFactory(idea=idea, member=suspended)
    client.force_login(suspended)

    html = client.get(idea.get_absolute_url()).content.decode()

    assert "Following · Unfollow" in html


def test_the_service_refuses_a_new_name_or_avatar(suspended):
    with pytest.raises(ProfileLocked, match="suspended until"):
        update_profile(member=suspended, display_name="Bobby")
    with pytest.raises(ProfileLocked):
        update_profile(member=suspended, display_name="Bob", avatar=image_upload())

    suspended.refresh_from_db()
    assert suspended.display_name == "Bob" and not suspended.avatar


def test_the_service_lets_a_suspended_member_change_their_consent(suspended):
    consents.set_consent(
        member=suspended,
        purpose=Purpose.CONTACT,
        granted=True,
        source=ConsentSource.SETTINGS,
    )

    suspended.refresh_from_db()
    assert suspended.contact_consent is True


def test_the_profile_page_says_why_and_keeps_what_was_typed(client, suspended):
    client.force_login(suspended)

    response = client.post("/members/settings/", {"display_name": "Bobby"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Your display name and avatar cannot change until then." in html
    assert 'value="Bobby"' in html
    suspended.refresh_from_db()
    assert suspended.display_name == "Bob"


def test_members_in_good_standing_still_follow_and_rename(bob, idea):
    following.follow(member=bob, idea=idea)
    update_profile(member=bob, display_name="Bobby")

    bob.refresh_from_db()
    assert bob.display_name == "Bobby"
    assert Follow.objects.filter(member=bob, idea=idea).exists()
