"""Webhooks: the product team's tools hear about ideas as they move.

Each domain event a subscription listens to becomes a ``WebhookDelivery`` written
in the event's own transaction and sent after commit by a task (``ideas.tasks``),
or by ``manage.py send_webhooks`` from cron. A delivery is a JSON POST signed
with the subscription's secret (see ``sign`` and ``verify_signature``); a failed
attempt is retried with exponential back-off, and a subscription whose deliveries
fail too often in a row is switched off and the admins are told.

Payloads carry public facts only: no email address, no personal data beyond the
display names the site already shows.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ideas import events, permissions
from ideas.errors import InvalidInput, NotAllowed
from ideas.integrations.delivery import PING, check_target
from ideas.integrations.tasks import attempt, enqueue
from ideas.models import (
    Idea,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from ideas.models.integrations import new_webhook_secret

if TYPE_CHECKING:
    import datetime

    from cocreate.members.types import User
    from ideas.models import Promotion, Shortlist

# Payloads --------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def idea_data(idea: Idea) -> dict:
    """The idea as the outside world may know it. The title of an idea nobody may
    see (pending, hidden) stays out: it may be why it was hidden."""
    campaign = None
    page = idea.campaign if idea.campaign_id else None
    if page is not None:
        campaign = {"id": page.pk, "title": page.title, "url": page.get_full_url()}
    return {
        "id": idea.pk,
        "title": idea.title if idea.is_public else None,
        "url": _absolute(idea.get_absolute_url()),
        "status": idea.status,
        "campaign": campaign,
        "supports": idea.supports_count,
        "score": idea.score,
    }


def promotion_data(promotion: Promotion) -> dict:
    return {
        "ticket": promotion.ticket_key,
        "ticket_url": promotion.ticket_url,
        "owner": promotion.owner.public_name,
        "target_date": _iso(promotion.target_date),
        "product_url": promotion.product_url,
        "shipped_at": _iso(promotion.shipped_at),
    }


def _envelope(event: str, data: dict, event_id: str | None = None) -> dict:
    return {
        "id": event_id or str(uuid.uuid4()),
        "event": event,
        "created_at": timezone.now().isoformat(),
        **data,
    }


# Queueing --------------------------------------------------------------------------


def listening(event: str) -> list[WebhookSubscription]:
    # A handful of rows: filtering the JSON list here works on SQLite too.
    return [
        subscription
        for subscription in WebhookSubscription.objects.filter(is_active=True)
        if event in subscription.events
    ]


def queue_event(event: str, data: dict) -> list[WebhookDelivery]:
    """One pending delivery per active subscription to this event, written in the
    caller's transaction and sent once it commits."""
    subscriptions = listening(event)
    if not subscriptions:
        return []
    envelope = _envelope(event, data)
    now = timezone.now()
    deliveries = []
    for subscription in subscriptions:
        delivery_id = uuid.uuid4()
        deliveries.append(
            WebhookDelivery(
                subscription=subscription,
                uuid=delivery_id,
                event=event,
                payload={**envelope, "delivery": str(delivery_id)},
                next_attempt_at=now,
                created_at=now,
            )
        )
    created = WebhookDelivery.objects.bulk_create(deliveries)
    ids = [delivery.pk for delivery in created]
    transaction.on_commit(lambda: enqueue(ids))
    return created


def on_idea_published(
    sender: object, idea: Idea, member: User, **kwargs: object
) -> None:
    queue_event(WebhookEvent.IDEA_PUBLISHED, {"idea": idea_data(idea)})


def on_status_changed(
    sender: object,
    idea: Idea,
    old_status: str,
    new_status: str,
    actor: User | None,
    note: str | None,
    **kwargs: object,
) -> None:
    queue_event(
        WebhookEvent.STATUS_CHANGED,
        {
            "idea": idea_data(idea),
            "status_change": {
                "old_status": old_status,
                "new_status": new_status,
                "note": note or "",
            },
        },
    )


def on_promoted(
    sender: object, idea: Idea, actor: User, promotion: Promotion, **kwargs: object
) -> None:
    queue_event(
        WebhookEvent.PROMOTED,
        {"idea": idea_data(idea), "promotion": promotion_data(promotion)},
    )


def on_shipped(
    sender: object, idea: Idea, actor: User, promotion: Promotion, **kwargs: object
) -> None:
    queue_event(
        WebhookEvent.SHIPPED,
        {"idea": idea_data(idea), "promotion": promotion_data(promotion)},
    )


def on_shortlist_changed(
    sender: object,
    shortlist: Shortlist,
    actor: User,
    action: str,
    idea: Idea | None = None,
    **kwargs: object,
) -> None:
    queue_event(
        WebhookEvent.SHORTLIST_CHANGED,
        {
            "idea": idea_data(idea) if idea is not None else None,
            "shortlist": {"id": shortlist.pk, "name": shortlist.name, "action": action},
        },
    )


def connect_receivers() -> None:
    uid = "ideas.webhooks"
    events.idea_published.connect(on_idea_published, dispatch_uid=f"{uid}.published")
    events.idea_status_changed.connect(on_status_changed, dispatch_uid=f"{uid}.status")
    events.idea_promoted.connect(on_promoted, dispatch_uid=f"{uid}.promoted")
    events.idea_shipped.connect(on_shipped, dispatch_uid=f"{uid}.shipped")
    events.shortlist_changed.connect(
        on_shortlist_changed, dispatch_uid=f"{uid}.shortlist"
    )


# The back office's actions ---------------------------------------------------------


def _check_subscription(subscription: WebhookSubscription) -> None:
    errors = []
    if not (subscription.name or "").strip():
        errors.append(_("Please give the webhook a name."))
    known = set(WebhookEvent.values)
    chosen = subscription.events if isinstance(subscription.events, list) else []
    if not chosen or not set(chosen) <= known:
        errors.append(_("Please choose at least one event."))
    if errors:
        raise InvalidInput(" ".join(errors))
    # The very check every attempt makes before it sends.
    check_target(subscription.url)


@transaction.atomic
def save_subscription(
    *, actor: User, subscription: WebhookSubscription
) -> WebhookSubscription:
    """Create or update a subscription, refusing a target no delivery could reach
    (private, loopback, link-local… in production). One switched on again starts
    with a clean count of failures."""
    adding = subscription.pk is None
    if adding:
        allowed = bool(
            actor
            and actor.is_authenticated
            and actor.has_perm("ideas.add_webhooksubscription")
        )
    else:
        allowed = permissions.can_manage_webhooks(actor)
    if not allowed:
        raise NotAllowed(_("Only the product team sets up webhooks."))
    was_active = None
    if not adding:
        was_active = (
            WebhookSubscription.objects.select_for_update()
            .filter(pk=subscription.pk)
            .values_list("is_active", flat=True)
            .first()
        )
        if was_active is None:
            raise InvalidInput(_("This webhook was deleted meanwhile."))
    _check_subscription(subscription)
    subscription.name = subscription.name.strip()
    if adding:
        subscription.created_by = actor
    subscription.save()
    log(
        instance=subscription,
        action="wagtail.create" if adding else "wagtail.edit",
        user=actor,
        content_changed=True,
    )
    if was_active is False and subscription.is_active:
        switched_on(actor=actor, subscription=subscription)
    return subscription


def send_test(*, actor: User, subscription: WebhookSubscription) -> WebhookDelivery:
    """A ``ping`` delivered at once, whether or not the webhook is on; the caller
    shows the result. Never retried, never counted as a failure."""
    with transaction.atomic():
        delivery_id = uuid.uuid4()
        delivery = WebhookDelivery.objects.create(
            subscription=subscription,
            uuid=delivery_id,
            event=PING,
            payload=_envelope(
                PING,
                {
                    "delivery": str(delivery_id),
                    "webhook": {"id": subscription.pk, "name": subscription.name},
                },
            ),
            next_attempt_at=timezone.now(),
        )
        log(instance=subscription, action="cocreate.webhook.test", user=actor)
    return attempt(delivery.pk) or delivery


def redeliver(*, actor: User, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send an earlier delivery's payload again, as a new delivery (its own id and
    attempts; the event's ``id`` stays, so receivers can tell it is the same)."""
    subscription = delivery.subscription
    with transaction.atomic():
        delivery_id = uuid.uuid4()
        copy = WebhookDelivery.objects.create(
            subscription=subscription,
            uuid=delivery_id,
            event=delivery.event,
            payload={
                **delivery.payload,
                "delivery": str(delivery_id),
                "redelivery_of": str(delivery.uuid),
            },
            next_attempt_at=timezone.now(),
        )
        log(
            instance=subscription,
            action="cocreate.webhook.redeliver",
            user=actor,
            data={"delivery": str(delivery.uuid), "event": delivery.event},
        )
    return attempt(copy.pk) or copy


@transaction.atomic
def regenerate_secret(*, actor: User, subscription: WebhookSubscription) -> str:
    subscription.secret = new_webhook_secret()
    subscription.save(update_fields=["secret"])
    log(instance=subscription, action="cocreate.webhook.secret", user=actor)
    return subscription.secret


@transaction.atomic
def switched_on(*, actor: User, subscription: WebhookSubscription) -> None:
    """A subscription switched on again starts with a clean failure count."""
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        consecutive_failures=0, disabled_at=None
    )
    subscription.consecutive_failures = 0
    subscription.disabled_at = None
    log(instance=subscription, action="cocreate.webhook.enable", user=actor)
