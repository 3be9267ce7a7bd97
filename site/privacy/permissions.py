"""Who may act on members' data: predicates that views and services ask."""

from __future__ import annotations

from typing import Any


def can_handle_requests(user: Any) -> bool:
    """Staff who run exports and erasures for requests received by email."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.has_perm("privacy.handle_privacy_request")
    )


def is_member(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)
