"""In-app notifications and each member's choice of how to hear about each kind."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    STATUS_CHANGED = (
        "status_changed",
        _("A status change on an idea you wrote, support or follow"),
    )
    OFFICIAL_ANSWER = (
        "official_answer",
        _("An official answer on an idea you wrote, support or follow"),
    )
    REPLY = "reply", _("A reply to your comment")
    MENTION = "mention", _("A mention of your name")
    MODERATION = "moderation", _("Your contribution approved or hidden")
    SANCTION = "sanction", _("A measure on your account")
    POINTS = "points", _("Points you earned")
    REDEMPTION = "redemption", _("Your reward requests")
    BRAND_TEAM = "brand_team", _("Ideas that need the brand team")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("On the site only")
    EMAIL = "email", _("On the site and by email at once")
    DIGEST = "digest", _("On the site and in a daily email")
    OFF = "off", _("Off")


#: How members hear about each kind until they choose otherwise.
#: Looked up by a kind's value (a ``str``), like the rows store it.
DEFAULT_CHANNELS: dict[str, str] = {
    Kind.STATUS_CHANGED: Channel.EMAIL,
    Kind.OFFICIAL_ANSWER: Channel.EMAIL,
    Kind.REPLY: Channel.EMAIL,
    Kind.MENTION: Channel.EMAIL,
    Kind.MODERATION: Channel.EMAIL,
    Kind.SANCTION: Channel.EMAIL,
    Kind.POINTS: Channel.IN_APP,
    Kind.REDEMPTION: Channel.EMAIL,
    Kind.BRAND_TEAM: Channel.DIGEST,
}
#: Kinds a member cannot switch off: they concern their account itself.
MANDATORY_KINDS = (Kind.SANCTION,)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once the notification went out by email, at once or in a digest.
    emailed_at = models.DateTimeField(null=True, blank=True)
    wants_digest = models.BooleanField(default=False)
    # The event it tells (``status:<status change id>``, ``merge:<merge id>``...):
    # with the recipient it is unique, so a fan-out run again after a crash
    # writes nobody's notification twice. Empty for notices without a key.
    dedupe_key = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at", "-id"], name="notification_list"
            ),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(wants_digest=True, emailed_at__isnull=True),
                name="notification_digest",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_once_per_event",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preference(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = _("notification preference")
        constraints = [
            models.UniqueConstraint(fields=["member", "kind"], name="preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind}: {self.channel}"


class Digest(models.Model):
    """A member's daily digest, one a day: a run of ``send_digests`` again the same
    day (a retry, a second cron) finds it and sends nobody a second email."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        constraints = [
            models.UniqueConstraint(fields=["member", "day"], name="digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.day}"
