"""Staff rules on every request: a second factor before the admin, shorter sessions."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from cocreate.members import staff_security


@cache
def _admin_prefix() -> str:
    return reverse("wagtailadmin_home")


@cache
def _open_admin_paths() -> frozenset[str]:
    """Admin URLs an account that must enrol may still use: logging out."""
    return frozenset({reverse("wagtailadmin_logout")})


class StaffSecurityMiddleware:
    """After allauth's and the auth middleware.

    On admin requests, a staff account without a second factor goes to the
    two-factor page (the brand's policy, ``COCREATE_STAFF_MFA``), and a staff
    session that began before these rules gets its end. On every request, a
    staff session past its end is logged out, and the cookie never outlives it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if staff_security.end_expired_staff_session(request):
            messages.info(
                request, _("Your staff session has ended; please log in again.")
            )
        if request.path.startswith(_admin_prefix()):
            refusal = self.admin_request(request)
            if refusal is not None:
                return refusal
        response = self.get_response(request)
        staff_security.cap_session_expiry(request)
        return response

    def admin_request(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not staff_security.is_staff(user):
            return None
        if staff_security.staff_session_ends(request) is None:
            staff_security.start_staff_session(request)
            staff_security.cap_session_expiry(request)
        if request.path in _open_admin_paths() or not staff_security.must_enrol(user):
            return None
        messages.warning(
            request,
            _(
                "Set up two-factor authentication to open the admin: add an "
                "authenticator app or a security key below, then come back."
            ),
        )
        return redirect("mfa_index")
