"""The REST API's personal tokens: who is let in and who is refused."""

from __future__ import annotations

import pytest
from wagtail.models import APIToken

from tests.ideas.api.helpers import Api, assert_error, make_token

#: WhiteNoise warns on every request when collectstatic has not run; not our topic.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


# Authentication -------------------------------------------------------------------
def test_it_refuses_a_request_without_a_token(client, idea):
    response = Api(client, None).get("/ideas")
    assert "Bearer" in assert_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "make_token",
    [
        lambda: "nonsense",
        lambda: "wagtail_" + "a" * 40,
        APIToken.generate_token,  # well formed, never issued
    ],
    ids=["nonsense", "wrong-checksum", "never-issued"],
)
def test_it_refuses_an_unknown_token(client, idea, make_token):
    assert_error(Api(client, make_token()).get("/ideas"), 401)


def test_it_refuses_a_revoked_token(client, product, idea):
    plaintext = make_token(product)
    APIToken.objects.get(user=product).revoke()
    assert_error(Api(client, plaintext).get("/ideas"), 401)


def test_it_refuses_the_token_of_an_inactive_member(client, product, idea):
    plaintext = make_token(product)
    product.is_active = False
    product.save()
    assert_error(Api(client, plaintext).get("/ideas"), 401)


def test_a_session_cookie_does_not_authenticate(client, product, idea):
    client.force_login(product)
    assert_error(Api(client, None).get("/ideas"), 401)
    assert_error(Api(client, "nonsense").get("/ideas"), 401)


def test_it_refuses_a_member_without_the_api_permission(client, alice, idea):
    detail = assert_error(Api(client, make_token(alice)).get("/ideas"), 403)
    assert "may not use the API" in detail


def test_it_records_when_a_token_was_last_used(product_api, product, idea):
    assert product_api.get("/ideas").status_code == 200
    assert APIToken.objects.get(user=product).last_used_at is not None
