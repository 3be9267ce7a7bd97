"""Webhooks against a real HTTP receiver on 127.0.0.1: signatures, retries with
back-off, switching off after failures, which events go where, what payloads
say, private targets refused, and the back office's actions."""

from __future__ import annotations

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cocreate.notifications.models import Kind, Notification
from ideas import events, workflow
from ideas.errors import InvalidInput, NotAllowed
from ideas.integrations import delivery as webhook_delivery
from ideas.integrations import webhooks
from ideas.models import (
    DeliveryStatus,
    Idea,
    IdeaStatus,
    Shortlist,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from ideas.product import rnd, shortlists
from tests.concurrency import run_together
from tests.factories import IdeaFactory, UserFactory

#: WhiteNoise warns on every request when collectstatic has not run; not our topic.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

ALL_EVENTS = list(WebhookEvent.values)


class Receiver:
    """Records every request; answers with the scripted codes, then 200."""

    def __init__(self) -> None:
        self.requests: list[SimpleNamespace] = []
        self.codes: list[int] = []
        self.url = ""

    def answer(self, *codes: int) -> None:
        self.codes.extend(codes)


@pytest.fixture
def receiver():
    recorder = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            recorder.requests.append(
                SimpleNamespace(path=self.path, headers=self.headers, body=body)
            )
            code = recorder.codes.pop(0) if recorder.codes else 200
            self.send_response(code)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(f"answer {code}".encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    recorder.url = f"http://127.0.0.1:{server.server_port}/hooks/cocreate"
    yield recorder
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def subscribe(db, receiver):
    def make(events=None, **fields) -> WebhookSubscription:
        fields.setdefault("name", "Product tools")
        fields.setdefault("url", receiver.url)
        return WebhookSubscription.objects.create(
            events=ALL_EVENTS if events is None else events, **fields
        )

    return make


def change_status(product, idea, capture, status=IdeaStatus.UNDER_REVIEW, note="Yes"):
    with capture(execute=True):
        workflow.change_status(actor=product, idea=idea, new_status=status, note=note)


def deliveries(subscription) -> list[WebhookDelivery]:
    return list(subscription.deliveries.order_by("id"))


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


# Events and payloads ---------------------------------------------------------------


def test_events_reach_only_active_subscriptions_that_listen(
    receiver, subscribe, alice, django_capture_on_commit_callbacks
):
    published = subscribe(name="Published", events=[WebhookEvent.IDEA_PUBLISHED])
    statuses = subscribe(name="Statuses", events=[WebhookEvent.STATUS_CHANGED])
    off = subscribe(name="Off", is_active=False)
    idea = IdeaFactory(author=alice)
    with django_capture_on_commit_callbacks(execute=True):
        events.idea_published.send(sender=Idea, idea=idea, member=alice)
    assert [d.event for d in deliveries(published)] == ["idea.published"]
    assert deliveries(statuses) == []
    assert deliveries(off) == []
    assert len(receiver.requests) == 1


@override_settings(WAGTAILADMIN_BASE_URL="http://testserver.example/")
def test_a_status_change_payload_says_what_changed(
    receiver,
    subscribe,
    product,
    alice,
    make_campaign,
    django_capture_on_commit_callbacks,
):
    subscribe(events=[WebhookEvent.STATUS_CHANGED])
    campaign = make_campaign()
    idea = IdeaFactory(author=alice, campaign=campaign, supports_count=7)
    change_status(product, idea, django_capture_on_commit_callbacks, note="Looking")
    [request] = receiver.requests
    payload = json.loads(request.body)
    assert payload["event"] == "idea.status_changed"
    assert payload["delivery"] == request.headers["X-Cocreate-Delivery"]
    assert datetime.datetime.fromisoformat(payload["created_at"])
    assert payload["idea"] == {
        "id": idea.pk,
        "title": idea.title,
        "url": "http://testserver.example" + idea.get_absolute_url(),
        "status": "under_review",
        "campaign": {
            "id": campaign.pk,
            "title": campaign.title,
            "url": campaign.get_full_url(),
        },
        "supports": 7,
        "score": None,
    }
    assert payload["status_change"] == {
        "old_status": "published",
        "new_status": "under_review",
        "note": "Looking",
    }
    assert b"@example.com" not in request.body


def test_promotion_and_shipping_payloads_carry_rnd_facts_without_emails(
    receiver, subscribe, product, alice, django_capture_on_commit_callbacks
):
    subscribe(events=[WebhookEvent.PROMOTED, WebhookEvent.SHIPPED])
    idea = IdeaFactory(author=alice)
    target = timezone.localdate() + datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        rnd.promote(
            actor=product,
            idea=idea,
            ticket_key="RND-142",
            ticket_url="https://jira.example.com/RND-142",
            owner=product,
            target_date=target,
            note="Into R&D",
        )
    with django_capture_on_commit_callbacks(execute=True):
        rnd.ship(
            actor=product,
            idea=idea,
            product_url="https://shop.example.com/shoe",
            note="Out now",
        )
    promoted, shipped = (json.loads(r.body) for r in receiver.requests)
    assert promoted["event"] == "idea.promoted"
    assert promoted["promotion"]["ticket"] == "RND-142"
    assert promoted["promotion"]["owner"] == "Petra"
    assert promoted["promotion"]["target_date"] == target.isoformat()
    assert promoted["idea"]["status"] == "in_rnd"
    assert shipped["event"] == "idea.shipped"
    assert shipped["promotion"]["product_url"] == "https://shop.example.com/shoe"
    assert shipped["promotion"]["shipped_at"]
    for request in receiver.requests:
        assert b"petra@example.com" not in request.body
        assert b"alice@example.com" not in request.body


def test_a_shortlist_change_names_the_list_and_the_action(
    receiver, subscribe, product, alice, django_capture_on_commit_callbacks
):
    subscribe(events=[WebhookEvent.SHORTLIST_CHANGED])
    shortlist = Shortlist.objects.create(name="Running shoes 2027")
    idea = IdeaFactory(author=alice)
    with django_capture_on_commit_callbacks(execute=True):
        shortlists.add_idea(actor=product, shortlist=shortlist, idea=idea)
    [request] = receiver.requests
    payload = json.loads(request.body)
    assert payload["event"] == "shortlist.changed"
    assert payload["shortlist"] == {
        "id": shortlist.pk,
        "name": "Running shoes 2027",
        "action": "added",
    }
    assert payload["idea"]["id"] == idea.pk


def test_the_title_of_a_hidden_idea_stays_out(db, alice):
    idea = IdeaFactory(author=alice, status=IdeaStatus.HIDDEN, title="Call 555-0100")
    assert webhooks.idea_data(idea)["title"] is None


def test_a_rolled_back_change_sends_nothing(
    receiver, subscribe, product, alice, django_capture_on_commit_callbacks
):
    from django.db import transaction

    subscription = subscribe()
    idea = IdeaFactory(author=alice)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                workflow.change_status(
                    actor=product, idea=idea, new_status="under_review", note="x"
                )
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert deliveries(subscription) == []
    assert receiver.requests == []


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
