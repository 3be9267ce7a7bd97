"""The member: a custom user with email as login, a display name and an avatar."""

from __future__ import annotations

from django.conf import settings
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
    # Blank follows the browser (the language cookie, then Accept-Language); set
    # at sign-up from the page's language. Emails and notifications use it.
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The site, your emails and your notifications use it."),
    )
    contact_consent = models.BooleanField(
        _("the brand team may email me about my ideas"),
        default=False,
        help_text=_(
            "When a product team works on one of your ideas, they may write to you "
            "to ask questions. Your email address is never shown publicly."
        ),
    )
    research_consent = models.BooleanField(
        _("invite me to product research"),
        default=False,
        help_text=_(
            "Now and then the brand's designers look for members to test prototypes "
            "or answer a survey; we invite you by email."
        ),
    )
    marketing_consent = models.BooleanField(
        _("send me the brand's news and offers"),
        default=False,
        help_text=_("An occasional email about new products and offers."),
    )
    # Set when a new version of the terms or the privacy policy asks every member
    # to accept it again, cleared when they do: the gate on contributions reads it
    # without a query, like ``suspended_until``.
    terms_pending = models.BooleanField(
        _("must accept the updated terms"), default=False, editable=False
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


class LegalKind(models.TextChoices):
    TERMS = "terms", _("Terms of use")
    PRIVACY = "privacy", _("Privacy policy")


class LegalVersion(models.Model):
    """A published version of the terms or the privacy policy (their text is a
    Wagtail page): kept for good, so every acceptance names what was accepted."""

    kind = models.CharField(_("kind"), max_length=10, choices=LegalKind.choices)
    version = models.CharField(_("version"), max_length=40)
    title = models.CharField(_("title"), max_length=255)
    url = models.CharField(_("address"), max_length=300)
    requires_acceptance = models.BooleanField(
        _("members must accept it again"), default=True
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        verbose_name = _("legal document version")
        verbose_name_plural = _("legal document versions")
        ordering = ["kind", "-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "version"], name="legal_version_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=LegalKind.values), name="legal_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.version}"


class Purpose(models.TextChoices):
    """What a member agrees to: the legal documents, and each opt-in."""

    TERMS = "terms", _("Terms of use")
    PRIVACY = "privacy", _("Privacy policy")
    CONTACT = "contact", _("Contact about my ideas")
    RESEARCH = "research", _("Product research invitations")
    MARKETING = "marketing", _("Marketing emails")


class ConsentSource(models.TextChoices):
    SIGNUP = "signup", _("Sign-up")
    SETTINGS = "settings", _("Member's settings")
    REACCEPT = "reaccept", _("Updated terms accepted")
    ADMIN = "admin", _("Back office")
    MIGRATION = "migration", _("Recorded before consent history")


class ConsentRecord(models.Model):
    """One change of one consent, append-only: the history proves who agreed to
    what, as worded then, and when. The member's current opt-ins are also kept on
    the user row, so checks cost no query."""

    member = models.ForeignKey(
        User,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="consent_records",
    )
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    granted = models.BooleanField(_("granted"))
    version = models.CharField(_("version"), max_length=40, blank=True)
    text = models.TextField(_("text shown"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=ConsentSource.choices)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["member", "-created_at"], name="consent_member")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=Purpose.values), name="consent_purpose_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.purpose} {self.granted}"
