"""Idea views through the test client, for visitors, members and authors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ideas import discussion, voting
from ideas.models import Comment, Follow, Idea, IdeaStatus, Support
from tests.factories import CommentFactory, IdeaFactory
from tests.ideas.conftest import make_older

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def support_url(idea: Idea) -> str:
    return reverse("ideas:support", args=[idea.pk])


def comment_url(idea: Idea) -> str:
    return reverse("ideas:comment_create", args=[idea.pk])


class TestProposeIdea:
    def test_it_sends_anonymous_visitors_to_log_in(self, client):
        response = client.get("/ideas/new/")

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert "next=/ideas/new/" in response["Location"]

    def test_it_shows_the_form_to_members(self, alice_client, campaign):
        response = alice_client.get(f"/ideas/new/?campaign={campaign.pk}")

        assert response.status_code == 200
        assert response.context["form"].initial["campaign"] == campaign.pk
        assert 'name="title"' in response.content.decode()

    def test_a_member_publishes_an_idea(self, alice_client, alice):
        response = alice_client.post(
            "/ideas/new/",
            {
                "title": "Reflective laces",
                "description": "Seen at night",
                "tags": "a, b",
            },
        )

        idea = Idea.objects.get()
        assert response.status_code == 302
        assert response["Location"] == idea.get_absolute_url()
        assert idea.author == alice
        assert idea.status == IdeaStatus.PUBLISHED
        page = alice_client.get(response["Location"]).content.decode()
        assert "Your idea is published" in page

    def test_a_premoderated_idea_tells_the_author_it_awaits_moderation(
        self, alice_client, make_campaign
    ):
        campaign = make_campaign(title="Moderated", premoderate=True)

        response = alice_client.post(
            "/ideas/new/",
            {"title": "Quiet", "description": "Text", "campaign": campaign.pk},
            follow=True,
        )

        assert Idea.objects.get().status == IdeaStatus.PENDING
        assert "once a moderator approves it" in response.content.decode()

    def test_a_form_error_keeps_what_was_typed(self, alice_client):
        response = alice_client.post(
            "/ideas/new/", {"title": "", "description": "My long careful text"}
        )

        assert response.status_code == 200
        assert "My long careful text" in response.content.decode()
        assert "This field is required" in response.content.decode()
        assert not Idea.objects.exists()


class TestIdeaPage:
    def test_anyone_reads_a_published_idea(self, client, idea):
        response = client.get(idea.get_absolute_url())

        assert response.status_code == 200
        assert "Shoes that dry overnight" in response.content.decode()
        assert "Log in to support" in response.content.decode()

    def test_a_pending_idea_is_404_to_visitors_and_other_members(
        self, client, alice, bob
    ):
        pending = IdeaFactory(author=alice, status=IdeaStatus.PENDING)

        assert client.get(pending.get_absolute_url()).status_code == 404
        client.force_login(bob)
        assert client.get(pending.get_absolute_url()).status_code == 404

    def test_a_pending_idea_is_visible_to_its_author(self, alice_client, alice):
        pending = IdeaFactory(author=alice, status=IdeaStatus.PENDING)

        response = alice_client.get(pending.get_absolute_url())

        assert response.status_code == 200
        assert "awaiting moderation" in response.content.decode()

    def test_an_unknown_idea_is_404(self, client):
        assert client.get("/ideas/999999/").status_code == 404

    def test_it_shows_comments_and_replies(self, client, idea, bob, charlie):
        top = CommentFactory(idea=idea, author=bob, body="Top level words")
        CommentFactory(idea=idea, author=charlie, parent=top, body="Reply words")

        html = client.get(idea.get_absolute_url()).content.decode()

        assert "Top level words" in html
        assert "Reply words" in html
        assert html.index("Top level words") < html.index("Reply words")


class TestEditIdea:
    def test_it_is_404_to_anyone_but_the_author(self, bob_client, idea):
        assert bob_client.get(f"/ideas/{idea.pk}/edit/").status_code == 404
        response = bob_client.post(
            f"/ideas/{idea.pk}/edit/", {"title": "Hijack", "description": "x"}
        )
        assert response.status_code == 404
        assert Idea.objects.get(pk=idea.pk).title == "Shoes that dry overnight"

    def test_it_sends_anonymous_visitors_to_log_in(self, client, idea):
        response = client.get(f"/ideas/{idea.pk}/edit/")

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_the_author_edits(self, alice_client, idea):
        response = alice_client.post(
            f"/ideas/{idea.pk}/edit/",
            {"title": "Shoes that dry in an hour", "description": "Faster"},
        )

        assert response.status_code == 302
        assert Idea.objects.get(pk=idea.pk).title == "Shoes that dry in an hour"

    def test_it_redirects_with_a_message_once_the_window_closed(
        self, alice_client, idea, bob
    ):
        voting.support(member=bob, idea=idea)
        make_older(idea, minutes=60)

        response = alice_client.get(f"/ideas/{idea.pk}/edit/", follow=True)

        assert response.redirect_chain[-1][0] == idea.get_absolute_url()
        assert "can no longer be edited" in response.content.decode()

    def test_the_closed_window_message_names_the_configured_minutes(
        self, alice_client, idea, bob, settings
    ):
        settings.COCREATE_IDEA_EDIT_MINUTES = 10
        voting.support(member=bob, idea=idea)
        make_older(idea, minutes=11)

        response = alice_client.get(f"/ideas/{idea.pk}/edit/", follow=True)

        assert "older than 10 minutes" in response.content.decode()


class TestSupportButton:
    def test_anonymous_post_redirects_to_log_in(self, client, idea):
        response = client.post(support_url(idea), HTTP_REFERER="/ideas/")

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert not Support.objects.exists()

    def test_anonymous_htmx_post_is_told_to_load_the_log_in_page(self, client, idea):
        response = client.post(
            support_url(idea),
            HTTP_HX_CURRENT_URL=f"http://testserver{idea.get_absolute_url()}",
            **HTMX,
        )

        assert response.status_code == 204
        assert response["HX-Redirect"] == (
            f"/accounts/login/?next={idea.get_absolute_url()}"
        )
        assert not Support.objects.exists()

    def test_htmx_support_returns_the_button_fragment(self, bob_client, idea):
        response = bob_client.post(support_url(idea), **HTMX)

        html = response.content.decode()
        assert response.status_code == 200
        assert html.lstrip().startswith('<div class="support-box" id="support-box">')
        assert "<html" not in html
        assert 'value="withdraw"' in html
        assert f'data-idea-supports="{idea.pk}">1<' in html
        assert Idea.objects.get(pk=idea.pk).supports_count == 1

    def test_htmx_withdraw_returns_the_button_fragment(self, bob_client, bob, idea):
        voting.support(member=bob, idea=idea)

        response = bob_client.post(support_url(idea), {"action": "withdraw"}, **HTMX)

        html = response.content.decode()
        assert 'value="support"' in html
        assert f'data-idea-supports="{idea.pk}">0<' in html
        assert not Support.objects.exists()

    def test_a_double_click_shows_the_true_state_without_an_error(
        self, bob_client, idea
    ):
        bob_client.post(support_url(idea), **HTMX)

        response = bob_client.post(support_url(idea), **HTMX)

        assert response.status_code == 200
        assert 'role="alert"' not in response.content.decode()
        assert Support.objects.count() == 1

    def test_without_htmx_it_redirects_back(self, bob_client, idea):
        response = bob_client.post(support_url(idea), {"next": "/ideas/?sort=top"})

        assert response.status_code == 302
        assert response["Location"] == "/ideas/?sort=top"
        assert Support.objects.filter(idea=idea).count() == 1

    def test_it_refuses_an_offsite_next_url(self, bob_client, idea):
        response = bob_client.post(support_url(idea), {"next": "https://evil.test/"})

        assert response["Location"] == idea.get_absolute_url()

    def test_the_author_is_told_why_in_words(self, alice_client, idea):
        response = alice_client.post(support_url(idea), **HTMX)

        assert "You cannot support your own idea." in response.content.decode()
        assert not Support.objects.exists()

    def test_it_rejects_get(self, bob_client, idea):
        assert bob_client.get(support_url(idea)).status_code == 405

    def test_a_pending_idea_cannot_be_supported_by_others(self, bob_client, alice):
        pending = IdeaFactory(author=alice, status=IdeaStatus.PENDING)

        assert bob_client.post(support_url(pending), **HTMX).status_code == 404
        assert not Support.objects.exists()


class TestFollowButton:
    def test_htmx_follow_and_unfollow(self, bob_client, bob, idea):
        url = reverse("ideas:follow", args=[idea.pk])

        followed = bob_client.post(url, **HTMX).content.decode()
        assert 'value="unfollow"' in followed
        assert Follow.objects.filter(idea=idea, member=bob).exists()

        unfollowed = bob_client.post(url, {"action": "unfollow"}, **HTMX)
        assert 'value="follow"' in unfollowed.content.decode()
        assert not Follow.objects.filter(idea=idea, member=bob).exists()

    def test_without_htmx_it_redirects_to_the_idea(self, bob_client, idea):
        response = bob_client.post(reverse("ideas:follow", args=[idea.pk]))

        assert response["Location"] == idea.get_absolute_url()


class TestComments:
    def test_a_member_comments_and_lands_on_the_comment(self, bob_client, idea):
        response = bob_client.post(comment_url(idea), {"body": "Great idea"})

        comment = Comment.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"{idea.get_absolute_url()}#comment-{comment.pk}"

    def test_htmx_comment_returns_the_section_with_an_empty_form(
        self, bob_client, idea
    ):
        response = bob_client.post(comment_url(idea), {"body": "Great idea"}, **HTMX)

        html = response.content.decode()
        assert html.lstrip().startswith('<section id="comment-section"')
        assert "Great idea" in html
        assert f'data-idea-comments="{idea.pk}">1<' in html

    def test_a_reply_posts_under_its_comment(self, bob_client, idea, charlie):
        top = CommentFactory(idea=idea, author=charlie)

        bob_client.post(comment_url(idea), {"body": "A reply", "parent": top.pk})

        assert Comment.objects.get(body="A reply").parent == top

    def test_an_error_keeps_the_typed_text(self, bob_client, idea):
        typed = "My careful words " * 300  # over the 5,000 characters allowed

        response = bob_client.post(comment_url(idea), {"body": typed})

        assert response.status_code == 400
        assert typed.strip() in response.content.decode()
        assert "at most 5000 characters" in response.content.decode()
        assert not Comment.objects.exists()

    def test_a_refusal_keeps_the_typed_text(self, bob_client, idea, settings):
        settings.COCREATE_RATE_LIMITS = {"comment": "1/60"}
        bob_client.post(comment_url(idea), {"body": "First one"})

        response = bob_client.post(comment_url(idea), {"body": "Second thoughts"})

        assert response.status_code == 400
        html = response.content.decode()
        assert "Second thoughts" in html
        assert "please wait a minute" in html

    def test_htmx_error_keeps_the_typed_text(self, bob_client, idea, settings):
        settings.COCREATE_RATE_LIMITS = {"comment": "1/60"}
        bob_client.post(comment_url(idea), {"body": "First one"}, **HTMX)

        response = bob_client.post(comment_url(idea), {"body": "Second"}, **HTMX)

        html = response.content.decode()
        assert "Second</textarea>" in html
        assert "please wait a minute" in html

    def test_anonymous_visitors_are_sent_to_log_in(self, client, idea):
        response = client.post(comment_url(idea), {"body": "Hi"})

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert not Comment.objects.exists()

    def test_the_author_edits_a_comment(self, bob_client, bob, idea):
        comment = discussion.post_comment(author=bob, idea=idea, body="Typo")
        url = reverse("ideas:comment_edit", args=[idea.pk, comment.pk])

        response = bob_client.post(url, {"body": "Fixed"})

        assert response.status_code == 302
        assert Comment.objects.get(pk=comment.pk).body == "Fixed"

    def test_another_member_cannot_edit_a_comment(self, client, bob, charlie, idea):
        comment = discussion.post_comment(author=bob, idea=idea, body="Mine")
        client.force_login(charlie)

        client.post(
            reverse("ideas:comment_edit", args=[idea.pk, comment.pk]),
            {"body": "Yours"},
        )

        assert Comment.objects.get(pk=comment.pk).body == "Mine"

    def test_the_author_deletes_a_comment(self, bob_client, bob, idea):
        comment = discussion.post_comment(author=bob, idea=idea, body="Oops")
        url = reverse("ideas:comment_delete", args=[idea.pk, comment.pk])

        response = bob_client.post(url, follow=True)

        assert Comment.objects.get(pk=comment.pk).is_removed
        assert "Comment removed" in response.content.decode()
        assert Idea.objects.get(pk=idea.pk).comments_count == 0

    def test_the_thread_fragment_lists_comments(self, client, idea, bob):
        CommentFactory(idea=idea, author=bob, body="Listed here")

        response = client.get(reverse("ideas:comments", args=[idea.pk]))

        assert "Listed here" in response.content.decode()
        assert "<html" not in response.content.decode()
