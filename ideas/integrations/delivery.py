"""Sending webhook deliveries: signing, the targets a delivery may reach, the
attempts with exponential back-off, and switching off a subscription whose
deliveries fail too often in a row (``events.webhook_disabled`` tells the admins).
What is sent is ``ideas.integrations.webhooks``; queueing and retries are
``ideas.integrations.tasks``, which imports this module (never the reverse).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
import urllib.error
import urllib.request
from typing import IO, TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ideas import events
from ideas.errors import InvalidInput
from ideas.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookSubscription,
)

if TYPE_CHECKING:
    from email.message import Message

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Cocreate-Signature"
EVENT_HEADER = "X-Cocreate-Event"
DELIVERY_HEADER = "X-Cocreate-Delivery"
#: The event of "Send test": never retried and never counted as a failure.
PING = "ping"
#: How much of a receiver's answer the delivery log keeps.
RESPONSE_LIMIT = 2048
#: The longest wait between two attempts, whatever the back-off says.
MAX_RETRY_DELAY = datetime.timedelta(hours=6)
#: How long a claimed attempt keeps others off before it counts as lost.
CLAIM_SECONDS = 60
#: How old a signature a receiver should accept (replays are refused after).
SIGNATURE_TOLERANCE = 300
OPEN_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)


# Signing ---------------------------------------------------------------------------


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The signature header's value: ``t=<unix time>,v1=<hex HMAC-SHA256>`` of
    ``"<t>.<raw body>"`` with the subscription's secret."""
    digest = hmac.new(
        secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(
    secret: str,
    body: bytes,
    header: str,
    *,
    tolerance: int = SIGNATURE_TOLERANCE,
    now: float | None = None,
) -> bool:
    """What a receiver runs on the raw request body and the signature header: True
    when the body was signed with this secret less than ``tolerance`` seconds ago.
    It needs only the standard library, so receivers can copy it as it is."""
    parts: dict[str, str] = {}
    for item in (header or "").split(","):
        key, _sep, value = item.strip().partition("=")
        parts.setdefault(key, value)
    try:
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, body, timestamp).partition(",v1=")[2]
    return hmac.compare_digest(expected, given)


def encode(payload: dict) -> bytes:
    return json.dumps(
        payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True
    ).encode()


# Targets ---------------------------------------------------------------------------


def _is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def check_target(url: str) -> None:
    """Refuse targets that are not http(s), and, unless the settings allow private
    hosts, hosts that resolve to a private, loopback, link-local, reserved or
    multicast address, so a subscription cannot reach into the brand's network.
    Checked when a subscription is saved (``webhooks.save_subscription``) and
    again before every attempt, as a host may resolve elsewhere later."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(
            _("The target URL must start with http:// or https:// and name a host.")
        )
    if settings.COCREATE_WEBHOOK_ALLOW_PRIVATE_HOSTS:
        return
    host = parts.hostname
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError) as exc:
        raise InvalidInput(
            _("The host %(host)s cannot be found; please check the address.")
            % {"host": host}
        ) from exc
    if not found or not all(_is_public_address(str(info[4][0])) for info in found):
        raise InvalidInput(
            _(
                "The host %(host)s is a private, local or reserved address; "
                "webhooks only go to public addresses on the internet."
            )
            % {"host": host}
        )


# Sending ---------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any other: recorded, not followed (it could
    lead anywhere, including to a private address)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _read(response: IO[bytes]) -> str:
    try:
        return response.read(RESPONSE_LIMIT).decode("utf-8", "replace")
    except OSError:
        return ""


def post(
    subscription: WebhookSubscription, delivery: WebhookDelivery
) -> tuple[int | None, str, str]:
    """POST the delivery; return (response code or None, response text, error)."""
    try:
        check_target(subscription.url)
    except InvalidInput as error:
        return None, "", str(error)
    body = encode(delivery.payload)
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Cocreate-Webhooks/1",
            EVENT_HEADER: delivery.event,
            DELIVERY_HEADER: str(delivery.uuid),
            SIGNATURE_HEADER: sign(subscription.secret, body, int(time.time())),
        },
    )
    timeout = settings.COCREATE_WEBHOOK_TIMEOUT_SECONDS
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, _read(response), ""
    except urllib.error.HTTPError as answer:
        with answer:
            text = _read(answer)
        return (
            answer.code,
            text,
            _("The receiver answered %(code)s.") % {"code": answer.code},
        )
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            message = _("No answer within %(seconds)s seconds.") % {"seconds": timeout}
        else:
            message = _("Could not connect: %(reason)s") % {"reason": reason}
        return None, "", message


def retry_delay(attempts: int) -> datetime.timedelta:
    """RETRY_SECONDS, then twice as long after each failed attempt, capped."""
    seconds = settings.COCREATE_WEBHOOK_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return min(datetime.timedelta(seconds=seconds), MAX_RETRY_DELAY)


def claim_length() -> datetime.timedelta:
    """How long a claim holds: longer than an attempt can take (its timeout), so
    a second worker never sends an attempt still waiting for its answer."""
    seconds = max(CLAIM_SECONDS, 2 * settings.COCREATE_WEBHOOK_TIMEOUT_SECONDS)
    return datetime.timedelta(seconds=seconds)


def claim(delivery_id: int) -> WebhookDelivery | None:
    """Take the next attempt of a due delivery, or None if it is not due or
    another worker took it first. The claim is one conditional UPDATE that counts
    the attempt and moves the next one out of reach for ``CLAIM_SECONDS``, so two
    workers never send the same attempt, and a worker that dies mid-send only
    delays the delivery."""
    delivery = (
        WebhookDelivery.objects.select_related("subscription")
        .filter(pk=delivery_id, status__in=OPEN_STATUSES)
        .first()
    )
    now = timezone.now()
    if delivery is None or (
        delivery.next_attempt_at and delivery.next_attempt_at > now
    ):
        return None
    taken = WebhookDelivery.objects.filter(
        pk=delivery.pk,
        status__in=OPEN_STATUSES,
        attempts=delivery.attempts,
    ).update(
        attempts=F("attempts") + 1,
        next_attempt_at=now + claim_length(),
    )
    if not taken:
        return None
    delivery.attempts += 1
    return delivery


def attempt(delivery_id: int) -> WebhookDelivery | None:
    """Send one attempt of a delivery if it is due; record what came back."""
    delivery = claim(delivery_id)
    if delivery is None:
        return None
    subscription = delivery.subscription
    if not subscription.is_active and delivery.event != PING:
        code, text, error = None, "", _("The webhook was switched off.")
        final = True
    else:
        code, text, error = post(subscription, delivery)
        final = False
    if not _record(delivery, code, text, error, final=final):
        return None  # the row moved on meanwhile (see ``_still_ours``)
    return delivery


@transaction.atomic
def _record(
    delivery: WebhookDelivery, code: int | None, text: str, error: str, *, final: bool
) -> bool:
    now = timezone.now()
    succeeded = not error and code is not None and 200 <= code < 300
    if not _still_ours(delivery, succeeded=succeeded):
        return False
    delivery.response_code = code
    delivery.response_body = text[:RESPONSE_LIMIT]
    delivery.error = error[:500]
    subscription = delivery.subscription
    if succeeded:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        delivery.save()
        WebhookSubscription.objects.filter(
            pk=subscription.pk, consecutive_failures__gt=0
        ).update(consecutive_failures=0)
        return True
    out_of_attempts = (
        final
        or delivery.event == PING
        or delivery.attempts >= settings.COCREATE_WEBHOOK_MAX_ATTEMPTS
    )
    if not out_of_attempts:
        delivery.status = DeliveryStatus.RETRYING
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        delivery.save()  # the caller queues the retry (``tasks.attempt``)
        return True
    delivery.status = DeliveryStatus.FAILED
    delivery.next_attempt_at = None
    delivery.save()
    if delivery.event != PING and subscription.is_active:
        _count_failure(subscription)
    return True


def _still_ours(delivery: WebhookDelivery, *, succeeded: bool) -> bool:
    """Whether this attempt may write its outcome, read under the row's lock. An
    attempt that outlived its claim (a slow receiver, a paused worker) must not
    undo what the row says since: a delivery marked delivered stays delivered and
    is never sent again, and a failure leaves the row to the newer claim."""
    current = (
        WebhookDelivery.objects.select_for_update()
        .filter(pk=delivery.pk)
        .values_list("status", "attempts")
        .first()
    )
    if current is None:
        return False
    status, attempts = current
    if status not in OPEN_STATUSES:
        delivery.status = status
        return False
    return succeeded or attempts == delivery.attempts


def _count_failure(subscription: WebhookSubscription) -> None:
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    switched_off = WebhookSubscription.objects.filter(
        pk=subscription.pk,
        is_active=True,
        consecutive_failures__gte=settings.COCREATE_WEBHOOK_DISABLE_AFTER,
    ).update(is_active=False, disabled_at=timezone.now())
    if switched_off:
        subscription.refresh_from_db()
        log(
            instance=subscription,
            action="cocreate.webhook.disable",
            user=None,
            data={"failures": subscription.consecutive_failures},
        )
        events.webhook_disabled.send(
            sender=WebhookSubscription,
            subscription=subscription,
            admins=webhook_admins(),
            url=reverse("webhooks:inspect", args=[subscription.pk]),
        )


def webhook_admins() -> list[int]:
    """Superusers and whoever may change webhook subscriptions."""
    permission = Permission.objects.get(
        content_type__app_label="ideas", codename="change_webhooksubscription"
    )
    return list(
        get_user_model()
        .objects.filter(
            Q(is_superuser=True)
            | Q(groups__permissions=permission)
            | Q(user_permissions=permission),
            is_active=True,
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def due_deliveries(limit: int = 500) -> list[int]:
    now = timezone.now()
    return list(
        WebhookDelivery.objects.filter(status__in=OPEN_STATUSES)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
