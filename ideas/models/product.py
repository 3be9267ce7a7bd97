"""The product team's side of ideas: shortlists, scoring criteria and scores, and
the record of an idea's promotion into R&D and its shipping."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from ideas.models.ideas import Idea


class Shortlist(models.Model):
    """A named list of ideas the product team builds, e.g. "Running shoes 2027"."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=2_000)
    ideas = models.ManyToManyField(
        Idea, through="ShortlistEntry", related_name="shortlists", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta:
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ShortlistEntry(models.Model):
    """An idea on a shortlist, with the team's note and its place in the list."""

    shortlist = models.ForeignKey(
        Shortlist, on_delete=models.CASCADE, related_name="entries"
    )
    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="shortlist_entries"
    )
    note = models.TextField(_("note"), blank=True, max_length=2_000)
    position = models.PositiveIntegerField(_("position"), default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("shortlisted idea")
        verbose_name_plural = _("shortlisted ideas")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shortlist", "idea"], name="shortlist_entry_once"
            ),
        ]
        indexes = [
            models.Index(fields=["shortlist", "position"], name="shortlist_order"),
        ]

    def __str__(self) -> str:
        return f"{self.shortlist_id} ← {self.idea_id}"


class Criterion(models.Model):
    """What the product team scores ideas on, with its weight in the idea's score."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    description = models.CharField(
        _("question"),
        max_length=255,
        blank=True,
        help_text=_("The question a scorer answers, e.g. “How much does it help?”"),
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("How much it counts in the idea's score, from 1 to 10."),
    )
    scale = models.PositiveSmallIntegerField(
        _("scale"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(10)],
        help_text=_("Scores go from 1 to this number."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("Criteria no longer in use keep their scores but count no more."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("weight"),
        FieldPanel("scale"),
        FieldPanel("position"),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=10),
                name="criterion_weight_range",
            ),
            models.CheckConstraint(
                condition=Q(scale__gte=2) & Q(scale__lte=10),
                name="criterion_scale_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    """One product-team member's score of one idea on one criterion."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores"
    )
    scorer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_scores"
    )
    value = models.PositiveSmallIntegerField(_("score"))
    updated_at = models.DateTimeField(_("scored"), default=timezone.now)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "criterion", "scorer"], name="score_once"
            ),
            models.CheckConstraint(condition=Q(value__gte=1), name="score_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id}/{self.criterion_id}/{self.scorer_id}: {self.value}"


class Promotion(models.Model):
    """Where an idea went in R&D (the ticket, its owner, the target date) and,
    once shipped, the product that came of it."""

    idea = models.OneToOneField(
        Idea, on_delete=models.CASCADE, related_name="promotion"
    )
    ticket_key = models.CharField(_("R&D ticket"), max_length=60)
    ticket_url = models.URLField(_("ticket link"), max_length=500, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_promotions",
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    promoted_at = models.DateTimeField(_("promoted"), default=timezone.now)
    product_url = models.URLField(_("product link"), max_length=500, blank=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    shipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("promotion into R&D")
        verbose_name_plural = _("promotions into R&D")

    def __str__(self) -> str:
        return self.ticket_key
