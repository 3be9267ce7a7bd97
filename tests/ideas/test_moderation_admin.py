"""The brand team's back office: the queue, members' records, unanswered ideas."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from cocreate.members.models import Sanction
from ideas import discussion
from ideas.errors import InvalidInput
from ideas.models import Comment, Idea, IdeaStatus, ModerationReason, Report
from ideas.moderation import services as moderation
from tests.factories import CommentFactory, IdeaFactory, UserFactory

QUEUE = "/admin/brand-team/queue/"


def test_the_queue_lists_pending_and_reported_items_oldest_first(
    mod_client, alice, bob
):
    IdeaFactory(
        author=alice,
        status=IdeaStatus.PENDING,
        title="Older pending",
        created_at=timezone.now() - datetime.timedelta(days=2),
    )
    reported = IdeaFactory(author=alice, title="Reported one")
    moderation.report(reporter=bob, idea=reported, reason="spam", text="Ads!")
    CommentFactory(
        idea=reported, author=bob, body="Pending words", moderation="pending"
    )

    response = mod_client.get(QUEUE)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Older pending") < html.index("Reported one")
    assert "Ads!" in html and "Pending words" in html


def test_the_queue_runs_a_constant_number_of_queries(
    mod_client, alice, django_assert_max_num_queries
):
    for _ in range(3):
        IdeaFactory(author=UserFactory(), status=IdeaStatus.PENDING)
    mod_client.get(QUEUE)
    with django_assert_max_num_queries(20):
        mod_client.get(QUEUE)
    for _ in range(15):
        IdeaFactory(author=UserFactory(), status=IdeaStatus.PENDING)
        CommentFactory(author=UserFactory(), moderation="pending")
    with django_assert_max_num_queries(20):
        mod_client.get(QUEUE)


def test_members_and_the_product_team_cannot_open_the_queue(client, bob, product):
    client.force_login(bob)
    assert client.get(QUEUE).status_code == 302
    client.force_login(product)
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


def test_a_row_button_approves_its_item(mod_client, alice):
    pending = IdeaFactory(author=alice, status=IdeaStatus.PENDING)
    response = mod_client.post(QUEUE, {"do": f"approve|idea:{pending.pk}"})
    assert response.status_code == 302
    assert Idea.objects.get(pk=pending.pk).status == IdeaStatus.PUBLISHED


def test_bulk_hide_uses_the_reason_template(mod_client, alice):
    ideas = [IdeaFactory(author=alice, status=IdeaStatus.PENDING) for _ in range(2)]
    template = ModerationReason.objects.create(title="Spam", message="No ads here.")
    mod_client.post(
        QUEUE,
        {
            "action": "hide",
            "items": [f"idea:{idea.pk}" for idea in ideas],
            "template": template.pk,
        },
    )
    assert list(
        Idea.objects.order_by().values_list("status", "hidden_reason").distinct()
    ) == [("hidden", "No ads here.")]


def test_hiding_without_a_reason_says_so_and_changes_nothing(mod_client, alice):
    idea = IdeaFactory(author=alice, status=IdeaStatus.PENDING)
    response = mod_client.post(QUEUE, {"do": f"hide|idea:{idea.pk}"}, follow=True)
    assert "Please give a reason" in response.content.decode()
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PENDING


def test_merging_from_the_queue(mod_client, alice, bob):
    original = IdeaFactory(author=alice)
    duplicate = IdeaFactory(author=bob)
    moderation.report(
        reporter=alice, idea=duplicate, reason="duplicate", duplicate_of=original
    )
    mod_client.post(
        QUEUE, {"do": f"merge|idea:{duplicate.pk}", "target": original.pk, "note": ""}
    )
    duplicate.refresh_from_db()
    assert duplicate.status == IdeaStatus.DUPLICATE
    assert duplicate.merged_into == original


def test_locking_from_the_queue(mod_client, alice, bob):
    idea = IdeaFactory(author=alice)
    moderation.report(reporter=bob, idea=idea, reason="offensive")
    mod_client.post(QUEUE, {"do": f"lock|idea:{idea.pk}"})
    assert Idea.objects.get(pk=idea.pk).comments_locked


def test_a_member_record_takes_a_suspension(mod_client, bob):
    url = reverse("brand_team:member", args=[bob.pk])
    until = (timezone.now() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = mod_client.post(
        url, {"kind": "suspension", "reason": "Spam", "until": until}
    )
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.is_suspended
    page = mod_client.get(url).content.decode()
    assert "Spam" in page


def test_a_suspension_without_an_end_keeps_the_form(mod_client, bob):
    url = reverse("brand_team:member", args=[bob.pk])
    response = mod_client.post(url, {"kind": "suspension", "reason": "Spam words"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "end in the future" in html and "Spam words" in html
    assert not Sanction.objects.exists()


def test_unanswered_ideas_oldest_first_with_the_median(client, product, alice):
    old = IdeaFactory(
        author=alice,
        title="Old one",
        created_at=timezone.now() - datetime.timedelta(days=5),
    )
    IdeaFactory(author=alice, title="New one")
    answered = IdeaFactory(
        author=alice,
        title="Answered",
        created_at=timezone.now() - datetime.timedelta(hours=3),
    )
    discussion.post_official_answer(author=product, idea=answered, body="Thanks!")
    client.force_login(product)

    html = client.get("/admin/brand-team/unanswered/").content.decode()

    assert html.index(old.title) < html.index("New one")
    assert "Answered" not in html
    assert "3\xa0hours" in html
    dashboard = client.get("/admin/").content.decode()
    assert "without an official answer" in dashboard


def test_reports_keep_the_queue_in_step(mod_client, alice, bob):
    idea = IdeaFactory(author=alice)
    comment = discussion.post_comment(author=alice, idea=idea, body="Hm")
    moderation.report(reporter=bob, comment=comment, reason="offensive")
    mod_client.post(QUEUE, {"do": f"approve|comment:{comment.pk}"})
    assert Report.objects.get().resolution == "kept"
    assert Comment.objects.get(pk=comment.pk).moderation == "visible"


def test_merging_a_comment_from_the_queue_merges_nothing(mod_client, alice, bob):
    original = IdeaFactory(author=alice)
    comment = discussion.post_comment(author=alice, idea=original, body="Hm")
    response = mod_client.post(
        QUEUE,
        {"action": "merge", "items": [f"comment:{comment.pk}"], "target": original.pk},
        follow=True,
    )
    assert "Only ideas can be merged" in response.content.decode()


def test_a_failed_merge_keeps_the_note_the_target_and_the_ticked_rows(
    mod_client, alice, bob
):
    duplicate = IdeaFactory(author=bob, status=IdeaStatus.PENDING)
    response = mod_client.post(
        QUEUE,
        {
            "action": "merge",
            "items": [f"idea:{duplicate.pk}"],
            "target": "999999",
            "note": "Same shoe, same idea.",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is no idea with this number" in html
    assert 'value="999999"' in html and 'value="Same shoe, same idea."' in html
    assert f'value="idea:{duplicate.pk}"' in html
    assert f'value="idea:{duplicate.pk}" aria-label="Select" checked' in html
    assert Idea.objects.get(pk=duplicate.pk).status == IdeaStatus.PENDING


def test_a_failed_hiding_keeps_the_reason(mod_client, alice, monkeypatch):
    pending = IdeaFactory(author=alice, status=IdeaStatus.PENDING)

    def refuse(*args, **kwargs):
        raise InvalidInput("The queue is busy.")

    monkeypatch.setattr(moderation, "bulk", refuse)
    response = mod_client.post(
        QUEUE,
        {"do": f"hide|idea:{pending.pk}", "reason": "Looks like an advert."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The queue is busy." in html and "Looks like an advert." in html
