"""Live updates: push new counts to every open page once a change commits.

The only listener of the domain events so far. It never writes; it sends on the
channel layer after commit, so a rolled-back support is never broadcast.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from ideas import events
from ideas.models import Comment, Idea

logger = logging.getLogger(__name__)

ALL_IDEAS_GROUP = "ideas"


def idea_group(idea_id: int) -> str:
    return f"idea.{idea_id}"


def broadcast_counts(idea_id: int, *, kind: str) -> None:
    """Send the idea's current counts to its page and to list pages."""
    counts = (
        Idea.objects.filter(pk=idea_id)
        .values("supports_count", "comments_count")
        .first()
    )
    if counts is None:
        return
    message = {
        "type": "idea.update",
        "kind": kind,
        "idea": idea_id,
        "supports": counts["supports_count"],
        "comments": counts["comments_count"],
    }
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(idea_group(idea_id), message)
        async_to_sync(layer.group_send)(ALL_IDEAS_GROUP, message)
    except Exception:  # a broken channel layer must never break a member's action
        logger.exception("Live update for idea %s failed", idea_id)


def _on_commit(idea_id: int, kind: str) -> None:
    transaction.on_commit(lambda: broadcast_counts(idea_id, kind=kind))


def on_supported(sender, idea, **kwargs):
    _on_commit(idea.pk, "support")


def on_withdrawn(sender, idea, **kwargs):
    _on_commit(idea.pk, "support")


def on_comment(sender, comment, idea, **kwargs):
    _on_commit(idea.pk, "comment")


def on_removed(sender, content, **kwargs):
    if isinstance(content, Comment):
        _on_commit(content.idea_id, "comment")
    elif isinstance(content, Idea):
        _on_commit(content.pk, "idea")


def connect_receivers() -> None:
    events.idea_supported.connect(on_supported, dispatch_uid="live.supported")
    events.support_withdrawn.connect(on_withdrawn, dispatch_uid="live.withdrawn")
    events.comment_posted.connect(on_comment, dispatch_uid="live.comment")
    events.content_removed.connect(on_removed, dispatch_uid="live.removed")
