"""The status workflow, official answers and the support threshold."""

from __future__ import annotations

import pytest
from wagtail.models import ModelLogEntry

from ideas import discussion, voting, workflow
from ideas.errors import AlreadyDone, InvalidInput, NotAllowed
from ideas.models import Comment, Idea, IdeaStatus, StatusChange
from ideas.product import rnd
from ideas.selectors import comment_thread
from tests.factories import IdeaFactory, UserFactory


def test_it_moves_an_idea_with_a_public_note(idea, product, sent):
    change = workflow.change_status(
        actor=product, idea=idea, new_status="shortlisted", note="We **love** it."
    )

    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SHORTLISTED
    assert idea.status_changed_at is not None
    assert change.old_status == "published"
    assert "<strong>love</strong>" in change.note_html
    assert [call["new_status"] for call in sent["idea_status_changed"]] == [
        "shortlisted"
    ]
    assert ModelLogEntry.objects.filter(action="cocreate.idea.status").count() == 1


def test_it_refuses_members_outside_the_brand_team(idea, bob):
    with pytest.raises(NotAllowed):
        workflow.change_status(actor=bob, idea=idea, new_status="declined", note="No")
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PUBLISHED


def test_it_requires_a_note(idea, product):
    with pytest.raises(InvalidInput, match="note"):
        workflow.change_status(actor=product, idea=idea, new_status="declined", note="")
    assert not StatusChange.objects.exists()


def test_it_refuses_statuses_that_have_their_own_services(idea, product):
    for status in ("hidden", "duplicate", "pending", "draft"):
        with pytest.raises(InvalidInput):
            workflow.change_status(
                actor=product, idea=idea, new_status=status, note="x"
            )


def test_it_says_when_the_idea_is_already_there(idea, product):
    with pytest.raises(AlreadyDone):
        workflow.change_status(
            actor=product, idea=idea, new_status="published", note="x"
        )


def test_it_refuses_to_move_a_hidden_idea(alice, product):
    hidden = IdeaFactory(author=alice, status=IdeaStatus.HIDDEN)
    with pytest.raises(InvalidInput, match="hidden"):
        workflow.change_status(
            actor=product, idea=hidden, new_status="shortlisted", note="x"
        )


def test_the_timeline_keeps_every_step_in_order(idea, product):
    for status in ("under_review", "shortlisted"):
        workflow.change_status(actor=product, idea=idea, new_status=status, note=status)
    rnd.promote(
        actor=product, idea=idea, ticket_key="RND-1", owner=product, note="in_rnd"
    )
    rnd.ship(
        actor=product, idea=idea, product_url="https://shop.example.com/p/1", note="Out"
    )
    assert list(idea.status_changes.values_list("new_status", flat=True)) == [
        "under_review",
        "shortlisted",
        "in_rnd",
        "shipped",
    ]


def test_reaching_the_campaign_threshold_moves_the_idea_to_review(
    make_campaign, alice, bob, charlie, sent
):
    campaign = make_campaign(support_threshold=2)
    idea = IdeaFactory(author=alice, campaign=campaign)

    voting.support(member=bob, idea=idea)
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PUBLISHED
    voting.support(member=charlie, idea=idea)

    idea.refresh_from_db()
    assert idea.status == IdeaStatus.UNDER_REVIEW
    change = idea.status_changes.get()
    assert change.actor is None
    assert "2 supports" in change.note
    assert sent["idea_status_changed"][-1]["new_status"] == "under_review"


def test_the_threshold_does_not_move_an_idea_twice(make_campaign, alice, product):
    campaign = make_campaign(support_threshold=1)
    idea = IdeaFactory(author=alice, campaign=campaign)
    workflow.change_status(actor=product, idea=idea, new_status="shortlisted", note="x")

    voting.support(member=UserFactory(), idea=idea)

    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.SHORTLISTED


def test_official_answers_are_signed_with_the_role_and_shown_first(
    idea, bob, product, moderator
):
    discussion.post_comment(author=bob, idea=idea, body="First!")
    answer = discussion.post_official_answer(
        author=product, idea=idea, body="We are on it."
    )
    community = discussion.post_official_answer(
        author=moderator, idea=idea, body="Thanks all."
    )

    assert answer.is_official and answer.official_role == "Product team"
    assert community.official_role == "Community manager"
    thread = comment_thread(idea)
    assert [c.is_official for c in thread] == [True, True, False]
    idea.refresh_from_db()
    assert idea.first_answered_at == answer.created_at
    assert idea.comments_count == 3


def test_members_cannot_post_official_answers(idea, bob):
    with pytest.raises(NotAllowed):
        discussion.post_official_answer(author=bob, idea=idea, body="Official!")
    assert not Comment.objects.exists()


def test_locked_comments_refuse_members_but_not_the_brand_team(idea, bob, product):
    Idea.objects.filter(pk=idea.pk).update(comments_locked=True)
    idea.refresh_from_db()

    with pytest.raises(NotAllowed, match="locked"):
        discussion.post_comment(author=bob, idea=idea, body="Hello")
    discussion.post_official_answer(author=product, idea=idea, body="Closing words.")
    assert Comment.objects.filter(is_official=True).count() == 1


def test_an_idea_moved_back_to_published_is_not_sent_to_review_again(
    make_campaign, alice, product
):
    campaign = make_campaign(support_threshold=1)
    idea = IdeaFactory(author=alice, campaign=campaign)
    voting.support(member=UserFactory(), idea=idea)
    workflow.change_status(
        actor=product, idea=idea, new_status="published", note="Not yet"
    )

    voting.support(member=UserFactory(), idea=idea)

    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PUBLISHED
    assert idea.status_changes.filter(actor=None).count() == 1
