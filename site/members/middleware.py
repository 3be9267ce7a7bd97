"""Members' rules on every request: a contribution refused for want of the
updated terms becomes the page that asks for them; staff need a second factor
before the admin and have shorter sessions; a member's chosen language is theirs."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from urllib.parse import parse_qsl, urlencode, urlparse, urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from cocreate.http import is_htmx, safe_next
from cocreate.i18n import supported
from cocreate.members import staff_security
from cocreate.members.consents import TermsNotAccepted

#: ``?hl=fr``: this one request in French (see ``MemberLanguageMiddleware``).
HL_PARAMETER = "hl"


def terms_url(request) -> str:
    """The page to accept the updated terms, with ``next``: the page the member
    was on (a GET's own address, or where a POST came from)."""
    if request.method == "GET" and not is_htmx(request):
        back = request.get_full_path()
    else:
        back = safe_next(
            request,
            request.headers.get("HX-Current-URL") or request.headers.get("Referer"),
            default="/",
        )
        parsed = urlparse(back)
        back = parsed.path + (f"?{parsed.query}" if parsed.query else "")
    return f"{reverse('members:accept_terms')}?{urlencode({'next': back or '/'})}"


class TermsGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, TermsNotAccepted):
            return None
        url = terms_url(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": str(exception), "accept_url": url}, status=403
            )
        if is_htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)


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


class MemberLanguageMiddleware:
    """A signed-in member's chosen language wins over the cookie and the browser
    (which ``LocaleMiddleware``, before it, already weighed); a member who chose
    nothing follows them. One URL per page: the language is never in the path.

    ``?hl=fr`` shows that one request in French (the pages' hreflang alternates
    point there), whoever asks; it is stored nowhere, and an unknown code is
    ignored. Pages vary by language, so HTML responses say which headers chose it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        chosen = ""
        if user is not None and user.is_authenticated:
            chosen = supported(getattr(user, "language", ""))
        chosen = one_request_language(request) or chosen
        if chosen and chosen != getattr(request, "LANGUAGE_CODE", ""):
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


def one_request_language(request: HttpRequest) -> str:
    """The language ``?hl=`` asks for, if the site offers exactly that one."""
    code = request.GET.get(HL_PARAMETER, "")
    return code if code in dict(settings.LANGUAGES) else ""


def without_hl(url: str) -> str:
    """``url`` without its ``?hl=``, the rest of its query kept."""
    parts = urlsplit(url)
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name != HL_PARAMETER
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))
