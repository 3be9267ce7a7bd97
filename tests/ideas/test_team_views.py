"""On the site: reports, official answers, status changes and inline moderation."""

from __future__ import annotations

from ideas import discussion, workflow
from ideas.errors import InvalidInput
from ideas.models import Comment, Idea, IdeaStatus, Report
from ideas.moderation import merging
from ideas.moderation import services as moderation
from tests.factories import IdeaFactory


def test_a_member_reports_an_idea_from_its_page(client, idea, bob):
    client.force_login(bob)
    assert "Report this idea" in client.get(idea.get_absolute_url()).content.decode()
    response = client.post(
        f"/ideas/{idea.pk}/report/", {"reason": "spam", "text": "Advert"}
    )
    assert response.status_code == 302
    assert Report.objects.get().text == "Advert"


def test_a_duplicate_report_takes_a_link_and_keeps_the_form_when_wrong(
    client, idea, bob
):
    client.force_login(bob)
    response = client.post(
        f"/ideas/{idea.pk}/report/",
        {"reason": "duplicate", "duplicate_of": "not a link", "text": "Same as"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Paste the link" in html and "Same as" in html
    original = IdeaFactory()
    client.post(
        f"/ideas/{idea.pk}/report/",
        {"reason": "duplicate", "duplicate_of": f"http://x/ideas/{original.pk}/"},
    )
    assert Report.objects.get().duplicate_of == original


def test_reporting_twice_says_so(client, idea, bob):
    client.force_login(bob)
    client.post(f"/ideas/{idea.pk}/report/", {"reason": "spam"})
    response = client.post(f"/ideas/{idea.pk}/report/", {"reason": "spam"})
    assert "already reported" in response.content.decode()


def test_a_comment_is_reported_from_the_thread(client, idea, alice, bob):
    comment = discussion.post_comment(author=alice, idea=idea, body="Hm")
    client.force_login(bob)
    client.post(
        f"/ideas/{idea.pk}/comments/{comment.pk}/report/", {"reason": "offensive"}
    )
    assert Report.objects.get().comment == comment


def test_the_product_team_answers_and_moves_the_idea_from_its_page(
    client, idea, product
):
    client.force_login(product)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Publish the official answer" in page and "Change the status" in page

    client.post(f"/ideas/{idea.pk}/answer/", {"answer-body": "We test it this winter."})
    client.post(
        f"/ideas/{idea.pk}/status/",
        {"status-status": "shortlisted", "status-note": "On our list"},
    )

    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SHORTLISTED
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Official answer · Product team" in page
    assert "What became of this idea" in page and "On our list" in page


def test_members_cannot_answer_or_change_statuses(client, idea, bob):
    client.force_login(bob)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Brand team" not in page
    response = client.post(f"/ideas/{idea.pk}/answer/", {"answer-body": "x"})
    assert response.status_code == 404
    response = client.post(
        f"/ideas/{idea.pk}/status/", {"status-status": "declined", "status-note": "x"}
    )
    assert response.status_code == 404
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PUBLISHED
    assert not Comment.objects.exists()


def test_a_status_change_without_a_note_changes_nothing(client, idea, product):
    client.force_login(product)
    response = client.post(
        f"/ideas/{idea.pk}/status/",
        {"status-status": "declined", "status-note": ""},
        follow=True,
    )
    assert "public note" in response.content.decode()
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PUBLISHED


def test_moderators_hide_and_restore_inline(client, idea, moderator, alice):
    client.force_login(moderator)
    client.post(f"/ideas/{idea.pk}/moderate/", {"action": "hide", "reason": "Ads"})
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.HIDDEN
    client.force_login(alice)
    assert "Reason: Ads" in client.get(idea.get_absolute_url()).content.decode()
    client.force_login(moderator)
    client.post(f"/ideas/{idea.pk}/moderate/", {"action": "restore"})
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PUBLISHED


def test_hidden_ideas_are_gone_for_everybody_else(client, idea, moderator):
    moderation.hide(actor=moderator, content=idea, reason="Spam")
    assert client.get(idea.get_absolute_url()).status_code == 404


def test_a_hidden_comment_leaves_a_placeholder_and_a_pending_one_is_private(
    client, idea, alice, bob, moderator
):
    hidden = discussion.post_comment(author=alice, idea=idea, body="Rude words")
    moderation.hide(actor=moderator, content=hidden, reason="Rude")
    Comment.objects.create(
        idea=idea,
        author=alice,
        body="Waiting",
        body_html="<p>Waiting</p>",
        moderation="pending",
    )
    client.force_login(bob)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "hidden by a moderator" in page and "Rude words" not in page
    assert "Waiting" not in page
    client.force_login(alice)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Waiting" in page and "Awaiting moderation" in page


def test_a_duplicate_leads_to_the_idea_it_was_merged_into(client, moderator, alice):
    original, duplicate = IdeaFactory(author=alice), IdeaFactory(title="Copy cat")
    merging.merge(actor=moderator, source=duplicate, target=original)

    response = client.get(duplicate.get_absolute_url(), follow=True)

    assert response.redirect_chain[-1][0].startswith(original.get_absolute_url())
    html = response.content.decode()
    assert "“Copy cat” was merged into this idea" in html
    stay = client.get(f"{duplicate.get_absolute_url()}?stay=1").content.decode()
    assert "was merged into" in stay


def test_moderators_edit_any_idea(client, idea, moderator):
    client.force_login(moderator)
    assert client.get(f"/ideas/{idea.pk}/edit/").status_code == 200


def test_the_workflow_note_is_public_but_moderation_steps_are_not(
    client, idea, product, moderator
):
    workflow.change_status(
        actor=product, idea=idea, new_status="under_review", note="Looking"
    )
    moderation.hide(actor=moderator, content=idea, reason="Secret reason")
    moderation.restore(actor=moderator, content=idea)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Looking" in page and "Secret reason" not in page


def test_a_moderator_undoes_a_merge_from_the_duplicate(client, moderator, alice):
    original, duplicate = IdeaFactory(author=alice), IdeaFactory()
    record = merging.merge(actor=moderator, source=duplicate, target=original)
    client.force_login(moderator)
    page = client.get(f"{duplicate.get_absolute_url()}?stay=1").content.decode()
    assert "Undo the merge" in page

    client.post(f"/admin/brand-team/merges/{record.pk}/undo/")

    duplicate.refresh_from_db()
    assert duplicate.status == IdeaStatus.PUBLISHED and duplicate.merged_into is None


def _refusing(message: str):
    def refuse(**kwargs):
        raise InvalidInput(message)

    return refuse


def test_a_refused_official_answer_keeps_what_was_typed(
    client, idea, product, monkeypatch
):
    monkeypatch.setattr(
        discussion, "post_official_answer", _refusing("Answers are paused.")
    )
    client.force_login(product)
    response = client.post(
        f"/ideas/{idea.pk}/answer/", {"answer-body": "We are testing a prototype."}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Answers are paused." in html
    assert "We are testing a prototype." in html
    assert not Comment.objects.exists()


def test_a_refused_status_change_keeps_the_note(client, idea, product, monkeypatch):
    monkeypatch.setattr(workflow, "change_status", _refusing("Not now."))
    client.force_login(product)
    response = client.post(
        f"/ideas/{idea.pk}/status/",
        {"status-status": "declined", "status-note": "Too costly to make."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Not now." in html and "Too costly to make." in html
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PUBLISHED


def test_a_refused_inline_hiding_keeps_the_reason(
    client, idea, alice, moderator, monkeypatch
):
    comment = discussion.post_comment(author=alice, idea=idea, body="Buy my shoes")
    monkeypatch.setattr(moderation, "hide", _refusing("Try again."))
    client.force_login(moderator)
    response = client.post(
        f"/ideas/{idea.pk}/moderate/",
        {"action": "hide", "comment": comment.pk, "reason": "An advert, sorry."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Try again." in html
    assert 'name="reason" rows="2" required>An advert, sorry.</textarea>' in html
    assert Comment.objects.get(pk=comment.pk).moderation == "visible"
