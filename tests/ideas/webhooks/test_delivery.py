"""Webhook delivery: retries with back-off, and switching off after failures."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cocreate.notifications.models import Kind, Notification
from ideas import workflow
from ideas.integrations import delivery as webhook_delivery
from ideas.models import (
    DeliveryStatus,
    WebhookDelivery,
)
from tests.factories import IdeaFactory, UserFactory
from tests.ideas.webhooks.helpers import change_status, deliveries

#: WhiteNoise warns on every request when collectstatic has not run; not our topic.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


# Retries ---------------------------------------------------------------------------
def _make_due(delivery: WebhookDelivery) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


@override_settings(COCREATE_WEBHOOK_RETRY_SECONDS=30, COCREATE_WEBHOOK_MAX_ATTEMPTS=4)
def test_a_500_is_retried_with_back_off_then_delivered(
    receiver, subscribe, product, alice, django_capture_on_commit_callbacks
):
    subscription = subscribe()
    receiver.answer(500, 503)
    before = timezone.now()
    change_status(
        product, IdeaFactory(author=alice), django_capture_on_commit_callbacks
    )

    [delivery] = deliveries(subscription)
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.attempts == 1
    assert delivery.response_code == 500
    assert delivery.response_body == "answer 500"
    wait = delivery.next_attempt_at - before
    assert datetime.timedelta(seconds=29) < wait < datetime.timedelta(seconds=32)

    # Not due yet: the cron command leaves it alone.
    call_command("send_webhooks")
    assert len(receiver.requests) == 1

    _make_due(delivery)
    before = timezone.now()
    call_command("send_webhooks")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.attempts == 2
    assert delivery.response_code == 503
    wait = delivery.next_attempt_at - before
    assert datetime.timedelta(seconds=59) < wait < datetime.timedelta(seconds=62)

    _make_due(delivery)
    call_command("send_webhooks")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 3
    assert delivery.response_code == 200
    assert delivery.next_attempt_at is None
    assert len(receiver.requests) == 3
    # Each attempt is signed afresh; the delivery id stays.
    assert {r.headers["X-Cocreate-Delivery"] for r in receiver.requests} == {
        str(delivery.uuid)
    }


@override_settings(COCREATE_WEBHOOK_RETRY_SECONDS=30)
def test_the_back_off_doubles_and_is_capped():
    assert webhook_delivery.retry_delay(1) == datetime.timedelta(seconds=30)
    assert webhook_delivery.retry_delay(2) == datetime.timedelta(seconds=60)
    assert webhook_delivery.retry_delay(4) == datetime.timedelta(seconds=240)
    assert webhook_delivery.retry_delay(30) == webhook_delivery.MAX_RETRY_DELAY


@override_settings(COCREATE_WEBHOOK_MAX_ATTEMPTS=2, COCREATE_WEBHOOK_DISABLE_AFTER=5)
def test_a_delivery_fails_after_its_last_attempt(
    receiver, subscribe, product, alice, django_capture_on_commit_callbacks
):
    subscription = subscribe()
    receiver.answer(500, 500)
    change_status(
        product, IdeaFactory(author=alice), django_capture_on_commit_callbacks
    )
    [delivery] = deliveries(subscription)
    _make_due(delivery)
    call_command("send_webhooks")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 2
    assert delivery.next_attempt_at is None
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 1
    assert subscription.is_active


def test_a_connection_error_is_recorded_and_retried(
    subscribe, product, alice, django_capture_on_commit_callbacks
):
    subscription = subscribe(url="http://127.0.0.1:9/nothing-listens-here")
    change_status(
        product, IdeaFactory(author=alice), django_capture_on_commit_callbacks
    )
    [delivery] = deliveries(subscription)
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.response_code is None
    assert delivery.error.startswith("Could not connect")


def test_a_redirect_is_not_followed(
    receiver, subscribe, product, alice, django_capture_on_commit_callbacks
):
    subscription = subscribe()
    receiver.answer(302)
    change_status(
        product, IdeaFactory(author=alice), django_capture_on_commit_callbacks
    )
    [delivery] = deliveries(subscription)
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.response_code == 302
    assert len(receiver.requests) == 1


def test_two_workers_never_send_the_same_attempt(receiver, subscribe, product, alice):
    subscription = subscribe()
    workflow.change_status(
        actor=product,
        idea=IdeaFactory(author=alice),
        new_status="under_review",
        note="x",
    )  # on_commit never runs here: the delivery waits
    [delivery] = deliveries(subscription)
    first = webhook_delivery.claim(delivery.pk)
    assert first is not None
    assert webhook_delivery.claim(delivery.pk) is None
    assert webhook_delivery.attempt(delivery.pk) is None
    assert receiver.requests == []


def test_an_attempt_whose_worker_died_is_sent_again_once_its_claim_lapses(
    receiver, subscribe, product, alice
):
    subscription = subscribe()
    workflow.change_status(
        actor=product,
        idea=IdeaFactory(author=alice),
        new_status="under_review",
        note="x",
    )
    [delivery] = deliveries(subscription)
    assert webhook_delivery.claim(delivery.pk) is not None  # then the worker dies
    call_command("send_webhooks")
    assert receiver.requests == []  # the claim still holds

    _make_due(delivery)
    call_command("send_webhooks")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert len(receiver.requests) == 1

    _make_due(delivery)
    assert webhook_delivery.attempt(delivery.pk) is None  # delivered: never again
    call_command("send_webhooks")
    assert len(receiver.requests) == 1


def test_a_late_attempt_never_undoes_a_delivery(receiver, subscribe, product, alice):
    subscription = subscribe()
    workflow.change_status(
        actor=product,
        idea=IdeaFactory(author=alice),
        new_status="under_review",
        note="x",
    )
    [delivery] = deliveries(subscription)
    late = webhook_delivery.claim(delivery.pk)  # a worker stalls past its claim
    _make_due(delivery)
    assert webhook_delivery.attempt(delivery.pk) is not None  # another delivers

    assert webhook_delivery._record(late, 500, "", "Timed out", final=False) is False

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.next_attempt_at is None and delivery.error == ""
    assert webhook_delivery.due_deliveries() == []


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
)
def test_a_backend_that_defers_gets_the_retry_with_run_after(
    receiver, subscribe, product, alice, django_capture_on_commit_callbacks
):
    from ideas.integrations import tasks

    backend = tasks.deliver_webhook.get_backend()
    backend.clear()
    subscription = subscribe()
    change_status(
        product, IdeaFactory(author=alice), django_capture_on_commit_callbacks
    )
    [delivery] = deliveries(subscription)
    [queued] = [r for r in backend.results if r.task.name == "deliver_webhook"]
    assert queued.args == [delivery.pk]
    assert queued.task.run_after is None

    receiver.answer(500)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.deliver_webhook.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING
    retry = [r for r in backend.results if r.task.name == "deliver_webhook"][-1]
    assert retry.args == [delivery.pk]
    assert retry.task.run_after == delivery.next_attempt_at


# Switching off ---------------------------------------------------------------------
@override_settings(COCREATE_WEBHOOK_MAX_ATTEMPTS=1, COCREATE_WEBHOOK_DISABLE_AFTER=3)
def test_repeated_failures_switch_the_webhook_off_and_tell_the_admins(
    receiver,
    subscribe,
    product,
    moderator,
    superuser,
    alice,
    django_capture_on_commit_callbacks,
):
    subscription = subscribe()
    receiver.answer(500, 500, 500)
    for _ in range(3):
        change_status(
            product, IdeaFactory(author=alice), django_capture_on_commit_callbacks
        )
    subscription.refresh_from_db()
    assert not subscription.is_active
    assert subscription.disabled_at is not None
    assert subscription.consecutive_failures == 3
    told = set(
        Notification.objects.filter(kind=Kind.BRAND_TEAM).values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {product.pk, superuser.pk}
    note = Notification.objects.filter(recipient=product).get()
    assert "Product tools" in note.title
    assert note.url == reverse("webhooks:inspect", args=[subscription.pk])
    assert ModelLogEntry.objects.filter(action="cocreate.webhook.disable").count() == 1

    # Switched off: new events make no delivery.
    change_status(
        product, IdeaFactory(author=alice), django_capture_on_commit_callbacks
    )
    assert len(deliveries(subscription)) == 3
    assert len(receiver.requests) == 3


def test_someone_given_the_permission_alone_is_told_too(db, superuser):
    clerk = UserFactory()
    clerk.user_permissions.add(
        Permission.objects.get(codename="change_webhooksubscription")
    )
    UserFactory()  # a plain member
    assert set(webhook_delivery.webhook_admins()) == {clerk.pk, superuser.pk}


@override_settings(COCREATE_WEBHOOK_MAX_ATTEMPTS=1, COCREATE_WEBHOOK_DISABLE_AFTER=2)
def test_a_success_resets_the_count_of_failures(
    receiver, subscribe, product, alice, django_capture_on_commit_callbacks
):
    subscription = subscribe()
    receiver.answer(500, 200, 500)
    for _ in range(3):
        change_status(
            product, IdeaFactory(author=alice), django_capture_on_commit_callbacks
        )
    subscription.refresh_from_db()
    assert subscription.is_active
    assert subscription.consecutive_failures == 1
