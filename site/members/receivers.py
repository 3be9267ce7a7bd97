"""Receivers of sign-in signals, connected in ``MembersConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from cocreate.members import staff_security
from cocreate.members.types import User


@receiver(user_logged_in, dispatch_uid="cocreate.members.staff_session")
def start_staff_session(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """Every sign-in of a staff account (allauth's, after its second factor)
    starts a session that ends sooner than a member's."""
    if request is not None and hasattr(request, "session"):
        if staff_security.is_staff(user):
            staff_security.start_staff_session(request)
        else:
            request.session.pop(staff_security.SESSION_ENDS_KEY, None)
