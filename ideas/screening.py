"""Whether a new contribution waits for a moderator before it is published: the
rule that posting and commenting ask at the moment they write (the brand team
sets its thresholds in ``ModerationSettings``; ``ideas.moderation`` works the
queue). Part of the core, so the core never imports ``ideas.moderation``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ideas import permissions
from ideas.models import IdeaStatus, ModerationSettings

if TYPE_CHECKING:
    from cocreate.members.types import User

LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


def contributions_of(member: User, *, up_to: int) -> int:
    """Published ideas and visible comments, counted up to ``up_to`` at most: how
    far a member is from "new" (long-time members cost two tiny queries)."""
    ideas = (
        member.ideas.exclude(
            status__in=[IdeaStatus.PENDING, IdeaStatus.HIDDEN, IdeaStatus.DRAFT]
        )
        .values("pk")[:up_to]
        .count()
    )
    if ideas >= up_to:
        return ideas
    comments = (
        member.comments.filter(moderation="visible", removed_at__isnull=True)
        .values("pk")[: up_to - ideas]
        .count()
    )
    return ideas + comments


def needs_review(member: User, *texts: str) -> bool:
    """Whether a contribution waits in the queue instead of being published: a new
    member's first contributions, or a new member's text with a listed word or
    too many links. The brand team is trusted.
    """
    if member.is_staff or permissions.can_moderate(member):
        return False
    config = ModerationSettings.load()
    if not (config.premoderated_contributions or config.new_member_contributions):
        return False
    done = contributions_of(
        member,
        up_to=max(config.premoderated_contributions, config.new_member_contributions),
    )
    if done < config.premoderated_contributions:
        return True
    if done >= config.new_member_contributions:
        return False
    text = " ".join(texts).lower()
    if any(word in text for word in config.word_list()):
        return True
    return len(LINK.findall(text)) > config.new_member_link_limit
