"""Webhook targets: private addresses and other schemes are refused."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from ideas.errors import InvalidInput
from ideas.integrations import delivery as webhook_delivery
from ideas.models import (
    DeliveryStatus,
    WebhookSubscription,
)
from tests.factories import IdeaFactory
from tests.ideas.webhooks.helpers import change_status, deliveries

#: WhiteNoise warns on every request when collectstatic has not run; not our topic.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


# Private targets -------------------------------------------------------------------
@override_settings(COCREATE_WEBHOOK_ALLOW_PRIVATE_HOSTS=False)
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8000/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://224.0.0.1/hook",
        "http://0.0.0.0/hook",
        "http://240.0.0.1/hook",
    ],
)
def test_private_targets_are_refused(url):
    with pytest.raises(InvalidInput, match="private, local or reserved"):
        webhook_delivery.check_target(url)


@pytest.mark.parametrize(
    "url", ["ftp://example.com/x", "file:///etc/passwd", "http://"]
)
def test_only_http_and_https_are_allowed(url):
    with pytest.raises(InvalidInput, match="http:// or https://"):
        webhook_delivery.check_target(url)


@override_settings(COCREATE_WEBHOOK_ALLOW_PRIVATE_HOSTS=False)
def test_a_public_address_is_accepted():
    webhook_delivery.check_target("https://93.184.215.14/hooks")


@override_settings(COCREATE_WEBHOOK_ALLOW_PRIVATE_HOSTS=False)
def test_the_form_refuses_a_private_target_and_keeps_what_was_typed(product_client):
    response = product_client.post(
        reverse("webhooks:add"),
        {
            "name": "Our Jira bridge",
            "url": "http://127.0.0.1:8080/hook",
            "events": ["idea.promoted"],
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "private, local or reserved" in response.content.decode()
    assert "Our Jira bridge" in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_the_form_needs_an_event(product_client, receiver):
    response = product_client.post(
        reverse("webhooks:add"), {"name": "Bridge", "url": receiver.url}
    )
    assert response.status_code == 200
    assert "Please choose at least one event." in response.content.decode()


def test_the_product_team_adds_a_webhook(product_client, product, receiver):
    response = product_client.post(
        reverse("webhooks:add"),
        {
            "name": "Bridge",
            "url": receiver.url,
            "events": ["idea.promoted", "idea.shipped"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    subscription = WebhookSubscription.objects.get()
    assert subscription.events == ["idea.promoted", "idea.shipped"]
    assert subscription.created_by == product
    assert len(subscription.secret) == 64


@override_settings(COCREATE_WEBHOOK_ALLOW_PRIVATE_HOSTS=False)
def test_a_private_target_is_refused_again_at_send_time(
    receiver, subscribe, product, alice, django_capture_on_commit_callbacks
):
    subscription = subscribe()  # saved while it was allowed, say
    change_status(
        product, IdeaFactory(author=alice), django_capture_on_commit_callbacks
    )
    [delivery] = deliveries(subscription)
    assert delivery.status != DeliveryStatus.DELIVERED
    assert "private, local or reserved" in delivery.error
    assert receiver.requests == []
