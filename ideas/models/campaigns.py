"""Campaigns (Wagtail pages, brand challenges) and the categories of ideas."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cocreate.i18n import Translatable, translated_panels, translation_of
from cocreate.page_translations import TranslatedPageMixin


class Category(Translatable, models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    name_fr = translation_of(name)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    description_fr = translation_of(description)

    translated_fields = ("name", "description")
    panels = [
        *translated_panels("name"),
        FieldPanel("slug"),
        *translated_panels("description"),
    ]

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.i18n.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        super().save(*args, **kwargs)


class CampaignPage(TranslatedPageMixin, Page):
    """A brand challenge: a brief, a window of dates and the ideas it collects.

    A translation (in the French tree) is its source's text in French only: the
    ideas, the dates, the rules and who may see it are the source's
    (``self.source``), whose id every idea and privacy rule names."""

    #: Shown by Wagtail for a campaign behind a shared password, in the site's
    #: layout (a class attribute, not a field).
    password_required_template = "ideas/campaign_password_required.html"  # noqa: S105

    summary = models.CharField(_("summary"), max_length=255, blank=True)
    brief = RichTextField(_("brief"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    starts_on = models.DateField(_("starts on"), default=datetime.date.today)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    categories = ParentalManyToManyField(
        Category, verbose_name=_("categories"), blank=True, related_name="campaigns"
    )
    premoderate = models.BooleanField(
        _("pre-moderate ideas"),
        default=False,
        help_text=_("New ideas wait for a moderator before anyone else sees them."),
    )
    support_threshold = models.PositiveIntegerField(
        _("support threshold"),
        null=True,
        blank=True,
        help_text=_("Supports an idea needs to be reviewed by the brand team."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("brief"),
        MultiFieldPanel(
            [FieldPanel("starts_on"), FieldPanel("ends_on")], heading=_("Dates")
        ),
        FieldPanel("categories"),
        MultiFieldPanel(
            [FieldPanel("premoderate"), FieldPanel("support_threshold")],
            heading=_("Rules"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["pages.HomePage"]
    subpage_types: list[str] = []
    # The page lists its ideas with {% campaign_ideas %} (ideas.templatetags).
    template = "ideas/campaign_page.html"

    class Meta:
        verbose_name = _("campaign")

    def serve(self, request, *args, **kwargs):
        # Wagtail has checked who may see it: a visitor who reads it reads what
        # every visitor does (the cache keeps no page of a restricted campaign,
        # whose visitors are sent to log in or asked for its password).
        from ideas import page_cache

        page_cache.allow(request)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Everything but the text is the campaign's own: its source's.
        context["campaign"] = self.source
        return context

    def is_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today and (
            self.ends_on is None or today <= self.ends_on
        )
