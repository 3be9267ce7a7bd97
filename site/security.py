"""Security headers that Django does not set by itself.

- ``ContentSecurityPolicyMiddleware``: django-csp's middleware, with the strict
  ``CONTENT_SECURITY_POLICY`` on the public site and the looser
  ``COCREATE_ADMIN_CSP_DIRECTIVES`` under the Wagtail admin, whose own pages need
  inline scripts and styles; Wagtail's previews may be framed by the admin. Sockets
  of the site's own host are added per request.
- ``PrivacyHeadersMiddleware``: ``Permissions-Policy`` on every response, and
  ``Cache-Control: no-store`` on private pages (account, wallet, notifications,
  profile settings, redemptions, the admin), so neither a shared cache nor the
  browser's back button keeps them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.utils.cache import add_never_cache_headers

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponseBase


def is_admin_path(path: str) -> bool:
    return path.startswith(settings.COCREATE_ADMIN_PATH_PREFIX)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if parts.config is None and is_admin_path(request.path_info):
            parts.config = dict(settings.COCREATE_ADMIN_CSP_DIRECTIVES)
        if getattr(request, "is_dummy", False):
            # Wagtail's preview renders the page through the whole middleware chain
            # with a request of the page's own URL, to show it framed in the admin.
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        # WebSockets to this very host ('self' covers them in CSP 3 browsers only).
        try:
            host = request.get_host()
        except DisallowedHost:
            return parts  # the 400 page: no socket to allow
        scheme = "wss" if request.is_secure() else "ws"
        parts.update = {**(parts.update or {})}
        parts.update["connect-src"] = [
            *parts.update.get("connect-src", []),
            SELF,
            f"{scheme}://{host}",
        ]
        return parts


class PrivacyHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response
        self.private = [
            re.compile(pattern) for pattern in settings.COCREATE_PRIVATE_PATHS
        ]
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.COCREATE_PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if any(pattern.match(request.path_info) for pattern in self.private):
            add_never_cache_headers(response)
        return response
