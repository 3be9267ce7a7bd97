"""Saving a webhook subscription goes through its service, from every page."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from ideas.errors import InvalidInput, NotAllowed
from ideas.integrations import delivery as webhook_delivery
from ideas.integrations import webhooks
from ideas.models import (
    WebhookSubscription,
)

#: WhiteNoise warns on every request when collectstatic has not run; not our topic.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


# Saving a subscription goes through its service -------------------------------------
def _form(subscription=None, **changes) -> dict:
    data = {
        "name": "Our Jira bridge",
        "url": "https://93.184.215.14/hooks",
        "events": ["idea.promoted"],
        "is_active": "on",
    }
    if subscription is not None:
        data.update(
            name=subscription.name,
            url=subscription.url,
            events=subscription.events,
            is_active="on" if subscription.is_active else "",
        )
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


@override_settings(COCREATE_WEBHOOK_ALLOW_PRIVATE_HOSTS=False)
def test_saving_checks_the_target_with_the_check_of_every_attempt(superuser):
    assert webhooks.check_target is webhook_delivery.check_target
    with pytest.raises(InvalidInput) as at_send_time:
        webhook_delivery.check_target("http://localhost:8000/hook")

    with pytest.raises(InvalidInput) as at_save_time:
        webhooks.save_subscription(
            actor=superuser,
            subscription=WebhookSubscription(
                name="Bridge",
                url="http://localhost:8000/hook",
                events=["idea.promoted"],
            ),
        )

    assert str(at_save_time.value) == str(at_send_time.value)
    assert "private, local or reserved" in str(at_save_time.value)
    assert not WebhookSubscription.objects.exists()


@override_settings(COCREATE_WEBHOOK_ALLOW_PRIVATE_HOSTS=False)
def test_the_service_saves_a_public_target_with_who_made_it(product):
    subscription = webhooks.save_subscription(
        actor=product,
        subscription=WebhookSubscription(
            name=" Bridge ",
            url="https://93.184.215.14/hooks",
            events=["idea.promoted"],
        ),
    )

    fresh = WebhookSubscription.objects.get(pk=subscription.pk)
    assert (fresh.name, fresh.created_by) == ("Bridge", product)
    entry = ModelLogEntry.objects.for_instance(fresh).get()
    assert (entry.action, entry.user) == ("wagtail.create", product)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"events": []}, "Please choose at least one event."),
        ({"events": ["idea.deleted"]}, "Please choose at least one event."),
        ({"name": " "}, "Please give the webhook a name."),
        ({"url": "ftp://example.com/x"}, "http:// or https://"),
    ],
)
def test_the_service_refuses_an_incomplete_subscription(product, fields, message):
    values = {"name": "Bridge", "url": "https://93.184.215.14/hooks"}
    values["events"] = ["idea.promoted"]
    values.update(fields)

    with pytest.raises(InvalidInput, match=message):
        webhooks.save_subscription(
            actor=product, subscription=WebhookSubscription(**values)
        )

    assert not WebhookSubscription.objects.exists()


def test_only_the_product_team_sets_up_webhooks(moderator, subscribe):
    subscription = subscribe()
    subscription.url = "https://93.184.215.14/elsewhere"

    with pytest.raises(NotAllowed):
        webhooks.save_subscription(actor=moderator, subscription=subscription)

    assert WebhookSubscription.objects.get(pk=subscription.pk).url != subscription.url


def test_the_service_clears_the_failures_of_a_webhook_switched_on_again(
    product, subscribe
):
    subscription = subscribe(
        is_active=False, consecutive_failures=5, disabled_at=timezone.now()
    )
    subscription.is_active = True

    webhooks.save_subscription(actor=product, subscription=subscription)

    fresh = WebhookSubscription.objects.get(pk=subscription.pk)
    assert (fresh.consecutive_failures, fresh.disabled_at) == (0, None)
    assert ModelLogEntry.objects.filter(action="cocreate.webhook.enable").exists()


def test_an_edit_that_leaves_it_on_keeps_the_count(product, subscribe):
    subscription = subscribe(consecutive_failures=3)
    subscription.name = "Renamed"

    webhooks.save_subscription(actor=product, subscription=subscription)

    assert WebhookSubscription.objects.get(pk=subscription.pk).consecutive_failures == 3
    assert not ModelLogEntry.objects.filter(action="cocreate.webhook.enable").exists()


@override_settings(COCREATE_WEBHOOK_ALLOW_PRIVATE_HOSTS=False)
def test_a_loopback_target_is_refused_on_the_add_page_with_nothing_saved(
    product_client,
):
    response = product_client.post(
        reverse("webhooks:add"), _form(url="http://[::1]:9000/hook")
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "The host ::1 is a private, local or reserved address" in page
    assert 'value="Our Jira bridge"' in page
    assert 'value="http://[::1]:9000/hook"' in page
    assert not WebhookSubscription.objects.exists()
    assert not ModelLogEntry.objects.filter(action="wagtail.create").exists()


@override_settings(COCREATE_WEBHOOK_ALLOW_PRIVATE_HOSTS=False)
def test_a_loopback_target_is_refused_on_the_edit_page_and_the_old_one_stays(
    product_client, subscribe
):
    subscription = subscribe(url="https://93.184.215.14/hooks")

    response = product_client.post(
        reverse("webhooks:edit", args=[subscription.pk]),
        _form(subscription, name="Moved", url="http://127.0.0.1/hook"),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "private, local or reserved" in page
    assert 'value="Moved"' in page
    fresh = WebhookSubscription.objects.get(pk=subscription.pk)
    assert (fresh.name, fresh.url) == ("Product tools", "https://93.184.215.14/hooks")
    assert not ModelLogEntry.objects.for_instance(fresh).exists()


def test_an_edit_through_the_admin_is_logged(product_client, product, subscribe):
    subscription = subscribe()

    response = product_client.post(
        reverse("webhooks:edit", args=[subscription.pk]),
        _form(subscription, name="Renamed"),
    )

    assert response.status_code == 302
    entry = ModelLogEntry.objects.for_instance(subscription).get()
    assert (entry.action, entry.user) == ("wagtail.edit", product)
    assert WebhookSubscription.objects.get(pk=subscription.pk).name == "Renamed"
