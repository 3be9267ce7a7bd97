"""Shared by the back-office views of every app."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from wagtail.admin import messages

from cocreate import ratelimit


class PredicateRequiredMixin:
    """Refuse users whom a permission predicate refuses (``can_moderate(user)``,
    ``can_manage_redemptions(user)``…); the admin turns the refusal into a redirect
    with a message."""

    permission_predicate = None

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_predicate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def too_fast(request, action: str, message: str | None = None) -> bool:
    """Count one back-office action against its rate limit; when it is used up,
    say so with a message and return True."""
    if ratelimit.hit(action, str(request.user.pk)):
        return False
    messages.error(
        request, message or _("Too many changes in a short time; please wait a minute.")
    )
    return True
