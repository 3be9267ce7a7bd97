"""Who may do what with ideas: predicates that views, templates and services ask."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from ideas.models import Comment, Idea, IdeaStatus


def is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_view_idea(user, idea: Idea) -> bool:
    if idea.is_public:
        return True
    if is_member(user) and idea.author_id == user.pk:
        return True  # authors see their own pending or hidden ideas, with a notice
    return bool(user and user.is_authenticated and user.has_perm("ideas.change_idea"))


def can_post_idea(user) -> bool:
    return is_member(user)


def idea_edit_window_open(idea: Idea, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    window = datetime.timedelta(minutes=settings.COCREATE_IDEA_EDIT_MINUTES)
    return idea.supports_count == 0 or now - idea.created_at <= window


def can_edit_idea(user, idea: Idea) -> bool:
    """Authors edit while nobody supports the idea yet, or in its first 30 minutes."""
    return (
        is_member(user)
        and idea.author_id == user.pk
        and idea.status not in (IdeaStatus.HIDDEN, IdeaStatus.DUPLICATE)
        and idea_edit_window_open(idea)
    )


def can_support(user, idea: Idea) -> bool:
    return is_member(user) and idea.is_open and idea.author_id != user.pk


def can_follow(user, idea: Idea) -> bool:
    return is_member(user) and idea.is_public


def can_comment(user, idea: Idea) -> bool:
    return is_member(user) and idea.is_open


def comment_edit_window_open(
    comment: Comment, now: datetime.datetime | None = None
) -> bool:
    now = now or timezone.now()
    window = datetime.timedelta(minutes=settings.COCREATE_COMMENT_EDIT_MINUTES)
    return now - comment.created_at <= window


def can_edit_comment(user, comment: Comment) -> bool:
    return (
        is_member(user)
        and comment.author_id == user.pk
        and not comment.is_removed
        and comment_edit_window_open(comment)
    )


def can_delete_comment(user, comment: Comment) -> bool:
    return is_member(user) and comment.author_id == user.pk and not comment.is_removed
