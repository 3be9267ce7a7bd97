"""Earning rules: what each kind of contribution pays, and campaign multipliers."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class Trigger(models.TextChoices):
    """What a member did (or what happened to their idea) that may earn points."""

    IDEA_PUBLISHED = "idea_published", _("Idea published (author)")
    FIRST_IDEA = "first_idea", _("First idea published (author, once)")
    SUPPORT_RECEIVED = "support_received", _("Support received (idea's author)")
    SUPPORT_GIVEN = "support_given", _("Support given (supporter)")
    COMMENT_POSTED = "comment_posted", _("Comment posted (commenter)")
    THRESHOLD_REACHED = (
        "threshold_reached",
        _("Idea reached its campaign's support threshold (author)"),
    )
    SHORTLISTED = "shortlisted", _("Idea shortlisted (author)")
    PROMOTED = "promoted", _("Idea promoted into R&D (author)")
    SHIPPED = "shipped", _("Idea shipped (author)")


class EarningRule(models.Model):
    """How many points one trigger pays, with a daily cap per member."""

    trigger = models.CharField(
        _("when"), max_length=30, choices=Trigger.choices, unique=True
    )
    points = models.PositiveIntegerField(_("points"))
    daily_cap = models.PositiveIntegerField(
        _("daily cap"),
        null=True,
        blank=True,
        help_text=_(
            "Most points one member earns from this rule in a day. Empty: no cap."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    panels = [
        FieldPanel("trigger"),
        FieldPanel("points"),
        FieldPanel("daily_cap"),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = _("earning rule")
        verbose_name_plural = _("earning rules")
        ordering = ["trigger"]

    def __str__(self) -> str:
        return str(self.get_trigger_display())


class CampaignMultiplier(models.Model):
    """Points earned on a campaign's ideas count this many times (a promotion)."""

    campaign = models.OneToOneField(
        "ideas.CampaignPage",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="points_multiplier",
    )
    multiplier = models.DecimalField(
        _("multiplier"),
        max_digits=4,
        decimal_places=2,
        default=1,
        help_text=_("2 doubles every point earned on this campaign's ideas."),
    )

    panels = [FieldPanel("campaign"), FieldPanel("multiplier")]

    class Meta:
        verbose_name = _("campaign multiplier")
        verbose_name_plural = _("campaign multipliers")
        constraints = [
            models.CheckConstraint(
                condition=Q(multiplier__gte=0) & Q(multiplier__lte=10),
                name="multiplier_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} × {self.multiplier}"
