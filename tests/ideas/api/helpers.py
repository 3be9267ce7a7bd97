"""Helpers the REST API tests share."""

from __future__ import annotations

from wagtail.models import APIToken

from ideas.models import (
    ApiTokenScope,
    TokenScope,
)

API = "/api/v1"


def make_token(user, scope: str | None = TokenScope.WRITE, name: str = "Jira") -> str:
    token, plaintext = APIToken.create_token(user=user, name=name)
    if scope is not None:
        ApiTokenScope.objects.create(token=token, scope=scope)
    return plaintext


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


class Api:
    """A client that sends one token with every request."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.headers = bearer(token) if token else {}

    def get(self, path, **params):
        return self.client.get(API + path, params, **self.headers)

    def send(self, method, path, data=None):
        return getattr(self.client, method)(
            API + path, data, content_type="application/json", **self.headers
        )

    def post(self, path, data=None):
        return self.send("post", path, data)


def assert_error(response, status: int) -> str:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert isinstance(detail, str)
    assert detail.endswith((".", "”.")), detail
    return detail
