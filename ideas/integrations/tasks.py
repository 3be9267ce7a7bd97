"""Background work of the idea domain: webhook deliveries leave the request."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_webhook(delivery_id: int) -> str | None:
    """One attempt of one delivery, if it is still due (a retry schedules the next
    task itself when the backend can defer; otherwise ``send_webhooks`` does)."""
    from ideas.integrations import delivery as webhook_delivery

    delivery = webhook_delivery.attempt(delivery_id)
    return delivery.status if delivery else None
