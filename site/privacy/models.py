"""A member's data downloads and account erasures, and their states."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class DataExport(models.Model):
    """One download of everything the site holds about a member: a zip built by a
    task, kept in private storage (never under MEDIA_URL) until it expires."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="data_exports",
    )
    # Staff who ran it for a request received by email; empty: the member.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExportStatus.choices,
        default=ExportStatus.PENDING,
    )
    # The zip's name in the exports storage (cocreate.privacy.storage).
    file_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    finished_at = models.DateTimeField(_("ready"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("data download")
        verbose_name_plural = _("data downloads")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["member", "-created_at"], name="export_member"),
            models.Index(fields=["status", "created_at"], name="export_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values),
                name="export_status_valid",
            )
        ]

    def __str__(self) -> str:
        return _("Data download %(id)s of member #%(member)s") % {
            "id": self.pk,
            "member": self.member_id,
        }

    @property
    def is_ready(self) -> bool:
        return self.status == ExportStatus.READY and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


class Erasure(models.Model):
    """A request to erase a member's account, carried out once ``due_at`` passes
    unless cancelled. The member row stays (ideas, comments and wallets protect
    it), anonymised as "former member #N"."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="erasures",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    keep_content = models.BooleanField(
        _("keep ideas and comments"),
        default=True,
        help_text=_("Kept under the name of a former member, or removed."),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    due_at = models.DateTimeField(_("erased from"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    completed_at = models.DateTimeField(_("erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("account erasure")
        verbose_name_plural = _("account erasures")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(cancelled_at__isnull=True, completed_at__isnull=True),
                name="erasure_due",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(cancelled_at__isnull=True),
                name="erasure_one_open_per_member",
            )
        ]
        permissions = [
            (
                "handle_privacy_request",
                _("Can export and erase members' data on their request"),
            )
        ]

    def __str__(self) -> str:
        return _("Erasure of member #%(member)s") % {"member": self.member_id}

    @property
    def is_scheduled(self) -> bool:
        return self.cancelled_at is None and self.completed_at is None
