"""The REST API, version 1, at /api/v1/: personal bearer tokens with scopes, JSON
errors with a sentence, rate limits per token. Browsable docs at /api/v1/docs and
the OpenAPI schema at /api/v1/openapi.json; see docs/api.md."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from ideas.errors import AlreadyDone, IdeaError, InvalidInput, NotAllowed, RateLimited
from ideas.integrations.api import reads, writes
from ideas.integrations.api.auth import ApiError, TokenAuth

api = NinjaAPI(
    title="Cocreate API",
    version="1",
    description=(
        "Read campaigns, ideas, comments and shortlists; change statuses, promote, "
        "ship, score and shortlist ideas. Authenticate with a personal API token: "
        "`Authorization: Bearer <token>`."
    ),
    urls_namespace="api-v1",
    auth=TokenAuth(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("", reads.router)
api.add_router("", writes.router)

#: Domain errors of the services and the status each answers with.
DOMAIN_STATUSES = (
    (NotAllowed, 403),
    (InvalidInput, 400),
    (AlreadyDone, 409),
    (RateLimited, 429),
)


def _error(request, message: str, status: int, headers: dict | None = None, **extra):
    response = api.create_response(request, {"detail": message, **extra}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(ApiError)
def on_api_error(request, exc: ApiError):
    return _error(request, str(exc), exc.status, exc.headers)


@api.exception_handler(IdeaError)
def on_domain_error(request, exc: IdeaError):
    for error_class, status in DOMAIN_STATUSES:
        if isinstance(exc, error_class):
            return _error(request, str(exc), status)
    return _error(request, str(exc), 400)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _error(
        request,
        _(
            "Please send a valid API token: “Authorization: Bearer <token>”. "
            "Create one in the back office under your API tokens."
        ),
        401,
        {"WWW-Authenticate": 'Bearer realm="api"'},
    )


@api.exception_handler(ValidationError)
def on_invalid(request, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(part) for part in first.get("loc", ()))
    message = _("Please check the request: %(where)s: %(problem)s.") % {
        "where": where or _("body"),
        "problem": str(first.get("msg", _("invalid value"))).rstrip("."),
    }
    errors = [
        {
            "loc": list(e.get("loc", ())),
            "msg": str(e.get("msg", "")),
            "type": e.get("type", ""),
        }
        for e in exc.errors
    ]
    return _error(request, message, 422, errors=errors)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, str(exc), exc.status_code)


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def on_not_found(request, exc):
    return _error(request, _("There is nothing with this id."), 404)
