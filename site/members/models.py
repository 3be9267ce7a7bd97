"""The member: a custom user with email as login, a display name and an avatar."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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
    return f"avatars/{instance.pk}/{filename}"


class User(AbstractUser):
    username = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        help_text=_("Shown next to your ideas and comments."),
    )
    avatar = models.ImageField(_("avatar"), upload_to=avatar_path, blank=True)

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

    def get_full_name(self) -> str:
        return self.display_name or super().get_full_name() or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email

    def get_absolute_url(self) -> str:
        return reverse("members:profile", args=[self.pk])
