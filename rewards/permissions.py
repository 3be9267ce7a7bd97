"""Who may do what in the points economy: predicates that views and services ask."""

from __future__ import annotations


def is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def earns_points(member) -> bool:
    """Staff and brand accounts take part without earning: points are for customers."""
    return bool(
        member is not None
        and member.is_active
        and not member.is_staff
        and not member.is_superuser
    )


def can_redeem(user) -> bool:
    """Suspended members keep their points but cannot convert them meanwhile."""
    return is_member(user) and not user.is_suspended


def can_manage_redemptions(user) -> bool:
    return bool(
        user and user.is_authenticated and user.has_perm("rewards.change_redemption")
    )


def can_adjust_points(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("rewards.add_entry"))


def can_view_ledger(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("rewards.view_entry"))


def can_import_vouchers(user) -> bool:
    return bool(
        user and user.is_authenticated and user.has_perm("rewards.add_vouchercode")
    )
