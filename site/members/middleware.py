"""Turns a contribution refused for want of the updated terms into the page that
asks for them, back to where the member was once they accept."""

from __future__ import annotations

from urllib.parse import urlencode, urlparse

from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from cocreate.http import is_htmx, safe_next
from cocreate.members.consents import TermsNotAccepted


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
