"""Webhook deliveries are signed: the secret, the timestamp and the body."""

from __future__ import annotations

import pytest

from ideas.integrations import delivery as webhook_delivery
from ideas.models import (
    DeliveryStatus,
)
from tests.factories import IdeaFactory
from tests.ideas.webhooks.helpers import change_status, deliveries

#: WhiteNoise warns on every request when collectstatic has not run; not our topic.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


# Signatures ------------------------------------------------------------------------
def test_a_delivery_is_signed_with_the_subscription_secret(
    receiver, subscribe, product, alice, django_capture_on_commit_callbacks
):
    subscription = subscribe()
    idea = IdeaFactory(author=alice)
    change_status(product, idea, django_capture_on_commit_callbacks)

    [request] = receiver.requests
    [delivery] = deliveries(subscription)
    header = request.headers["X-Cocreate-Signature"]
    assert webhook_delivery.verify_signature(subscription.secret, request.body, header)
    assert not webhook_delivery.verify_signature("another secret", request.body, header)
    assert not webhook_delivery.verify_signature(
        subscription.secret, request.body + b" ", header
    )
    assert request.headers["X-Cocreate-Event"] == "idea.status_changed"
    assert request.headers["X-Cocreate-Delivery"] == str(delivery.uuid)
    assert request.headers["Content-Type"] == "application/json"
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.response_code == 200
    assert delivery.response_body == "answer 200"
    assert delivery.attempts == 1


def test_an_old_or_malformed_signature_is_refused():
    body = b'{"event":"ping"}'
    header = webhook_delivery.sign("s3cret", body, 1_000_000)
    assert webhook_delivery.verify_signature("s3cret", body, header, now=1_000_100)
    assert not webhook_delivery.verify_signature("s3cret", body, header, now=1_000_400)
    assert not webhook_delivery.verify_signature("s3cret", body, "v1=abc")
    assert not webhook_delivery.verify_signature("s3cret", body, "t=now,v1=abc")
    assert not webhook_delivery.verify_signature("s3cret", body, "")


def test_the_signature_covers_timestamp_and_body():
    import hashlib
    import hmac

    body = b'{"a":1}'
    header = webhook_delivery.sign("key", body, 1700000000)
    expected = hmac.new(b"key", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"
