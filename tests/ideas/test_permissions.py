"""ideas.permissions: a matrix of who may do what with an idea."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from ideas import permissions
from ideas.models import IdeaStatus
from tests.factories import CommentFactory, IdeaFactory, UserFactory
from tests.ideas.conftest import make_older

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice, bob):
    moderator = UserFactory(display_name="Mo")
    moderator.user_permissions.add(Permission.objects.get(codename="change_idea"))
    return {
        "anonymous": AnonymousUser(),
        "author": alice,
        "member": bob,
        "moderator": type(moderator).objects.get(pk=moderator.pk),
    }


# who -> (view, support, comment, follow, edit) on a published idea
PUBLISHED = {
    "anonymous": (True, False, False, False, False),
    "author": (True, False, True, True, True),
    "member": (True, True, True, True, False),
    "moderator": (True, True, True, True, False),
}
# ... on a pending idea: only its author and moderators see it, nobody acts on it
PENDING = {
    "anonymous": (False, False, False, False, False),
    "author": (True, False, False, False, True),
    "member": (False, False, False, False, False),
    "moderator": (True, False, False, False, False),
}


def matrix_row(user, idea):
    return (
        permissions.can_view_idea(user, idea),
        permissions.can_support(user, idea),
        permissions.can_comment(user, idea),
        permissions.can_follow(user, idea),
        permissions.can_edit_idea(user, idea),
    )


@pytest.mark.parametrize("who", list(PUBLISHED))
def test_who_may_do_what_with_a_published_idea(people, alice, who):
    idea = IdeaFactory(author=alice)

    assert matrix_row(people[who], idea) == PUBLISHED[who]


@pytest.mark.parametrize("who", list(PENDING))
def test_who_may_do_what_with_a_pending_idea(people, alice, who):
    idea = IdeaFactory(author=alice, status=IdeaStatus.PENDING)

    assert matrix_row(people[who], idea) == PENDING[who]


def test_nobody_supports_or_comments_a_declined_idea(people, alice):
    idea = IdeaFactory(author=alice, status=IdeaStatus.DECLINED)

    for who in ("member", "moderator"):
        assert permissions.can_view_idea(people[who], idea)
        assert not permissions.can_support(people[who], idea)
        assert not permissions.can_comment(people[who], idea)


def test_the_author_cannot_edit_a_hidden_idea(alice):
    idea = IdeaFactory(author=alice, status=IdeaStatus.HIDDEN)

    assert permissions.can_view_idea(alice, idea)
    assert not permissions.can_edit_idea(alice, idea)


def test_the_idea_edit_window_closes_after_30_minutes_once_supported(alice):
    idea = IdeaFactory(author=alice, supports_count=3)
    assert permissions.can_edit_idea(alice, idea)

    make_older(idea, minutes=31)

    assert not permissions.can_edit_idea(alice, idea)


def test_the_comment_edit_window_closes_after_15_minutes(idea, bob):
    comment = CommentFactory(idea=idea, author=bob)
    assert permissions.can_edit_comment(bob, comment)
    assert permissions.can_delete_comment(bob, comment)

    make_older(comment, minutes=16)

    assert not permissions.can_edit_comment(bob, comment)
    assert permissions.can_delete_comment(bob, comment)


def test_only_the_author_edits_or_deletes_a_comment(idea, bob, charlie):
    comment = CommentFactory(idea=idea, author=bob)

    assert not permissions.can_edit_comment(charlie, comment)
    assert not permissions.can_delete_comment(charlie, comment)
    assert not permissions.can_delete_comment(AnonymousUser(), comment)
