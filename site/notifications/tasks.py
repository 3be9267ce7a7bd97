"""Background work of notifications: an idea's whole audience is reached here,
out of the request. Emails are queued by ``services.notify`` itself (its task
lives beside it), so this module imports services and never the other way."""

from __future__ import annotations

from django_tasks import task

from cocreate.notifications import services
from cocreate.notifications.audiences import idea_audience
from cocreate.notifications.services import Message


@task()
def notify_idea_audience(
    idea_id: int, kind: str, title: str, body: str, url: str, exclude: list[int]
):
    """The author, supporters and followers of an idea, in batches."""
    services.fan_out(
        idea_audience(idea_id), Message(kind, title, body, url), exclude=exclude
    )
