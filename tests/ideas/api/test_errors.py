"""The REST API's errors as JSON sentences, and its rate limits."""

from __future__ import annotations

import pytest

from ideas.models import (
    IdeaStatus,
)
from tests.factories import (
    IdeaFactory,
)
from tests.ideas.api.helpers import API, assert_error

#: WhiteNoise warns on every request when collectstatic has not run; not our topic.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


# Errors ---------------------------------------------------------------------------
def test_service_errors_are_json_sentences(product_api, idea):
    response = product_api.post(
        f"/ideas/{idea.pk}/status", {"status": "in_rnd", "note": "Go."}
    )
    assert "Promote into R&D" in assert_error(response, 400)
    response = product_api.post(
        f"/ideas/{idea.pk}/status", {"status": "published", "note": "Again."}
    )
    assert "already" in assert_error(response, 409)


def test_ideas_that_are_not_public_are_not_found(product_api, alice):
    hidden = IdeaFactory(author=alice, status=IdeaStatus.HIDDEN)
    assert "no public idea" in assert_error(product_api.get(f"/ideas/{hidden.pk}"), 404)
    response = product_api.post(
        f"/ideas/{hidden.pk}/status", {"status": "published", "note": "Back."}
    )
    assert_error(response, 404)
    assert_error(product_api.get("/ideas/999999"), 404)


def test_invalid_input_is_a_json_sentence_with_the_fields(product_api, idea):
    response = product_api.post(f"/ideas/{idea.pk}/status", {"status": "declined"})
    detail = assert_error(response, 422)
    assert "note" in detail
    assert response.json()["errors"][0]["loc"][-1] == "note"
    response = product_api.post(
        f"/ideas/{idea.pk}/status", {"status": "declined", "note": "a\x00b"}
    )
    assert_error(response, 422)
    response = product_api.client.post(
        API + f"/ideas/{idea.pk}/status",
        "{not json",
        content_type="application/json",
        **product_api.headers,
    )
    assert response.status_code in (400, 422)
    assert isinstance(response.json()["detail"], str)


def test_it_limits_the_rate_per_token(settings, product_api, idea):
    settings.COCREATE_RATE_LIMITS = {
        **settings.COCREATE_RATE_LIMITS,
        "api": "2/60",
        "api_write": "1/60",
    }
    assert product_api.get("/ideas").status_code == 200
    response = product_api.post(
        f"/ideas/{idea.pk}/status", {"status": "declined", "note": "No."}
    )
    assert response.status_code == 200
    response = product_api.get("/ideas")
    assert "wait" in assert_error(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60


def test_writes_have_their_own_rate_limit(settings, product_api, idea):
    settings.COCREATE_RATE_LIMITS = {
        **settings.COCREATE_RATE_LIMITS,
        "api_write": "1/60",
    }
    note = {"status": "declined", "note": "No."}
    assert product_api.post(f"/ideas/{idea.pk}/status", note).status_code == 200
    response = product_api.post(
        f"/ideas/{idea.pk}/status", {"status": "published", "note": "Yes."}
    )
    assert_error(response, 429)
    assert product_api.get("/ideas").status_code == 200
