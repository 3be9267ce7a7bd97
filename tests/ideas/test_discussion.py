"""ideas.discussion: comments, one level of replies, short edits, soft removal."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from ideas import discussion
from ideas.errors import InvalidInput, NotAllowed, RateLimited
from ideas.models import Comment, Idea, IdeaStatus
from tests.factories import IdeaFactory
from tests.ideas.conftest import make_older

pytestmark = pytest.mark.django_db


def comments_count(idea: Idea) -> int:
    return Idea.objects.get(pk=idea.pk).comments_count


def say(author, idea, body="I would buy these.", parent=None) -> Comment:
    return discussion.post_comment(author=author, idea=idea, body=body, parent=parent)


class TestPostComment:
    def test_it_posts_renders_and_counts(self, idea, bob, sent):
        comment = say(bob, idea, body="  I would **buy** these.  ")

        assert comment.body == "I would **buy** these."
        assert comment.body_html == "<p>I would <strong>buy</strong> these.</p>"
        assert comment.parent is None
        assert comments_count(idea) == 1
        (call,) = sent["comment_posted"]
        assert call["sender"] is Comment
        assert call["comment"] == comment
        assert call["idea"].pk == idea.pk
        assert call["member"] == bob

    def test_a_reply_attaches_to_its_comment(self, idea, bob, charlie):
        top = say(bob, idea)

        reply = say(charlie, idea, body="Me too", parent=top)

        assert reply.parent == top
        assert comments_count(idea) == 2

    def test_a_reply_to_a_reply_attaches_to_the_top_level_comment(
        self, idea, alice, bob, charlie
    ):
        top = say(bob, idea)
        reply = say(charlie, idea, body="Me too", parent=top)

        nested = say(alice, idea, body="Thanks both", parent=reply)

        assert nested.parent_id == top.pk
        assert set(top.replies.values_list("pk", flat=True)) == {reply.pk, nested.pk}

    def test_it_refuses_a_reply_to_a_comment_on_another_idea(self, idea, bob):
        elsewhere = say(bob, IdeaFactory())

        with pytest.raises(InvalidInput, match="same idea"):
            say(bob, idea, parent=elsewhere)
        assert comments_count(idea) == 0

    def test_it_refuses_an_empty_comment(self, idea, bob, sent):
        with pytest.raises(InvalidInput, match="write something"):
            say(bob, idea, body="  \n ")

        assert not Comment.objects.exists()
        assert sent["comment_posted"] == []

    def test_it_refuses_anonymous_visitors(self, idea):
        with pytest.raises(NotAllowed, match="log in"):
            say(AnonymousUser(), idea)

    @pytest.mark.parametrize(
        "status", [IdeaStatus.DECLINED, IdeaStatus.HIDDEN, IdeaStatus.PENDING]
    )
    def test_it_refuses_ideas_closed_for_comments(self, alice, bob, status):
        idea = IdeaFactory(author=alice, status=status)

        with pytest.raises(NotAllowed, match="closed for comments"):
            say(bob, idea)

    def test_it_refuses_a_member_commenting_too_fast(self, idea, bob, settings):
        settings.COCREATE_RATE_LIMITS = {"comment": "2/60"}
        say(bob, idea)
        say(bob, idea)

        with pytest.raises(RateLimited, match="wait a minute"):
            say(bob, idea)
        assert comments_count(idea) == 2


class TestEditComment:
    def test_the_author_edits_within_15_minutes(self, idea, bob):
        comment = say(bob, idea)
        make_older(comment, minutes=14)

        edited = discussion.edit_comment(editor=bob, comment=comment, body="*Now*")

        stored = Comment.objects.get(pk=comment.pk)
        assert stored.body == edited.body == "*Now*"
        assert stored.body_html == "<p><em>Now</em></p>"
        assert stored.edited_at is not None

    def test_it_refuses_after_15_minutes(self, idea, bob):
        comment = say(bob, idea)
        make_older(comment, minutes=16)

        with pytest.raises(NotAllowed, match="15 minutes"):
            discussion.edit_comment(editor=bob, comment=comment, body="Too late")
        assert Comment.objects.get(pk=comment.pk).body == "I would buy these."

    def test_it_refuses_anyone_but_the_author(self, idea, bob, charlie):
        comment = say(bob, idea)

        with pytest.raises(NotAllowed):
            discussion.edit_comment(editor=charlie, comment=comment, body="Mine")
        assert Comment.objects.get(pk=comment.pk).edited_at is None

    def test_it_refuses_an_empty_body(self, idea, bob):
        comment = say(bob, idea)

        with pytest.raises(InvalidInput):
            discussion.edit_comment(editor=bob, comment=comment, body=" ")

    def test_it_refuses_a_removed_comment(self, idea, bob):
        comment = say(bob, idea)
        discussion.remove_comment(actor=bob, comment=comment)

        with pytest.raises(NotAllowed):
            discussion.edit_comment(editor=bob, comment=comment, body="Back")


class TestRemoveComment:
    def test_it_soft_deletes_and_keeps_the_replies(self, idea, bob, charlie):
        top = say(bob, idea)
        reply = say(charlie, idea, body="Me too", parent=top)

        discussion.remove_comment(actor=bob, comment=top)

        top.refresh_from_db()
        assert top.is_removed
        assert Comment.objects.filter(pk=reply.pk, parent=top).exists()
        assert comments_count(idea) == 1

    def test_it_fires_content_removed(self, idea, bob, sent):
        comment = say(bob, idea)

        discussion.remove_comment(actor=bob, comment=comment)

        (call,) = sent["content_removed"]
        assert call["content"].pk == comment.pk
        assert call["actor"] == bob
        assert call["reason"]

    def test_it_refuses_anyone_but_the_author(self, idea, bob, charlie, sent):
        comment = say(bob, idea)

        with pytest.raises(NotAllowed, match="your own comments"):
            discussion.remove_comment(actor=charlie, comment=comment)
        assert not Comment.objects.get(pk=comment.pk).is_removed
        assert sent["content_removed"] == []

    def test_removing_twice_counts_once(self, idea, bob):
        comment = say(bob, idea)
        say(bob, idea, body="Another")
        discussion.remove_comment(actor=bob, comment=comment)

        with pytest.raises(NotAllowed):
            discussion.remove_comment(actor=bob, comment=comment)
        assert comments_count(idea) == 1

    def test_the_idea_page_shows_comment_removed_in_the_thread(
        self, client, idea, bob, charlie
    ):
        top = say(bob, idea, body="Secret opinion")
        say(charlie, idea, body="A reply that stays", parent=top)
        discussion.remove_comment(actor=bob, comment=top)

        html = client.get(idea.get_absolute_url()).content.decode()

        assert "Comment removed" in html
        assert "Secret opinion" not in html
        assert "A reply that stays" in html
