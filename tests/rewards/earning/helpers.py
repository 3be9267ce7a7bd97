"""Helpers the earning tests share: they drive ideas' services and read points."""

from __future__ import annotations

from ideas import events, posting
from ideas.models import Idea
from rewards.models import (
    Entry,
    EntryKind,
    MemberBadge,
)


def earned(member, trigger: str) -> list[int]:
    """Amounts of the member's EARN entries for one trigger, oldest first."""
    return list(
        Entry.objects.filter(
            wallet__member=member, kind=EntryKind.EARN, rule__trigger=trigger
        )
        .order_by("id")
        .values_list("amount", flat=True)
    )


def publish(author, title: str = "Laces that never untie", **fields) -> Idea:
    return posting.create_idea(
        author=author, title=title, description="Grippy laces.", **fields
    )


def change_status(idea: Idea, new_status: str) -> None:
    old_status = idea.status
    Idea.objects.filter(pk=idea.pk).update(status=new_status)
    idea.status = new_status
    events.idea_status_changed.send(
        sender=Idea,
        idea=idea,
        old_status=old_status,
        new_status=new_status,
        actor=None,
        note="",
    )


def remove(content) -> None:
    events.content_removed.send(
        sender=type(content), content=content, actor=None, reason="spam"
    )


def badges(member) -> list[str]:
    return sorted(
        MemberBadge.objects.filter(member=member).values_list(
            "badge__milestone", flat=True
        )
    )
