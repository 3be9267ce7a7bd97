"""Background work of the integrations: webhook deliveries leave the request.

Queueing lives here, above ``delivery`` (which sends and records one attempt and
never imports this module): ``attempt`` queues the retry that an attempt asks for,
``enqueue`` hands deliveries to the task backend, ``send_due`` is the cron's pass.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django_tasks import task

from ideas.integrations import delivery as webhook_delivery
from ideas.models import DeliveryStatus, WebhookDelivery

logger = logging.getLogger(__name__)


@task()
def deliver_webhook(delivery_id: int) -> str | None:
    """One attempt of one delivery, if it is still due (a retry schedules the next
    task itself when the backend can defer; otherwise ``send_webhooks`` does)."""
    delivery = attempt(delivery_id)
    return delivery.status if delivery else None


def enqueue(
    delivery_ids: list[int], run_after: datetime.datetime | None = None
) -> None:
    """Hand deliveries to the task backend. Without deferred runs a retry waits for
    ``send_webhooks`` (cron); a broken backend never breaks the action."""
    queued = deliver_webhook
    if run_after is not None:
        if not queued.get_backend().supports_defer:
            return
        queued = queued.using(run_after=run_after)
    for delivery_id in delivery_ids:
        try:
            queued.enqueue(delivery_id)
        except Exception:  # the cron command sends what the queue missed
            logger.exception("Could not queue webhook delivery %s", delivery_id)


def attempt(delivery_id: int) -> WebhookDelivery | None:
    """Send one attempt of a delivery if it is due, then queue its retry (after
    commit, at the time the attempt chose) when it failed and may try again."""
    delivery = webhook_delivery.attempt(delivery_id)
    if delivery is not None and delivery.status == DeliveryStatus.RETRYING:
        pk, retry_at = delivery.pk, delivery.next_attempt_at
        transaction.on_commit(lambda: enqueue([pk], run_after=retry_at))
    return delivery


def send_due(limit: int = 500) -> dict[str, int]:
    """Attempt every due delivery (cron, and the immediate task backend's retries).
    Returns how many were delivered, will be retried, failed, or were skipped
    (taken by another worker)."""
    counts = dict.fromkeys(DeliveryStatus.values, 0)
    counts["skipped"] = 0
    for delivery_id in webhook_delivery.due_deliveries(limit):
        delivery = attempt(delivery_id)
        counts["skipped" if delivery is None else delivery.status] += 1
    return counts
