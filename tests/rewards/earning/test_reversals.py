"""Replayed events, reversals, and removing and restoring ideas and comments."""

from __future__ import annotations

import pytest

from ideas import discussion, events, voting
from ideas.models import Comment, Idea
from rewards import earning
from rewards.models import (
    Entry,
    EntryKind,
)
from rewards.redemptions import redeem
from tests.rewards.conftest import (
    give,
    make_reward,
    points,
    wallet,
)
from tests.rewards.earning.helpers import change_status, publish, remove

pytestmark = pytest.mark.usefixtures("clean_audit")


def restore(content) -> None:
    events.content_restored.send(sender=type(content), content=content, actor=None)


# Replays and reversals --------------------------------------------------------
def test_a_replayed_event_pays_nothing_twice(idea, alice, bob):
    support = voting.support(member=bob, idea=idea)
    comment = discussion.post_comment(author=bob, idea=idea, body="Great")
    change_status(idea, "shortlisted")

    earning.on_idea_supported(sender=None, idea=idea, support=support, member=bob)
    events.idea_supported.send(sender=Idea, idea=idea, support=support, member=bob)
    events.comment_posted.send(sender=Comment, comment=comment, idea=idea, member=bob)
    change_status(idea, "shortlisted")
    events.idea_published.send(sender=Idea, idea=idea, member=alice)
    events.idea_published.send(sender=Idea, idea=idea, member=alice)

    assert points(alice) == 2 + 100 + 10 + 20
    assert points(bob) == 1 + 2


def test_a_replayed_withdrawal_takes_nothing_twice(idea, alice, bob):
    support = voting.support(member=bob, idea=idea)
    voting.withdraw_support(member=bob, idea=idea)

    earning.on_support_withdrawn(
        sender=None, idea=idea, member=bob, support_id=support.pk
    )

    assert Entry.objects.filter(kind=EntryKind.REVERSAL).count() == 2
    assert (points(alice), points(bob)) == (0, 0)


def test_withdrawing_a_support_reverses_both_sides(idea, alice, bob):
    voting.support(member=bob, idea=idea)

    voting.withdraw_support(member=bob, idea=idea)

    assert points(alice) == 0
    assert points(bob) == 0
    reversals = Entry.objects.filter(kind=EntryKind.REVERSAL)
    assert sorted(r.reverses.key.split(":")[0] for r in reversals) == [
        "support-given",
        "support-received",
    ]
    assert {r.amount for r in reversals} == {-1, -2}
    assert wallet(alice).lifetime_earned == 0


def test_a_reversal_takes_back_only_what_was_not_spent(idea, alice, bob, staff):
    voting.support(member=bob, idea=idea)
    give(bob, 4, actor=staff)
    redeem(member=bob, reward=make_reward(cost=5))
    assert points(bob) == 0

    voting.withdraw_support(member=bob, idea=idea)

    reversal = Entry.objects.get(wallet__member=bob, kind=EntryKind.REVERSAL)
    assert reversal.amount == 0
    assert "1 points already spent" in reversal.memo
    assert points(bob) == 0
    assert wallet(bob).held == 5


def test_a_partial_reversal_takes_what_is_left(alice, staff):
    publish(alice)  # 10 + 20
    redeem(member=alice, reward=make_reward(cost=25))

    remove(Idea.objects.get())

    assert points(alice) == 0
    assert sorted(
        Entry.objects.filter(kind=EntryKind.REVERSAL).values_list("amount", flat=True)
    ) == [-5, 0]
    assert wallet(alice).held == 25


# Removal and restore --------------------------------------------------------
def test_removing_an_idea_reverses_what_it_earned_its_author(alice, bob):
    idea = publish(alice)
    voting.support(member=bob, idea=idea)
    assert points(alice) == 32

    remove(idea)

    assert points(alice) == 0
    assert points(bob) == 1  # the supporter keeps theirs
    assert wallet(alice).lifetime_earned == 0


def test_restoring_an_idea_pays_its_author_back(alice, bob):
    idea = publish(alice)
    voting.support(member=bob, idea=idea)
    remove(idea)

    restore(idea)

    assert points(alice) == 32
    assert points(bob) == 1


def test_restoring_pays_back_only_what_the_removal_took(alice):
    idea = publish(alice)
    redeem(member=alice, reward=make_reward(cost=25))
    remove(idea)  # takes 5 of 30: 25 were spent

    restore(idea)

    assert points(alice) == 5


def test_removal_and_restore_cycles_never_pay_twice(alice, bob):
    idea = publish(alice)
    voting.support(member=bob, idea=idea)

    for _ in range(3):
        remove(idea)
        assert points(alice) == 0
        remove(idea)  # a replay
        assert points(alice) == 0
        restore(idea)
        assert points(alice) == 32
        restore(idea)  # a replay
        assert points(alice) == 32

    assert wallet(alice).lifetime_earned == 32


def test_restore_skips_a_support_withdrawn_while_hidden(alice, bob):
    idea = publish(alice)
    voting.support(member=bob, idea=idea)
    remove(idea)

    voting.withdraw_support(member=bob, idea=idea)
    restore(idea)

    assert points(alice) == 30
    assert points(bob) == 0


def test_withdrawing_after_a_restore_takes_the_restored_points(alice, bob):
    idea = publish(alice)
    voting.support(member=bob, idea=idea)
    remove(idea)
    restore(idea)

    voting.withdraw_support(member=bob, idea=idea)

    assert points(alice) == 30
    assert points(bob) == 0


def test_removing_a_comment_reverses_its_points(idea, bob):
    comment = discussion.post_comment(author=bob, idea=idea, body="Nice")

    discussion.remove_comment(actor=bob, comment=comment)

    assert points(bob) == 0
    assert Entry.objects.get(kind=EntryKind.REVERSAL).reverses.key == (
        f"comment:{comment.pk}"
    )


def test_restoring_a_comment_pays_it_back_once(idea, alice, bob):
    comment = discussion.post_comment(author=bob, idea=idea, body="Nice")
    voting.support(member=bob, idea=idea)

    for _ in range(2):
        remove(comment)
        remove(comment)
        assert points(bob) == 1
        restore(comment)
        restore(comment)
        assert points(bob) == 3

    assert points(alice) == 2  # the idea's author is untouched by the comment


def test_removing_a_comment_leaves_the_idea_author_alone(idea, alice, bob):
    voting.support(member=bob, idea=idea)
    own = discussion.post_comment(author=alice, idea=idea, body="Thanks!")

    remove(own)

    assert points(alice) == 2
