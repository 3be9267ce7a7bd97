"""ideas.following: members follow ideas to hear what becomes of them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from ideas import following
from ideas.errors import AlreadyDone, NotAllowed, RateLimited
from ideas.models import Follow, Idea, IdeaStatus
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def followers(idea: Idea) -> int:
    return Idea.objects.get(pk=idea.pk).followers_count


def test_it_follows_and_counts(idea, bob):
    follow = following.follow(member=bob, idea=idea)

    assert follow.member == bob
    assert followers(idea) == 1


def test_following_twice_is_already_done_and_counts_once(idea, bob):
    following.follow(member=bob, idea=idea)

    with pytest.raises(AlreadyDone, match="already follow"):
        following.follow(member=bob, idea=idea)

    assert Follow.objects.filter(idea=idea, member=bob).count() == 1
    assert followers(idea) == 1


def test_it_unfollows_and_counts(idea, bob, charlie):
    following.follow(member=bob, idea=idea)
    following.follow(member=charlie, idea=idea)

    following.unfollow(member=bob, idea=idea)

    assert list(Follow.objects.values_list("member", flat=True)) == [charlie.pk]
    assert followers(idea) == 1


def test_unfollowing_what_you_do_not_follow_is_already_done(idea, bob):
    with pytest.raises(AlreadyDone, match="do not follow"):
        following.unfollow(member=bob, idea=idea)

    assert followers(idea) == 0


def test_it_refuses_anonymous_visitors(idea):
    with pytest.raises(NotAllowed, match="log in"):
        following.follow(member=AnonymousUser(), idea=idea)
    with pytest.raises(NotAllowed, match="log in"):
        following.unfollow(member=AnonymousUser(), idea=idea)


def test_it_refuses_an_idea_nobody_else_can_see(alice, bob):
    pending = IdeaFactory(author=alice, status=IdeaStatus.PENDING)

    with pytest.raises(NotAllowed):
        following.follow(member=bob, idea=pending)
    assert followers(pending) == 0


def test_it_refuses_a_member_following_too_fast(bob, settings):
    settings.COCREATE_RATE_LIMITS = {"follow": "1/60"}
    first, second = IdeaFactory.create_batch(2)
    following.follow(member=bob, idea=first)

    with pytest.raises(RateLimited, match="slow down"):
        following.follow(member=bob, idea=second)
    assert followers(second) == 0
