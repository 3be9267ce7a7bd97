"""Connections to the product team's own tools: the scopes of personal API tokens
and webhook subscriptions with their delivery log."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


class ApiTokenScope(models.Model):
    """What a personal API token may do. Tokens themselves are Wagtail's
    ``APIToken`` (shown once, stored as a keyed hash, revocable); a token without a
    scope row only reads. A request made with a token acts as its owner, with the
    owner's permissions."""

    token = models.OneToOneField(
        "wagtailcore.APIToken", on_delete=models.CASCADE, related_name="cocreate_scope"
    )
    scope = models.CharField(
        _("scope"), max_length=8, choices=TokenScope.choices, default=TokenScope.READ
    )

    class Meta:
        verbose_name = _("API token scope")
        verbose_name_plural = _("API token scopes")
        permissions = [("use_api", _("Can use the API with personal tokens"))]

    def __str__(self) -> str:
        return f"{self.token_id}: {self.scope}"

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE


class WebhookEvent(models.TextChoices):
    IDEA_PUBLISHED = "idea.published", _("Idea published")
    STATUS_CHANGED = "idea.status_changed", _("Status changed")
    PROMOTED = "idea.promoted", _("Promoted into R&D")
    SHIPPED = "idea.shipped", _("Shipped")
    SHORTLIST_CHANGED = "shortlist.changed", _("Shortlist changed")


def new_webhook_secret() -> str:
    return secrets.token_hex(32)


class WebhookSubscription(models.Model):
    """A URL of the team's tools that receives chosen events, signed with a secret."""

    name = models.CharField(_("name"), max_length=80)
    url = models.URLField(_("target URL"), max_length=500)
    secret = models.CharField(
        _("secret"),
        max_length=128,
        default=new_webhook_secret,
        help_text=_(
            "Deliveries are signed with it (HMAC-SHA256); the receiver checks the "
            "signature with the same secret."
        ),
    )
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    disabled_at = models.DateTimeField(
        _("disabled after failures"), null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RETRYING = "retrying", _("Retrying")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event sent (or to send) to one subscription, with what came back."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("event"), max_length=40)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(
        _("response code"), null=True, blank=True
    )
    response_body = models.TextField(_("response"), blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            models.Index(
                fields=["subscription", "-created_at"], name="delivery_subscription"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id}"
