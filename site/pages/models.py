"""Editorial pages: the brand's home page and content pages (charter, FAQ, rules)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cocreate.members.models import LegalKind
from cocreate.page_translations import TranslatedPageMixin
from cocreate.pages.blocks import BodyBlock
from ideas import page_cache, selectors


class HomePage(TranslatedPageMixin, Page):
    hero_title = models.CharField(_("hero title"), max_length=120, blank=True)
    hero_text = RichTextField(
        _("hero text"), blank=True, features=["bold", "italic", "link"]
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Blank: the button says "Propose an idea" in each reader's language.
    hero_cta_label = models.CharField(
        _("call to action"),
        max_length=60,
        blank=True,
        help_text=_("Leave blank to say “Propose an idea” in each reader’s language."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("hero_image"),
        FieldPanel("hero_cta_label"),
    ]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["pages.ContentPage", "ideas.CampaignPage", "pages.LegalPage"]
    template = "pages/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def serve(self, request, *args, **kwargs):
        page_cache.allow(request)  # what visitors read is the same for all
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["open_campaigns"] = selectors.open_campaigns(request.user)
        trending = selectors.trending_ideas(request.user)
        newest = selectors.newest_ideas(request.user)
        context["trending_ideas"] = trending
        context["newest_ideas"] = newest
        context["supported_ids"] = selectors.supported_idea_ids(
            request.user, [*trending, *newest]
        )
        return context


class ContentPage(TranslatedPageMixin, Page):
    intro = models.CharField(_("introduction"), max_length=255, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    parent_page_types = ["pages.HomePage", "pages.ContentPage"]
    subpage_types = ["pages.ContentPage"]
    template = "pages/content_page.html"

    class Meta:
        verbose_name = _("content page")


class LegalPage(TranslatedPageMixin, Page):
    """The terms of use or the privacy policy. Each publication with a new
    ``version`` label is a new version (recorded by ``cocreate.members.consents``,
    see ``receivers.py``); one that asks for it makes every member accept it again
    before they contribute. The page's revisions keep every wording."""

    kind = models.CharField(_("kind"), max_length=10, choices=LegalKind.choices)
    version = models.CharField(
        _("version"),
        max_length=40,
        help_text=_(
            "A label such as 2027-01. Give a new label for a new version; keep it "
            "to correct a typo."
        ),
    )
    requires_acceptance = models.BooleanField(
        _("members must accept this version again"),
        default=True,
        help_text=_(
            "When the changes matter to members: each of them is asked to accept "
            "the new version before posting, supporting or commenting again. The "
            "first version always asks."
        ),
    )
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    intro = models.CharField(_("introduction"), max_length=255, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("version"),
        FieldPanel("requires_acceptance"),
        FieldPanel("effective_on"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["pages.HomePage"]
    subpage_types: list[str] = []
    template = "pages/legal_page.html"

    class Meta:
        verbose_name = _("legal page (terms, privacy)")
