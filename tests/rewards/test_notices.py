"""Members hear of points others made them earn, not of their own."""

from __future__ import annotations

from cocreate.notifications.models import Notification
from ideas import discussion, events, voting
from ideas.models import Idea


def test_points_from_a_status_reach_the_author(idea, alice, staff):
    events.idea_status_changed.send(
        sender=Idea,
        idea=idea,
        old_status="published",
        new_status="shortlisted",
        actor=staff,
        note="",
    )
    note = Notification.objects.get(recipient=alice, kind="points")
    assert note.title.startswith("+100 points")


def test_own_actions_and_supports_send_no_points_notice(idea, alice, bob):
    voting.support(member=bob, idea=idea)
    discussion.post_comment(author=bob, idea=idea, body="Nice")
    assert not Notification.objects.filter(kind="points").exists()
