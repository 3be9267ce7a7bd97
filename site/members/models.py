"""The member: a custom user with email as login, a display name and an avatar."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocreate.images import unguessable_name


class MemberManager(UserManager):
    """Create users by email; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


def avatar_path(instance: User, filename: str) -> str:
    """A random name: the member's id and the original file name never show."""
    return unguessable_name("avatars", filename)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        help_text=_("Shown next to your ideas and comments."),
    )
    avatar = models.ImageField(_("avatar"), upload_to=avatar_path, blank=True)
    contact_consent = models.BooleanField(
        _("the brand team may email me about my ideas"),
        default=False,
        help_text=_(
            "When a product team works on one of your ideas, they may write to you "
            "to ask questions. Your email address is never shown publicly."
        ),
    )
    # Denormalised from the active suspension, so permission checks cost no query.
    suspended_until = models.DateTimeField(
        _("suspended until"), null=True, blank=True, editable=False
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = MemberManager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["display_name", "id"]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name other people see; never the email address."""
        return self.display_name or _("Member %(id)s") % {"id": self.pk}

    @property
    def is_suspended(self) -> bool:
        return (
            self.suspended_until is not None and self.suspended_until > timezone.now()
        )

    def get_full_name(self) -> str:
        return self.display_name or super().get_full_name() or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email

    def get_absolute_url(self) -> str:
        return reverse("members:profile", args=[self.pk])


class SanctionKind(models.TextChoices):
    WARNING = "warning", _("Warning")
    SUSPENSION = "suspension", _("Suspension")
    BAN = "ban", _("Ban")


class Sanction(models.Model):
    """A moderator's measure against a member: kept for good, lifted, not deleted."""

    member = models.ForeignKey(
        User,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="sanctions",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SanctionKind.choices)
    reason = models.TextField(_("reason, shown to the member"), max_length=2_000)
    until = models.DateTimeField(_("until"), null=True, blank=True)
    actor = models.ForeignKey(
        User, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_note = models.CharField(_("why lifted"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["member", "-created_at"], name="sanction_member")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SanctionKind.values), name="sanction_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind="suspension") | Q(until__isnull=False),
                name="suspension_has_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member}"

    @property
    def is_active(self) -> bool:
        if self.lifted_at is not None or self.kind == SanctionKind.WARNING:
            return False
        return self.kind == SanctionKind.BAN or self.until > timezone.now()
