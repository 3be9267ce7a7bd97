"""Comments and replies (one level), edited briefly, removed softly."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cocreate import ratelimit
from cocreate.markup import render_markdown
from cocreate.members.consents import require_current_terms
from cocreate.members.sanctions import refusal
from ideas import events, permissions, screening
from ideas.errors import InvalidInput, NotAllowed, RateLimited
from ideas.models import Comment, Idea

if TYPE_CHECKING:
    from cocreate.members.types import User


@transaction.atomic
def post_comment(
    *, author: User, idea: Idea, body: str, parent: Comment | None = None
) -> Comment:
    """Post a comment; a reply to a reply attaches to the top-level comment."""
    if not permissions.can_comment(author, idea):
        if not permissions.is_member(author):
            raise NotAllowed(_("Please log in to comment."))
        if suspended := refusal(author):
            raise NotAllowed(suspended)
        if idea.comments_locked:
            raise NotAllowed(_("A moderator has locked the comments on this idea."))
        raise NotAllowed(_("This idea is closed for comments."))
    require_current_terms(author)
    body = body.strip()
    if not body:
        raise InvalidInput(_("Please write something before posting."))
    if parent is not None:
        if parent.idea_id != idea.pk:
            raise InvalidInput(_("You can only reply to a comment on the same idea."))
        if parent.parent_id is not None:
            parent = parent.parent
    if not ratelimit.hit("comment", str(author.pk)):
        raise RateLimited(
            _("You are commenting very fast; please wait a minute and try again.")
        )
    waits = screening.needs_review(author, body)
    comment = Comment.objects.create(
        idea=idea,
        author=author,
        parent=parent,
        body=body,
        body_html=render_markdown(body),
        moderation="pending" if waits else "visible",
    )
    if waits:
        return comment  # counted and announced when a moderator approves it
    Idea.objects.filter(pk=idea.pk).update(comments_count=F("comments_count") + 1)
    idea.comments_count += 1
    events.comment_posted.send(
        sender=Comment, comment=comment, idea=idea, member=author
    )
    return comment


@transaction.atomic
def edit_comment(*, editor: User, comment: Comment, body: str) -> Comment:
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not permissions.can_edit_comment(editor, comment):
        raise NotAllowed(
            _("Comments can be edited by their author for %d minutes.")
            % settings.COCREATE_COMMENT_EDIT_MINUTES
        )
    body = body.strip()
    if not body:
        raise InvalidInput(_("Please write something before saving."))
    comment.body = body
    comment.body_html = render_markdown(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


@transaction.atomic
def remove_comment(*, actor: User, comment: Comment, reason: str = "") -> Comment:
    """Soft delete: the thread keeps a "comment removed" placeholder and its replies."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not permissions.can_delete_comment(actor, comment):
        raise NotAllowed(_("You can only delete your own comments."))
    counted = comment.moderation == "visible"
    comment.removed_at = timezone.now()
    comment.save(update_fields=["removed_at"])
    if counted:
        Idea.objects.filter(pk=comment.idea_id).update(
            comments_count=F("comments_count") - 1
        )
    events.content_removed.send(
        sender=Comment,
        content=comment,
        actor=actor,
        reason=reason or "deleted by author",
    )
    return comment


@transaction.atomic
def post_official_answer(*, author: User, idea: Idea, body: str) -> Comment:
    """The brand team's answer: a comment marked official, shown first, signed with
    the answerer's role; the first one stamps the idea as answered."""
    if not permissions.can_answer_officially(author, idea):
        if suspended := refusal(author):
            raise NotAllowed(suspended)
        raise NotAllowed(_("Only the brand team can post official answers."))
    body = body.strip()
    if not body:
        raise InvalidInput(_("Please write the answer before posting."))
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    now = timezone.now()
    comment = Comment.objects.create(
        idea=idea,
        author=author,
        body=body,
        body_html=render_markdown(body),
        is_official=True,
        official_role=permissions.official_role(author),
        created_at=now,
    )
    updates: dict[str, Any] = {"comments_count": F("comments_count") + 1}
    if idea.first_answered_at is None:
        updates["first_answered_at"] = now
        idea.first_answered_at = now
    Idea.objects.filter(pk=idea.pk).update(**updates)
    idea.comments_count += 1
    log(instance=idea, action="cocreate.idea.official_answer", user=author)
    events.comment_posted.send(
        sender=Comment, comment=comment, idea=idea, member=author
    )
    return comment
