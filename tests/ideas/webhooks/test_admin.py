"""The back office's webhook pages: test pings, redelivery, permissions, the log."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from ideas import workflow
from ideas.integrations import delivery as webhook_delivery
from ideas.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookSubscription,
)
from tests.concurrency import run_together
from tests.factories import IdeaFactory, UserFactory
from tests.ideas.webhooks.helpers import ALL_EVENTS, change_status, deliveries

#: WhiteNoise warns on every request when collectstatic has not run; not our topic.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


# The back office -------------------------------------------------------------------
def test_send_test_pings_at_once_and_says_what_came_back(
    product_client, product, receiver, subscribe
):
    subscription = subscribe()
    response = product_client.post(
        reverse("webhooks:test", args=[subscription.pk]), follow=True
    )
    [request] = receiver.requests
    assert request.headers["X-Cocreate-Event"] == "ping"
    payload = json.loads(request.body)
    assert payload["webhook"] == {"id": subscription.pk, "name": "Product tools"}
    assert "Test delivered: the receiver answered 200." in response.content.decode()
    assert ModelLogEntry.objects.filter(
        action="cocreate.webhook.test", user_id=product.pk
    ).exists()


def test_a_failed_test_is_reported_and_not_counted(product_client, receiver, subscribe):
    subscription = subscribe()
    receiver.answer(500)
    response = product_client.post(
        reverse("webhooks:test", args=[subscription.pk]), follow=True
    )
    assert "Test not delivered: The receiver answered 500." in (
        response.content.decode()
    )
    [delivery] = deliveries(subscription)
    assert delivery.status == DeliveryStatus.FAILED
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 0


def test_redeliver_sends_the_same_payload_as_a_new_delivery(
    product_client,
    product,
    receiver,
    subscribe,
    alice,
    django_capture_on_commit_callbacks,
):
    subscription = subscribe()
    change_status(
        product, IdeaFactory(author=alice), django_capture_on_commit_callbacks
    )
    [original] = deliveries(subscription)
    response = product_client.post(
        reverse("webhooks:redeliver", args=[subscription.pk, original.pk]), follow=True
    )
    assert "Redelivery delivered" in response.content.decode()
    original_body, copy_body = (json.loads(r.body) for r in receiver.requests)
    first, copy = deliveries(subscription)
    assert copy.status == DeliveryStatus.DELIVERED
    assert copy.uuid != original.uuid
    assert copy_body["id"] == original_body["id"]
    assert copy_body["redelivery_of"] == str(original.uuid)
    assert copy_body["delivery"] == str(copy.uuid)
    assert copy_body["idea"] == original_body["idea"]
    assert ModelLogEntry.objects.filter(action="cocreate.webhook.redeliver").exists()


def test_actions_are_post_only(product_client, subscribe):
    subscription = subscribe()
    response = product_client.get(reverse("webhooks:test", args=[subscription.pk]))
    assert response.status_code == 405
    assert deliveries(subscription) == []


def test_a_moderator_can_neither_see_nor_act(client, moderator, receiver, subscribe):
    subscription = subscribe()
    client.force_login(moderator)
    for url in (
        reverse("webhooks:index"),
        reverse("webhooks:inspect", args=[subscription.pk]),
        reverse("webhooks:edit", args=[subscription.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
    response = client.post(reverse("webhooks:test", args=[subscription.pk]))
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert receiver.requests == []
    assert deliveries(subscription) == []


def test_a_viewer_sees_the_log_but_cannot_act(client, receiver, subscribe):
    from django.contrib.auth.models import Group

    subscription = subscribe()
    viewer = UserFactory()
    viewer.groups.add(Group.objects.get(name="Moderators"))  # admin access
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_webhooksubscription")
    )
    client.force_login(viewer)
    response = client.get(reverse("webhooks:inspect", args=[subscription.pk]))
    assert response.status_code == 200
    assert "Send test" not in response.content.decode()
    response = client.post(reverse("webhooks:test", args=[subscription.pk]))
    assert response.url == reverse("wagtailadmin_home")
    assert receiver.requests == []


@override_settings(COCREATE_RATE_LIMITS={"webhook": "1/60"})
def test_actions_are_rate_limited(product_client, receiver, subscribe):
    subscription = subscribe()
    url = reverse("webhooks:test", args=[subscription.pk])
    product_client.post(url)
    response = product_client.post(url, follow=True)
    assert "Too many changes in a short time" in response.content.decode()
    assert len(receiver.requests) == 1


def test_the_edit_page_shows_the_secret_and_makes_a_new_one(product_client, subscribe):
    subscription = subscribe()
    response = product_client.get(reverse("webhooks:edit", args=[subscription.pk]))
    assert subscription.secret in response.content.decode()
    old = subscription.secret
    response = product_client.post(
        reverse("webhooks:regenerate_secret", args=[subscription.pk])
    )
    assert response.url == reverse("webhooks:edit", args=[subscription.pk])
    subscription.refresh_from_db()
    assert subscription.secret != old
    assert ModelLogEntry.objects.filter(action="cocreate.webhook.secret").exists()


def test_switching_a_webhook_on_again_clears_its_failures(
    product_client, receiver, subscribe
):
    subscription = subscribe(
        is_active=False, consecutive_failures=5, disabled_at=timezone.now()
    )
    response = product_client.post(
        reverse("webhooks:edit", args=[subscription.pk]),
        {
            "name": subscription.name,
            "url": subscription.url,
            "events": subscription.events,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.is_active
    assert subscription.consecutive_failures == 0
    assert subscription.disabled_at is None


def test_a_switched_off_webhook_is_not_redelivered(product_client, subscribe, receiver):
    subscription = subscribe(is_active=False)
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event="idea.published",
        payload={"id": "x"},
        status=DeliveryStatus.FAILED,
    )
    response = product_client.post(
        reverse("webhooks:redeliver", args=[subscription.pk, delivery.pk]), follow=True
    )
    assert "switch it on before redelivering" in response.content.decode()
    assert receiver.requests == []


def test_the_delivery_log_runs_constant_queries(
    product_client, subscribe, django_assert_max_num_queries
):
    subscription = subscribe()
    url = reverse("webhooks:inspect", args=[subscription.pk])

    def add(count):
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(
                subscription=subscription,
                event="idea.published",
                payload={},
                status=DeliveryStatus.FAILED,
                response_code=500,
                error="The receiver answered 500.",
            )
            for _ in range(count)
        )

    add(2)
    product_client.get(url)  # warm caches (site, permissions)
    with django_assert_max_num_queries(30) as two:
        response = product_client.get(url)
    assert response.content.decode().count("Redeliver") >= 2
    add(18)
    with django_assert_max_num_queries(len(two.captured_queries)) as twenty:
        response = product_client.get(url)
    assert response.content.decode().count("The receiver answered 500.") == 20
    assert len(twenty.captured_queries) == len(two.captured_queries)


def test_the_cron_command_reports_what_it_did(
    receiver, subscribe, product, alice, capsys
):
    subscription = subscribe()
    workflow.change_status(
        actor=product,
        idea=IdeaFactory(author=alice),
        new_status="under_review",
        note="x",
    )  # the task never ran (no commit here): cron picks it up
    call_command("send_webhooks")
    assert "delivered: 1" in capsys.readouterr().out
    assert deliveries(subscription)[0].status == DeliveryStatus.DELIVERED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's concurrency"
)
def test_workers_racing_for_one_delivery_send_it_once(receiver):
    subscription = WebhookSubscription.objects.create(
        name="Race", url=receiver.url, events=ALL_EVENTS
    )
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event="idea.published",
        payload={"id": "race"},
        next_attempt_at=timezone.now(),
    )

    outcomes = run_together([lambda: webhook_delivery.attempt(delivery.pk)] * 8)

    assert sum(outcome is not None for outcome in outcomes) == 1, outcomes
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert delivery.status == DeliveryStatus.DELIVERED


def test_the_product_team_opens_every_page_of_a_webhook(product_client, subscribe):
    subscription = subscribe()
    WebhookDelivery.objects.create(
        subscription=subscription, event="idea.published", payload={}
    )
    assert product_client.get(reverse("webhooks:index")).status_code == 200
    assert product_client.get(reverse("webhooks:add")).status_code == 200
    for name in ("edit", "inspect", "delete", "history", "usage"):
        response = product_client.get(
            reverse(f"webhooks:{name}", args=[subscription.pk])
        )
        assert response.status_code == 200, name
