"""What the idea domain holds about a member, for their download and their
erasure; registered with ``cocreate.privacy`` from ``IdeasConfig.ready``.

Erasure keeps supports (they stay counted) and, by the member's choice, their
ideas and comments under the former member's name, or removes them the way an
author removes a comment: the thread keeps a "removed" placeholder, so replies
and the ideas' other supporters stay readable. A removed idea that was public
moves to ``removed`` through the workflow (its timeline says so; no list shows it,
its page stays); no removal event is sent, so the points of what was removed stay
in the ledger, pseudonymised with the wallet.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cocreate.i18n import in_site_language
from cocreate.images import delete_on_commit
from cocreate.privacy.names import former_member_name
from cocreate.privacy.registry import Exported, register_eraser, register_exporter
from ideas import events, lifecycle, workflow
from ideas.lifecycle import Action
from ideas.models import (
    Comment,
    Follow,
    Idea,
    IdeaImage,
    IdeaStatus,
    Report,
    Support,
    WebhookDelivery,
)


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def export_ideas(member: Any) -> Exported:
    ideas = (
        Idea.objects.filter(author=member)
        .select_related("campaign", "category")
        .prefetch_related("images", "tags", "status_changes")
        .order_by("created_at", "pk")
    )
    data, files = [], {}
    for idea in ideas:
        images = []
        for image in idea.images.all():
            path = f"ideas/{idea.pk}/{_name(image.image.name)}"
            files[path] = image.image  # private media: its own storage
            images.append({"file": path, "alt_text": image.alt_text})
        data.append(
            {
                "id": idea.pk,
                "title": idea.title,
                "description": idea.description,
                "status": idea.status,
                "campaign": idea.campaign.title if idea.campaign else None,
                "category": idea.category.i18n.name if idea.category else None,
                "tags": sorted(tag.name for tag in idea.tags.all()),
                "created_at": idea.created_at,
                "updated_at": idea.updated_at,
                "supports": idea.supports_count,
                "comments": idea.comments_count,
                "followers": idea.followers_count,
                "hidden_reason": idea.hidden_reason,
                "images": images,
                "timeline": [
                    {
                        "from": change.old_status,
                        "to": change.new_status,
                        "note": change.note,
                        "when": change.created_at,
                    }
                    for change in idea.status_changes.all()
                ],
                "url": idea.get_absolute_url(),
            }
        )
    return Exported(data=data, files=files)


def export_comments(member: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": comment.pk,
            "idea": comment.idea_id,
            "idea_title": comment.idea.title,
            "reply_to": comment.parent_id,
            "body": comment.body,
            "official_answer": comment.is_official,
            "moderation": comment.moderation,
            "created_at": comment.created_at,
            "edited_at": comment.edited_at,
            "removed_at": comment.removed_at,
        }
        for comment in Comment.objects.filter(author=member)
        .select_related("idea")
        .order_by("created_at", "pk")
    ]


def _idea_rows(
    model: type[Support] | type[Follow], member: Any
) -> list[dict[str, Any]]:
    return [
        {
            "idea": row["idea_id"],
            "idea_title": row["idea__title"],
            "when": row["created_at"],
        }
        for row in model.objects.filter(member=member)
        .order_by("created_at", "pk")
        .values("idea_id", "idea__title", "created_at")
    ]


def export_supports(member: Any) -> list[dict[str, Any]]:
    return _idea_rows(Support, member)


def export_follows(member: Any) -> list[dict[str, Any]]:
    return _idea_rows(Follow, member)


def export_reports(member: Any) -> list[dict[str, Any]]:
    return [
        {
            "idea": report.idea_id,
            "comment": report.comment_id,
            "reason": report.reason,
            "details": report.text,
            "created_at": report.created_at,
            "resolved_at": report.resolved_at,
            "outcome": report.resolution,
        }
        for report in Report.objects.filter(reporter=member).order_by("created_at")
    ]


def erase(member: Any, keep_content: bool) -> None:
    _rename_in_webhook_payloads(member)
    if keep_content:
        return
    ideas = list(Idea.objects.filter(author=member).values_list("pk", "title"))
    comments = list(Comment.objects.filter(author=member).values_list("pk", "idea_id"))
    _remove_comments(member)
    _remove_ideas(member)
    Report.objects.filter(reporter=member).update(text="")
    events.member_content_erased.send(
        sender=Idea,
        member=member,
        urls=[reverse("ideas:detail", args=[pk]) for pk, _title in ideas]
        + [
            f"{reverse('ideas:detail', args=[idea_id])}#comment-{pk}"
            for pk, idea_id in comments
        ],
        titles=[title for _pk, title in ideas],
    )


def _rename_in_webhook_payloads(member: Any) -> None:
    """Payloads name an R&D promotion's owner (someone of the brand team); the
    delivery log keeps them, so the name goes there too."""
    name = member.public_name
    placeholder = former_member_name(member)
    for delivery in WebhookDelivery.objects.filter(payload__promotion__owner=name):
        delivery.payload["promotion"]["owner"] = placeholder
        delivery.save(update_fields=["payload"])


def _remove_comments(member: Any) -> None:
    comments = Comment.objects.select_for_update().filter(author=member)
    counted = Counter(
        comments.filter(removed_at__isnull=True, moderation="visible").values_list(
            "idea_id", flat=True
        )
    )
    comments.filter(removed_at__isnull=True).update(removed_at=timezone.now())
    comments.update(body="", body_html="", hidden_reason="")
    for idea_id, count in counted.items():
        Idea.objects.filter(pk=idea_id).update(
            comments_count=F("comments_count") - count
        )


def _remove_ideas(member: Any) -> None:
    with in_site_language():
        placeholder = _("[removed]")
        note = _(
            "Its author removed this idea when closing their account; "
            "its supports still count."
        )
    removable = lifecycle.sources(Action.ERASE)
    images = list(IdeaImage.objects.filter(idea__author=member))
    for image in images:
        delete_on_commit(image.image, image.thumbnail)
    IdeaImage.objects.filter(pk__in=[image.pk for image in images]).delete()
    for idea in Idea.objects.select_for_update().filter(author=member):
        if idea.status in removable:  # unlisted from now on, its page stays
            workflow.record(
                idea,
                new_status=IdeaStatus.REMOVED,
                action=Action.ERASE,
                actor=None,
                note=note,
            )
        idea.revisions.all().delete()
        idea.tags.clear()
        idea.title = placeholder
        idea.description = ""
        idea.description_html = ""
        idea.hidden_reason = ""
        # save(), not update(): the search index follows the row.
        idea.save(
            update_fields=["title", "description", "description_html", "hidden_reason"]
        )


def register() -> None:
    register_exporter("ideas", export_ideas)
    register_exporter("comments", export_comments)
    register_exporter("supports", export_supports)
    register_exporter("follows", export_follows)
    register_exporter("reports_made", export_reports)
    register_eraser("ideas", erase)
