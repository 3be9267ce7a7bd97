"""Live updates: push new counts to every open page once a change commits.

The only listener of the domain events so far. It never writes; it sends on the
channel layer after commit, so a rolled-back support is never broadcast. The
idea's page hears every change (``idea.<id>``); a list page joins, for each idea
it shows, that idea's listed group (``listed.<id>``), which hears of the idea
only while everybody may see it, and its consumer merges what it hears (see
``consumers``). No page hears every support of the site.
"""

from __future__ import annotations

import asyncio

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from cocreate.outages import channel_layer_outage
from ideas import events
from ideas.models import PUBLIC_STATUSES, Comment, Idea, access


def idea_group(idea_id: int) -> str:
    """The idea's page: every change, for whoever was let in on connect."""
    return f"idea.{idea_id}"


def listed_group(idea_id: int) -> str:
    """List pages showing the idea: its changes while it is ``listed_everywhere``."""
    return f"listed.{idea_id}"


async def _send_all(layer, sends: list[tuple[str, dict]]) -> None:
    await asyncio.gather(
        *(layer.group_send(group, message) for group, message in sends)
    )


def listed_everywhere(status: str, campaign_id: int | None) -> bool:
    """The listed groups are open to every socket, visitors' included: they hear
    only of ideas everybody may see (public, and of no private campaign)."""
    return status in PUBLIC_STATUSES and access.open_to_everyone(campaign_id)


def broadcast_counts(
    idea_id: int,
    *,
    kind: str,
    supports: int | None = None,
    comments: int | None = None,
    listed: bool | None = None,
) -> None:
    """Send the idea's counts to its page and, if everybody may see it
    (``listed``), to the list pages showing it, together; counts the caller read
    under the idea's lock are sent as they are."""
    if supports is None or comments is None or listed is None:
        row = (
            Idea.objects.filter(pk=idea_id)
            .values("supports_count", "comments_count", "status", "campaign_id")
            .first()
        )
        if row is None:
            return
        if supports is None or comments is None:
            supports, comments = row["supports_count"], row["comments_count"]
        if listed is None:
            listed = listed_everywhere(row["status"], row["campaign_id"])
    message = {
        "type": "idea.update",
        "kind": kind,
        "idea": idea_id,
        "supports": supports,
        "comments": comments,
    }
    layer = get_channel_layer()
    if layer is None:
        return
    sends = [(idea_group(idea_id), message)]
    if listed:
        sends.append((listed_group(idea_id), message))
    try:
        async_to_sync(_send_all)(layer, sends)
    except Exception:  # noqa: BLE001 - a broken layer must never break an action
        channel_layer_outage.failed(f"live update for idea {idea_id} not sent")
    else:
        channel_layer_outage.recovered()


def _on_commit(idea_id: int, kind: str, **counts) -> None:
    transaction.on_commit(lambda: broadcast_counts(idea_id, kind=kind, **counts))


def _locked_counts(idea: Idea) -> dict:
    """The voting services send the idea they read under its lock: its counts
    and status are the ones that commit, so the broadcast need not read again."""
    return {
        "supports": idea.supports_count,
        "comments": idea.comments_count,
        "listed": listed_everywhere(idea.status, idea.campaign_id),
    }


def on_supported(sender, idea, **kwargs):
    _on_commit(idea.pk, "support", **_locked_counts(idea))


def on_withdrawn(sender, idea, **kwargs):
    _on_commit(idea.pk, "support", **_locked_counts(idea))


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
