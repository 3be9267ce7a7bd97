"""Background work of notifications: fan-outs and emails leave the request."""

from __future__ import annotations

from django_tasks import task

from cocreate.notifications import services
from cocreate.notifications.services import Message


@task()
def send_emails(notification_ids: list[int]):
    return services.send_emails(notification_ids)


@task()
def notify_idea_audience(
    idea_id: int, kind: str, title: str, body: str, url: str, exclude: list[int]
):
    """The author, supporters and followers of an idea, in batches."""
    from cocreate.notifications.receivers import idea_audience

    services.fan_out(
        idea_audience(idea_id), Message(kind, title, body, url), exclude=exclude
    )
