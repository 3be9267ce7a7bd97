"""Background work of notifications: an idea's whole audience is reached here,
out of the request. Emails are queued by ``services.notify`` itself (its task
lives beside it), so this module imports services and never the other way."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from cocreate.notifications import services
from cocreate.notifications.audiences import idea_audience
from cocreate.notifications.services import Message


@task()
def notify_idea_audience(
    idea_id: int, kind: str, title: str, body: str, url: str, exclude: list[int]
) -> None:
    """The author, supporters and followers of an idea, in batches."""
    services.fan_out(
        idea_audience(idea_id), Message(kind, title, body, url), exclude=exclude
    )


@task()
def notify_members(
    member_ids: list[int], kind: str, title: str, body: str, url: str
) -> None:
    """Members an event named when it happened (a merge's former audience), in
    batches."""
    message = Message(kind, title, body, url)
    for start in range(0, len(member_ids), services.BATCH_SIZE):
        with transaction.atomic():
            services.notify(member_ids[start : start + services.BATCH_SIZE], message)
