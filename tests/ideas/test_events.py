"""Domain events are sent inside the service's transaction (DESIGN rule 2).

A receiver that writes (rewards) must commit or fail together with the change:
if it raises, the change is undone.
"""

from __future__ import annotations

import pytest
from django.db import connection

from ideas import discussion, events, posting, voting
from ideas.models import Comment, Idea, Support

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


@pytest.fixture
def failing_receiver():
    connected = []

    def attach(signal):
        def receiver(**kwargs):
            raise Boom("the rewards ledger is unavailable")

        signal.connect(receiver, weak=False)
        connected.append((signal, receiver))

    yield attach
    for signal, receiver in connected:
        signal.disconnect(receiver)


def test_a_failing_support_receiver_undoes_the_support(idea, bob, failing_receiver):
    failing_receiver(events.idea_supported)

    with pytest.raises(Boom):
        voting.support(member=bob, idea=idea)

    assert not Support.objects.exists()
    assert Idea.objects.get(pk=idea.pk).supports_count == 0


def test_a_failing_comment_receiver_undoes_the_comment(idea, bob, failing_receiver):
    failing_receiver(events.comment_posted)

    with pytest.raises(Boom):
        discussion.post_comment(author=bob, idea=idea, body="Hello")

    assert not Comment.objects.exists()
    assert Idea.objects.get(pk=idea.pk).comments_count == 0


def test_a_failing_publish_receiver_undoes_the_idea(alice, failing_receiver):
    failing_receiver(events.idea_published)

    with pytest.raises(Boom):
        posting.create_idea(author=alice, title="Gone", description="Text")

    assert not Idea.objects.exists()


def test_events_are_sent_while_the_transaction_is_open(idea, bob, sent):
    depth = []

    def receiver(**kwargs):
        depth.append(len(connection.savepoint_ids))

    events.idea_supported.connect(receiver, weak=False)
    try:
        outside = len(connection.savepoint_ids)
        voting.support(member=bob, idea=idea)
    finally:
        events.idea_supported.disconnect(receiver)

    assert depth and depth[0] > outside
    assert sent.names() == ["idea_supported"]


def test_one_action_sends_exactly_its_own_events(alice, bob, sent):
    idea = posting.create_idea(author=alice, title="Idea", description="Text")
    voting.support(member=bob, idea=idea)
    comment = discussion.post_comment(author=bob, idea=idea, body="Hi")
    voting.withdraw_support(member=bob, idea=idea)
    discussion.remove_comment(actor=bob, comment=comment)

    assert {name: len(sent[name]) for name in sent.names()} == {
        "idea_published": 1,
        "idea_supported": 1,
        "support_withdrawn": 1,
        "comment_posted": 1,
        "content_removed": 1,
    }


@pytest.fixture
def every_event():
    """Counts every signal ``ideas.events`` declares, by name."""
    from collections import Counter

    from django.dispatch import Signal

    counts: Counter[str] = Counter()
    connected = []
    for name, signal in vars(events).items():
        # ``idea_viewers`` is a question the notifications ask, not a fact.
        if isinstance(signal, Signal) and name != "idea_viewers":

            def receiver(_name=name, **kwargs):
                counts[_name] += 1

            signal.connect(receiver, weak=False)
            connected.append((signal, receiver))
    yield counts
    for signal, receiver in connected:
        signal.disconnect(receiver)


def test_each_move_sends_its_status_event_once_and_only_its_other_facts(
    alice, product, moderator, every_event
):
    from ideas.moderation import merging
    from ideas.moderation import services as moderation
    from ideas.product import rnd
    from tests.factories import IdeaFactory

    def sends(action) -> dict[str, int]:
        every_event.clear()
        action()
        return dict(every_event)

    idea, other = IdeaFactory(author=alice), IdeaFactory()
    assert sends(
        lambda: rnd.promote(
            actor=product, idea=idea, ticket_key="RND-1", owner=product, note="Lab"
        )
    ) == {"idea_status_changed": 1, "idea_promoted": 1}
    assert sends(
        lambda: rnd.ship(
            actor=product, idea=idea, product_url="https://shop.example.com/p", note="!"
        )
    ) == {"idea_status_changed": 1, "idea_shipped": 1}
    assert sends(
        lambda: moderation.hide(actor=moderator, content=other, reason="Spam")
    ) == {"idea_status_changed": 1, "content_removed": 1}
    assert sends(lambda: moderation.restore(actor=moderator, content=other)) == {
        "idea_status_changed": 1,
        "content_restored": 1,
    }
    assert sends(lambda: merging.merge(actor=moderator, source=other, target=idea)) == {
        "idea_status_changed": 1,
        "ideas_merged": 1,
    }
