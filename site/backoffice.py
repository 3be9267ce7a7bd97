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


class ServiceFormMixin:
    """For a Wagtail create or edit view whose ``save_instance`` calls a service:
    a domain error (``domain_errors``) rolls the save back and comes back as a form
    error in words, the form keeping what the person typed."""

    domain_errors: tuple[type[Exception], ...] = ()

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except self.domain_errors as error:
            form.add_error(None, str(error))
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class ServiceDeleteMixin:
    """For a Wagtail delete view whose ``delete_action`` calls a service: a domain
    error keeps the row and says why on the confirmation page."""

    domain_errors: tuple[type[Exception], ...] = ()

    def form_valid(self, form):
        from wagtail.admin import messages

        try:
            return super().form_valid(form)
        except self.domain_errors as error:
            messages.error(self.request, str(error))
            return self.get(self.request, *self.args, **self.kwargs)
