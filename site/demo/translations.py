"""The demo's pages in its other language, as an editor translates them.

The English demo's home, charter, FAQ, rules, terms, privacy policy and
campaigns get French translations with the texts the French demo is written in
(``content_fr``); the French demo's pages get English ones from the English
constants. Each is what *Translate* then *Publish* makes in the admin: Wagtail's
copy of the page in the other locale's tree, same slug (so same address, see
``cocreate.page_translations``), its text replaced. A page already translated
is left alone.
"""

from __future__ import annotations

from wagtail.models import Locale, Page

from cocreate.demo import pages, panel
from cocreate.demo.context import Demo, in_language
from cocreate.pages.models import ContentPage, HomePage, LegalPage
from ideas.models import CampaignPage

#: The language each demo's pages are translated into.
OTHER_LANGUAGE = {"en": "fr", "fr": "en"}
#: The fields of a spec a translation takes; the rest is the source's.
TEXT_FIELDS = {
    ContentPage: ("title", "intro", "body"),
    LegalPage: ("title", "intro", "body"),
    CampaignPage: ("title", "summary", "brief"),
}


def seed_translations(demo: Demo, home: HomePage) -> str:
    """Translate the demo's pages into its other language; what was done."""
    home = HomePage.objects.get(pk=home.pk)
    if home.locale.language_code != demo.language:
        # The demo's text would sit in the wrong locale (a French demo on a site
        # whose default language is English): its translations would be too.
        return (
            f"The site's pages are in its {home.locale.language_code!r} locale, "
            f"not {demo.language!r}: no translations (run the {demo.language!r} "
            f"demo with LANGUAGE_CODE={demo.language})."
        )
    language = OTHER_LANGUAGE[demo.language]
    locale, _created = Locale.objects.get_or_create(language_code=language)

    def text(name: str, english):
        return in_language(language, name, english)

    charter = ContentPage.objects.child_of(home).get(slug="charter")
    hero = text("HOME", pages.HOME)
    added = translate(
        home,
        locale,
        hero_title=hero["hero_title"],
        # The link names the charter in the default language: one address.
        hero_text=hero["hero_text"].format(charter=charter.pk),
        hero_cta_label=hero["hero_cta_label"],
    )
    specs = (
        (ContentPage, text("CONTENT_PAGES", pages.CONTENT_PAGES)),
        (LegalPage, text("LEGAL_PAGES", pages.LEGAL_PAGES)),
        (
            CampaignPage,
            (
                *text("CAMPAIGNS", pages.CAMPAIGNS),
                text("PANEL_CAMPAIGN", panel.PANEL_CAMPAIGN),
            ),
        ),
    )
    for model, model_specs in specs:
        for spec in model_specs:
            page = model.objects.child_of(home).filter(slug=spec["slug"]).first()
            if page is not None:
                fields = {field: spec[field] for field in TEXT_FIELDS[model]}
                added += translate(page, locale, **fields)
    if not added:
        return "Pages were translated before; none added."
    return f"{added} pages translated into {language!r}."


def translate(page: Page, locale: Locale, **text) -> int:
    """Publish ``page``'s translation into ``locale`` with ``text``, once: the
    number of pages added. The legal pages' translations are the same version
    (``cocreate.pages.receivers``): nobody accepts them again."""
    if page.get_translation_or_none(locale) is not None:
        return 0
    # Its parent (the home) is translated first, so no parent is copied here.
    translation = page.copy_for_translation(locale)
    for field, value in text.items():
        setattr(translation, field, value)
    translation.save_revision().publish()
    return 1
