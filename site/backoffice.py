"""Shared by the back-office views of every app."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class PredicateRequiredMixin:
    """Refuse users whom a permission predicate refuses (``can_moderate(user)``,
    ``can_manage_redemptions(user)``…); the admin turns the refusal into a redirect
    with a message."""

    permission_predicate = None

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_predicate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
