"""Hiding by reports is provisional: the author keeps their points until a
moderator confirms the hiding, loses them once then, and never on a restore."""

from __future__ import annotations

import pytest

from ideas import discussion, voting
from ideas.models import Comment, Idea, IdeaStatus
from ideas.moderation import services as moderation
from rewards.models import Entry, EntryKind
from tests.ideas.reporters import established
from tests.rewards.conftest import points
from tests.rewards.earning.helpers import publish

pytestmark = pytest.mark.usefixtures("clean_audit")


def reversals() -> int:
    return Entry.objects.filter(kind=EntryKind.REVERSAL).count()


def report_hidden(content: Idea | Comment) -> None:
    field = "comment" if isinstance(content, Comment) else "idea"
    for reporter in established(3):
        moderation.report(reporter=reporter, reason="spam", **{field: content})


@pytest.fixture
def supported(alice, bob):
    idea = publish(alice)
    voting.support(member=bob, idea=idea)
    assert points(alice) == 32
    return idea


def test_hiding_by_reports_takes_no_points(supported, alice):
    report_hidden(supported)

    assert Idea.objects.get(pk=supported.pk).status == IdeaStatus.HIDDEN
    assert points(alice) == 32
    assert reversals() == 0


def test_the_moderators_confirmation_takes_them_once(supported, alice, moderator):
    report_hidden(supported)

    moderation.hide(actor=moderator, content=supported, reason="Advertising")
    moderation.bulk(moderation.hide, actor=moderator, items=[supported], reason="Again")

    assert points(alice) == 0
    assert reversals() == 3  # publication, first idea and the support received


def test_a_restore_after_reports_has_nothing_to_pay_back(supported, alice, moderator):
    entries = Entry.objects.filter(wallet__member=alice).count()
    report_hidden(supported)

    moderation.restore(actor=moderator, content=supported)

    assert Idea.objects.get(pk=supported.pk).status == IdeaStatus.PUBLISHED
    assert points(alice) == 32
    assert Entry.objects.filter(wallet__member=alice).count() == entries


def test_a_moderators_own_hide_still_takes_the_points_at_once(
    supported, alice, moderator
):
    moderation.hide(actor=moderator, content=supported, reason="Advertising")
    assert points(alice) == 0


def test_a_report_hidden_comment_keeps_its_points_until_confirmed(idea, bob, moderator):
    comment = discussion.post_comment(author=bob, idea=idea, body="Buy now!")
    earned = points(bob)
    assert earned > 0

    report_hidden(comment)
    assert Comment.objects.get(pk=comment.pk).is_hidden
    assert points(bob) == earned

    moderation.hide(actor=moderator, content=comment, reason="Advertising")
    assert points(bob) == 0
