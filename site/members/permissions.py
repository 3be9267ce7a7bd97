"""Who may act on members: predicates that views and services ask."""

from __future__ import annotations

#: Group names of the brand team's site-wide roles, created by a data migration
#: (members 0003). Ideas and notifications both ask for them.
MODERATORS = "Moderators"
PRODUCT_TEAM = "Product team"
EDITORS = "Editors"


def can_sanction(user) -> bool:
    return bool(
        user and user.is_authenticated and user.has_perm("members.add_sanction")
    )


def can_participate(user) -> bool:
    """Logged in, active and not suspended: may post, support, comment and redeem."""
    return bool(
        user and user.is_authenticated and user.is_active and not user.is_suspended
    )
