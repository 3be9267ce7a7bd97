"""Which events reach which webhook, and what their payloads say."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import override_settings
from django.utils import timezone

from ideas import events, workflow
from ideas.integrations import webhooks
from ideas.models import (
    Idea,
    IdeaStatus,
    Shortlist,
    WebhookEvent,
)
from ideas.product import rnd, shortlists
from tests.factories import IdeaFactory
from tests.ideas.webhooks.helpers import change_status, deliveries

#: WhiteNoise warns on every request when collectstatic has not run; not our topic.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


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
