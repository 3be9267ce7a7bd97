"""What the brand asks of staff accounts: a second factor before the admin opens,
and sessions that end sooner than members'.

Staff are the accounts that may open the Wagtail admin (the permission
``wagtailadmin.access_admin``, which the brand team's groups and superusers have).
``settings.COCREATE_STAFF_MFA`` says which of them must enrol: ``"all"`` (the
default), ``"none"``, or comma-separated group names; superusers always, unless
``"none"``.
"""

from __future__ import annotations

import datetime

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest
from django.utils import timezone

from cocreate.members.types import Actor

ADMIN_ACCESS = "wagtailadmin.access_admin"
#: When a staff session ends, in seconds since the epoch (a float).
SESSION_ENDS_KEY = "cocreate_staff_session_ends"
#: The authenticators that are a second factor (recovery codes only back them up).
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def is_staff(user: Actor | None) -> bool:
    """May open the admin: the people the staff rules apply to."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(ADMIN_ACCESS)


def required_groups() -> set[str] | None:
    """The groups whose members must enrol; None means every staff account."""
    policy = (settings.COCREATE_STAFF_MFA or "").strip()
    if policy.lower() == "all":
        return None
    if policy.lower() == "none":
        return set()
    return {name.strip() for name in policy.split(",") if name.strip()}


def second_factor_required(user: Actor | None) -> bool:
    """The brand's policy asks this account for a second factor."""
    groups = required_groups()
    if groups == set() or not is_staff(user):
        return False
    assert user is not None  # noqa: S101 (is_staff said so)
    if groups is None or user.is_superuser:
        return True
    return user.groups.filter(name__in=groups).exists()


def must_enrol(user: Actor | None) -> bool:
    """Required to have a second factor, and has none yet."""
    return second_factor_required(user) and not is_mfa_enabled(
        user, types=SECOND_FACTORS
    )


def start_staff_session(request: HttpRequest) -> None:
    """The session of a staff account ends STAFF_SESSION_AGE after it begins."""
    ends = timezone.now() + datetime.timedelta(
        seconds=settings.COCREATE_STAFF_SESSION_AGE
    )
    request.session[SESSION_ENDS_KEY] = ends.timestamp()


def staff_session_ends(request: HttpRequest) -> datetime.datetime | None:
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return None  # no cookie: nothing to read, and no Vary: Cookie for it
    ends = session.get(SESSION_ENDS_KEY)
    if not isinstance(ends, int | float):
        return None
    return datetime.datetime.fromtimestamp(ends, tz=datetime.UTC)


def end_expired_staff_session(request: HttpRequest) -> bool:
    """Log out a staff session past its end, whatever the cookie says."""
    ends = staff_session_ends(request)
    if ends is None or timezone.now() < ends:
        return False
    logout(request)
    return True


def cap_session_expiry(request: HttpRequest) -> None:
    """Make the session (cookie and stored row) expire no later than its end.

    Run after the view: allauth's log-in form sets the expiry ("remember me")
    after the user is logged in. A session that ends when the browser closes
    keeps doing so; ``end_expired_staff_session`` ends it on the server.
    """
    ends = staff_session_ends(request)
    if ends is None or request.session.get_expire_at_browser_close():
        return
    if request.session.get_expiry_date() > ends + datetime.timedelta(seconds=1):
        request.session.set_expiry(ends)
