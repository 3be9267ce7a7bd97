"""Helpers the webhook tests share."""

from __future__ import annotations

from types import SimpleNamespace

from ideas import workflow
from ideas.models import (
    IdeaStatus,
    WebhookDelivery,
    WebhookEvent,
)

ALL_EVENTS = list(WebhookEvent.values)


class Receiver:
    """Records every request; answers with the scripted codes, then 200."""

    def __init__(self) -> None:
        self.requests: list[SimpleNamespace] = []
        self.codes: list[int] = []
        self.url = ""

    def answer(self, *codes: int) -> None:
        self.codes.extend(codes)


def change_status(product, idea, capture, status=IdeaStatus.UNDER_REVIEW, note="Yes"):
    with capture(execute=True):
        workflow.change_status(actor=product, idea=idea, new_status=status, note=note)


def deliveries(subscription) -> list[WebhookDelivery]:
    return list(subscription.deliveries.order_by("id"))
