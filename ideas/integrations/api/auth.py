"""Who calls the API: a personal token in ``Authorization: Bearer …``, never a
session cookie. The token acts as its owner, who must be active and allowed to use
the API; writes also need a token with the write scope. Every request counts
against the token's rate limit, writes against a second one."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.models import APIToken

from cocreate import ratelimit
from ideas import permissions

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ApiError(Exception):
    """An error the API answers as ``{"detail": message}`` with this status."""

    status = 400

    def __init__(self, message: str, *, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.headers = headers or {}


class Forbidden(ApiError):
    status = 403


class TooManyRequests(ApiError):
    status = 429


def retry_after(action: str) -> int:
    """Seconds until the current fixed window of this rate limit ends."""
    _limit, window = ratelimit.parse_rate(settings.COCREATE_RATE_LIMITS[action])
    return max(1, int(window - time.time() % window))


class TokenAuth(BearerTokenAuth):
    """Wagtail's bearer-token resolution, plus our permission, scope and rate
    limits. Fetches the token, its owner and its scope in one query."""

    def authenticate(self, request, token: str):
        if not APIToken.validate_token_format(token):
            request.user = AnonymousUser()
            return None  # cannot exist: no need to ask the database
        api_token = (
            APIToken.objects.select_related("user", "cocreate_scope")
            .filter(
                key_hash__in=APIToken.candidate_key_hashes(token),
                revoked_at__isnull=True,
            )
            .first()
        )
        user = api_token.user if api_token else None
        # A session cookie must never stand in for a token: overwrite request.user.
        request.user = user if user is not None and user.is_active else AnonymousUser()
        if not request.user.is_authenticated:
            return None
        if permissions.second_factor_pending(request.user):
            raise Forbidden(
                _(
                    "Set up two-factor authentication for your account at "
                    "%(url)s before using the API."
                )
                % {"url": request.build_absolute_uri(reverse("mfa_index"))}
            )
        if not permissions.can_use_api(request.user):
            raise Forbidden(
                _("Your account may not use the API; ask an administrator for access.")
            )
        key = str(api_token.pk)
        if not ratelimit.hit("api", key):
            raise TooManyRequests(
                _("Too many requests with this token; please wait a moment."),
                headers={"Retry-After": str(retry_after("api"))},
            )
        if request.method not in SAFE_METHODS:
            if not token_can_write(api_token):
                raise Forbidden(
                    _(
                        "This token may only read. Create a token with the write "
                        "scope to make changes."
                    )
                )
            if not ratelimit.hit("api_write", key):
                raise TooManyRequests(
                    _("Too many changes with this token; please wait a moment."),
                    headers={"Retry-After": str(retry_after("api_write"))},
                )
        self._touch_last_used(api_token)
        return api_token


def token_can_write(api_token: APIToken) -> bool:
    try:
        return api_token.cocreate_scope.can_write
    except APIToken.cocreate_scope.RelatedObjectDoesNotExist:
        return False  # no scope row: read only
