"""Who may act on members: predicates that views and services ask."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cocreate.members.types import Actor


def can_sanction(user: Actor | None) -> bool:
    return bool(
        user and user.is_authenticated and user.has_perm("members.add_sanction")
    )


def can_participate(user: Actor | None) -> bool:
    """Logged in, active and not suspended: may post, support, comment and redeem."""
    return bool(
        user and user.is_authenticated and user.is_active and not user.is_suspended
    )
