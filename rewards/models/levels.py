"""Levels and badges: what members reach as their points and contributions grow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from cocreate.i18n import Translatable, translated_panels, translation_of


class Level(Translatable, models.Model):
    """A step of lifetime points, shown next to members' names."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    name_fr = translation_of(name)
    threshold = models.PositiveIntegerField(
        _("lifetime points"),
        unique=True,
        help_text=_("Members reach this level once they have earned this many."),
    )

    translated_fields = ("name",)
    panels = [*translated_panels("name"), FieldPanel("threshold")]

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["threshold"]

    def __str__(self) -> str:
        return self.i18n.name


class Milestone(models.TextChoices):
    FIRST_IDEA = "first_idea", _("First idea published")
    FIRST_SUPPORT_RECEIVED = "first_support_received", _("First support received")
    FIRST_COMMENT = "first_comment", _("First comment")
    TEN_IDEAS = "ten_ideas", _("Ten ideas published")
    HUNDRED_SUPPORTS_GIVEN = "hundred_supports_given", _("100 supports given")
    IDEA_SHORTLISTED = "idea_shortlisted", _("An idea shortlisted")
    IDEA_IN_RND = "idea_in_rnd", _("An idea promoted into R&D")
    IDEA_SHIPPED = "idea_shipped", _("An idea shipped")


class Badge(Translatable, models.Model):
    """A milestone badge, awarded once per member; name and text are editable."""

    milestone = models.CharField(
        _("milestone"), max_length=40, choices=Milestone.choices, unique=True
    )
    name = models.CharField(_("name"), max_length=60)
    name_fr = translation_of(name)
    description = models.CharField(_("description"), max_length=255, blank=True)
    description_fr = translation_of(description)
    symbol = models.CharField(
        _("symbol"), max_length=8, default="★", help_text=_("An emoji or a letter.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    translated_fields = ("name", "description")
    panels = [
        FieldPanel("milestone"),
        *translated_panels("name", "description"),
        FieldPanel("symbol"),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.i18n.name


class MemberBadge(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badges"
    )
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="awards")
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("awarded badge")
        constraints = [
            models.UniqueConstraint(fields=["member", "badge"], name="badge_once")
        ]

    def __str__(self) -> str:
        return f"{self.badge} → {self.member_id}"
