"""Notifying members: in-app rows, email at once or in a daily digest, and a live
bell. Each member chooses per kind; the choice "off" writes nothing.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from cocreate.i18n import in_language_of, supported
from cocreate.notifications.models import (
    DEFAULT_CHANNELS,
    MANDATORY_KINDS,
    Channel,
    Digest,
    Kind,
    Notification,
    Preference,
)
from cocreate.outages import channel_layer_outage
from cocreate.text import single_line

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cocreate.members.types import User


UNSUBSCRIBE_SALT = "cocreate.notifications.unsubscribe"
#: The "kind" a digest's unsubscribe link names: it stops the daily email as a
#: whole (every kind sent by digest goes back to the site only).
DIGEST = "digest"
BATCH_SIZE = 1000
#: What one member's email may fail with (a header with a line break, an address
#: that does not parse or that the mail server refuses, a message it rejects): that
#: email is logged and left unsent, the others go. A server that cannot be reached
#: fails the whole run instead, so that its task is tried again later.
EMAIL_ERRORS = (
    ValueError,  # BadHeaderError, an address that does not parse
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    """What a notification says. Its text is stored, so it is written in each
    recipient's language when it is created: ``translations`` holds the title and
    body in every language of the site (``localized`` fills it); ``title`` and
    ``body`` are the site's language, for members who chose none."""

    kind: str
    title: str
    body: str = ""
    url: str = ""
    translations: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def in_language(self, code: str) -> Message:
        """This message as a member who reads ``code`` gets it."""
        version = self.translations.get(code)
        if not version:
            return self
        title, body = version
        return Message(self.kind, title, body, self.url)


def localized(build: Callable[[], Message]) -> Message:
    """``build`` (which calls ``gettext``) run once in each of the site's
    languages; the result carries them all, so a task can take it as it is."""
    versions = {}
    for code in [settings.LANGUAGE_CODE, *(c for c, _n in settings.LANGUAGES)]:
        if code in versions:
            continue
        with translation.override(code):
            version = build()
        if code == settings.LANGUAGE_CODE:
            message = version
        versions[code] = (version.title, version.body)
    return replace(message, translations=versions)


def member_group(member_id: int) -> str:
    return f"member.{member_id}"


def channels_for(member_ids: Sequence[int], kind: str) -> dict[int, str]:
    """Each member's channel for this kind (their choice, or the default)."""
    chosen = dict(
        Preference.objects.filter(member_id__in=member_ids, kind=kind).values_list(
            "member_id", "channel"
        )
    )
    default = DEFAULT_CHANNELS[kind]
    return {member_id: chosen.get(member_id, default) for member_id in member_ids}


def notify(
    member_ids: Iterable[int], message: Message, *, key: str = ""
) -> list[Notification]:
    """Write the notifications of one batch of members; emails and the live bell go
    out after commit. Call it from a task for large audiences (see ``fan_out``).

    ``key`` names the event (``status:<id>``): a member has one notification per
    key, so running the same batch again (a task retried after its worker died)
    writes nothing twice, and emails what the cut-short run wrote but never sent.
    """
    ids = sorted(set(member_ids))
    if not ids:
        return []
    channel_of = channels_for(ids, message.kind)
    # Each active member's language (theirs, else the site's): their copy of the
    # message is stored in it.
    language_of = {
        member_id: supported(language) or settings.LANGUAGE_CODE
        for member_id, language in get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .values_list("pk", "language")
    }
    rows = []
    for member_id in ids:
        if member_id not in language_of or channel_of[member_id] == Channel.OFF:
            continue
        theirs = message.in_language(language_of[member_id])
        rows.append(
            Notification(
                recipient_id=member_id,
                kind=message.kind,
                title=theirs.title[:200],
                body=theirs.body,
                url=message.url[:300],
                wants_digest=channel_of[member_id] == Channel.DIGEST,
                dedupe_key=key[:100],
            )
        )
    if key and rows:
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        created = list(
            Notification.objects.filter(
                dedupe_key=key[:100], recipient_id__in=[r.recipient_id for r in rows]
            )
        )
    else:
        created = Notification.objects.bulk_create(rows)
    email_now = [
        n.pk
        for n in created
        if channel_of[n.recipient_id] == Channel.EMAIL and n.emailed_at is None
    ]
    titles = {n.recipient_id: n.title for n in created}
    transaction.on_commit(lambda: _after_commit(titles, email_now))
    return created


def _after_commit(titles: dict[int, str], email_now: list[int]) -> None:
    if email_now:
        email_notifications.enqueue(email_now)
    push_bells(titles)


def push_bells(titles: Mapping[int, str]) -> None:
    """Tell open pages of these members that their bell has news (each member's
    title, in their language)."""
    layer = get_channel_layer()
    if layer is None:
        return
    unread = unread_counts(list(titles))
    try:
        for member_id, count in unread.items():
            async_to_sync(layer.group_send)(
                member_group(member_id),
                {"type": "bell.update", "unread": count, "title": titles[member_id]},
            )
    except Exception:  # noqa: BLE001 - a broken layer must never break an action
        channel_layer_outage.failed("live bell update not sent")
    else:
        channel_layer_outage.recovered()


def unread_counts(member_ids: list[int]) -> dict[int, int]:
    from django.db.models import Count

    counts = dict(
        Notification.objects.filter(recipient_id__in=member_ids, read_at__isnull=True)
        .values("recipient_id")
        .annotate(n=Count("id"))
        .values_list("recipient_id", "n")
    )
    return {member_id: counts.get(member_id, 0) for member_id in member_ids}


def fan_out(
    recipients: QuerySet,
    message: Message,
    *,
    key: str = "",
    exclude: Iterable[int] = (),
) -> None:
    """Notify a large audience (a queryset of member ids) in batches, so a status
    change on an idea with 10,000 supporters costs one batch at a time. Each batch
    commits on its own; with a ``key``, a run stopped half way (a deploy, a killed
    worker) is simply run again: the batches already written are skipped."""
    skip = set(exclude)
    batch: list[int] = []
    for member_id in recipients.iterator(chunk_size=BATCH_SIZE):
        if member_id in skip:
            continue
        batch.append(member_id)
        if len(batch) >= BATCH_SIZE:
            notify_batch(batch, message, key=key)
            batch = []
    if batch:
        notify_batch(batch, message, key=key)


@transaction.atomic
def notify_batch(member_ids: list[int], message: Message, *, key: str = "") -> None:
    """One batch of a fan-out, in its own transaction (a stop loses at most it)."""
    notify(member_ids, message, key=key)


@transaction.atomic
def mark_read(*, member: User, notification_id: int) -> bool:
    updated = Notification.objects.filter(
        pk=notification_id, recipient=member, read_at__isnull=True
    ).update(read_at=timezone.now())
    return bool(updated)


@transaction.atomic
def mark_all_read(*, member: User) -> int:
    return Notification.objects.filter(recipient=member, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def set_preferences(*, member: User, channels: dict[str, str]) -> None:
    """Save the member's channel for each kind; mandatory kinds cannot be off."""
    for kind, channel in channels.items():
        if kind not in Kind.values or channel not in Channel.values:
            continue
        if kind in MANDATORY_KINDS and channel == Channel.OFF:
            channel = Channel.IN_APP
        Preference.objects.update_or_create(
            member=member, kind=kind, defaults={"channel": channel}
        )


def unsubscribe_token(member_id: int, kind: str) -> str:
    return signing.dumps({"m": member_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(member_id: int, kind: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(member_id, kind)]
    )


class BadToken(Exception):
    pass


def read_token(token: str) -> tuple[int, str]:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(data["m"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise BadToken(_("This unsubscribe link is not valid.")) from exc


@transaction.atomic
def unsubscribe(token: str) -> tuple[object, str]:
    """Stop emails of one kind for the member the signed token names; no login."""
    member_id, kind = read_token(token)
    member = get_user_model().objects.filter(pk=member_id).first()
    if member is None or kind not in (*Kind.values, DIGEST):
        raise BadToken(_("This unsubscribe link is not valid."))
    if kind == DIGEST:
        chosen = dict(
            Preference.objects.filter(member=member).values_list("kind", "channel")
        )
        set_preferences(
            member=member,
            channels={
                each: Channel.IN_APP
                for each in Kind.values
                if chosen.get(each, DEFAULT_CHANNELS[each]) == Channel.DIGEST
            },
        )
        return member, kind
    channel = Channel.IN_APP if kind in MANDATORY_KINDS else Channel.OFF
    Preference.objects.update_or_create(
        member=member, kind=kind, defaults={"channel": channel}
    )
    return member, kind


# Email ------------------------------------------------------------------------


def _absolute(url: str) -> str:
    if url.startswith("/"):
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
    return url


def build_email(
    member: User, kind: str, items: list[Message], *, digest: bool
) -> EmailMultiAlternatives:
    """The email, written in the member's language (the items are stored in it
    already)."""
    with in_language_of(member):
        return _build_email(member, kind, items, digest=digest)


def _build_email(
    member: User, kind: str, items: list[Message], *, digest: bool
) -> EmailMultiAlternatives:
    context = {
        "member": member,
        "items": [
            {"title": m.title, "body": m.body, "url": _absolute(m.url)} for m in items
        ],
        "digest": digest,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "unsubscribe_url": unsubscribe_url(member.pk, kind),
        "preferences_url": _absolute(reverse("notifications:preferences")),
    }
    subject = (
        _("Your daily summary from %s") % settings.WAGTAIL_SITE_NAME
        if digest
        else items[0].title
    )
    message = EmailMultiAlternatives(
        subject=single_line(subject)[:180],
        body=render_to_string("notifications/email/message.txt", context),
        to=[member.email],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string("notifications/email/message.html", context), "text/html"
    )
    return message


def send_emails(notification_ids: list[int]) -> int:
    """Email these notifications, each to its member, at once (called by a task).
    Each is marked sent in the transaction that sends it, under its row lock, so
    a task run again, or two runs at once, never email one notification twice."""
    sent = 0
    for notification_id in sorted(set(notification_ids)):
        try:
            sent += _email_one(notification_id)
        except EMAIL_ERRORS:
            # Rolled back: not marked sent, so a later run tries it again.
            logger.exception("Notification %s was not emailed", notification_id)
    return sent


@transaction.atomic
def _email_one(notification_id: int) -> int:
    note = (
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient")
        .filter(pk=notification_id, emailed_at__isnull=True, recipient__is_active=True)
        .first()
    )
    if note is None:
        return 0  # sent already, being sent by another worker, or no longer wanted
    message = Message(note.kind, note.title, note.body, note.url)
    build_email(note.recipient, note.kind, [message], digest=False).send()
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
    return 1


@task()
def email_notifications(notification_ids: list[int]) -> int:
    """What ``notify`` queues after commit: the emails leave the request. Declared
    here so that services never import ``tasks`` (which imports services)."""
    return send_emails(notification_ids)


def send_digests(*, day: datetime.date | None = None) -> int:
    """One email per member with everything waiting for their daily digest, at
    most one a day: a run again the same day (a retry, a second cron) sends nobody
    a second digest; what arrived since waits for tomorrow's."""
    day = day or timezone.localdate()
    waiting = (
        Notification.objects.filter(wants_digest=True, emailed_at__isnull=True)
        .exclude(recipient__in=Digest.objects.filter(day=day).values("member_id"))
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for member_id in list(waiting):
        try:
            sent += _send_digest(member_id, day)
        except EMAIL_ERRORS:
            logger.exception("The digest of member %s was not emailed", member_id)
    return sent


@transaction.atomic
def _send_digest(member_id: int, day: datetime.date) -> int:
    """Record the day's digest, then send it, in one transaction: a failed send
    leaves no record (the next run tries again) and a second run waits on the
    record's row and finds it."""
    member = get_user_model().objects.filter(pk=member_id, is_active=True).first()
    if member is None:
        return 0
    _digest, created = Digest.objects.get_or_create(member_id=member_id, day=day)
    if not created:
        return 0
    notifications = list(
        Notification.objects.select_for_update()
        .filter(recipient_id=member_id, wants_digest=True, emailed_at__isnull=True)
        .order_by("created_at", "id")
    )
    if not notifications:
        transaction.set_rollback(True)  # nothing left to send: no digest today
        return 0
    items = [Message(n.kind, n.title, n.body, n.url) for n in notifications]
    build_email(member, DIGEST, items, digest=True).send()
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        emailed_at=timezone.now()
    )
    return 1
