"""Background work of notifications: an idea's whole audience is reached here,
out of the request. Emails are queued by ``services.notify`` itself (its task
lives beside it), so this module imports services and never the other way.

Every task here may run twice (its worker killed half way and the task requeued,
see ``manage.py requeue_stale_tasks``): ``key`` names the event, and a member
has one notification per key, so a second run only finishes the first.
"""

from __future__ import annotations

from django_tasks import task

from cocreate.notifications import services
from cocreate.notifications.audiences import idea_audience
from cocreate.notifications.services import Message


@task()
def notify_idea_audience(
    idea_id: int,
    kind: str,
    title: str,
    body: str,
    url: str,
    exclude: list[int],
    key: str = "",
    translations: dict[str, list[str]] | None = None,
) -> None:
    """The author, supporters and followers of an idea, in batches.
    ``translations`` is ``Message.translations`` (each member reads their own)."""
    services.fan_out(
        idea_audience(idea_id),
        Message(kind, title, body, url, translations or {}),
        key=key,
        exclude=exclude,
    )


@task()
def notify_members(
    member_ids: list[int],
    kind: str,
    title: str,
    body: str,
    url: str,
    key: str = "",
    translations: dict[str, list[str]] | None = None,
) -> None:
    """Members an event named when it happened (a merge's former audience), in
    batches."""
    message = Message(kind, title, body, url, translations or {})
    for start in range(0, len(member_ids), services.BATCH_SIZE):
        services.notify_batch(
            member_ids[start : start + services.BATCH_SIZE], message, key=key
        )
