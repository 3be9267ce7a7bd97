"""The demo's pages in both languages: the English demo's home, content, legal
and campaign pages have French translations (the French demo's texts) at the
same addresses, and the French demo's pages English ones."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Locale, Page

from cocreate.demo import content_fr, pages, panel
from cocreate.demo.context import Demo
from cocreate.demo.translations import seed_translations
from cocreate.members.models import ConsentRecord, LegalVersion, User
from cocreate.page_translations import in_default_language
from cocreate.pages.models import ContentPage, HomePage, LegalPage
from ideas.models import CampaignPage
from tests.site.seed_demo.helpers import counts, seed

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
#: The home, charter, FAQ, rules, terms, privacy and four campaigns.
TRANSLATED = 1 + len(pages.CONTENT_PAGES) + len(pages.LEGAL_PAGES) + 4


def h1(html: str) -> str:
    return re.search(r"<h1[^>]*>([^<]*)</h1>", html)[1]


def alternates(html: str) -> set[str]:
    return set(re.findall(r'<link rel="alternate" hreflang="([^"]+)"', html))


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def french_pages():
    return Page.objects.filter(locale__language_code="fr")


class TestTheEnglishDemo:
    def test_every_page_has_a_live_french_translation_with_its_slug(self, seeded):
        french = french_pages()
        assert french.count() == TRANSLATED
        assert not french.filter(live=False).exists()
        home = in_default_language(HomePage.objects.all()).get()
        for model in (ContentPage, LegalPage, CampaignPage):
            for page in model.objects.child_of(home):
                translation = page.get_translation(
                    Locale.objects.get(language_code="fr")
                )
                assert translation.slug == page.slug
                assert translation.live
        campaign = CampaignPage.objects.get(
            locale__language_code="fr", slug="trail-running-2027"
        )
        assert campaign.title == content_fr.CAMPAIGNS[0]["title"]
        assert campaign.summary == content_fr.CAMPAIGNS[0]["summary"]

    def test_french_visitors_read_french_at_the_english_addresses(self, seeded, client):
        expected = {
            "/": (pages.HOME["hero_title"], content_fr.HOME["hero_title"]),
            "/charter/": ("Community charter", "Charte de la communauté"),
            "/trail-running-2027/": (
                pages.CAMPAIGNS[0]["title"],
                content_fr.CAMPAIGNS[0]["title"],
            ),
            "/terms/": ("Terms of use", "Conditions d’utilisation"),
        }
        for url, (english, french) in expected.items():
            in_french = client.get(url, **FR)
            in_english = client.get(url, **EN)
            assert in_french.status_code == in_english.status_code == 200, url
            assert h1(in_french.content.decode()) == french, url
            assert h1(in_english.content.decode()) == english, url
            assert french not in in_english.content.decode(), url
            for response in (in_french, in_english):
                assert alternates(response.content.decode()) == {
                    "en",
                    "fr",
                    "x-default",
                }, url
        # The campaign's French page lists the English campaign's ideas.
        links = {
            language: set(
                re.findall(
                    r'href="(/ideas/[^"?]+/)"',
                    client.get("/trail-running-2027/", **headers).content.decode(),
                )
            )
            for language, headers in (("fr", FR), ("en", EN))
        }
        assert links["fr"] and links["fr"] == links["en"]

    def test_the_private_campaign_stays_private_in_french(self, seeded, client):
        url = f"/{panel.PANEL_CAMPAIGN['slug']}/"
        response = client.get(url, **FR)
        assert response.status_code != 200
        assert content_fr.PANEL_CAMPAIGN["title"] not in response.content.decode()

    def test_translating_the_terms_is_no_new_version(self, seeded):
        """The translations published anew leave the versions, the consents and
        everyone's acceptance as they were."""
        versions = list(
            LegalVersion.objects.order_by("pk").values_list("kind", "version", "title")
        )
        consents = ConsentRecord.objects.count()
        assert {title for _kind, _version, title in versions} == {
            "Terms of use",
            "Privacy policy",
        }
        assert not User.objects.filter(terms_pending=True).exists()
        french_pages().filter(depth=2).get().delete()
        assert not french_pages().exists()

        out = seed("--ideas", "20")

        assert f"{TRANSLATED} pages translated into 'fr'." in out
        assert french_pages().count() == TRANSLATED
        assert (
            list(
                LegalVersion.objects.order_by("pk").values_list(
                    "kind", "version", "title"
                )
            )
            == versions
        )
        assert ConsentRecord.objects.count() == consents
        assert not User.objects.filter(terms_pending=True).exists()

    def test_a_second_run_translates_nothing_again(self, seeded):
        before = counts()
        out = seed("--ideas", "20")
        assert "Pages were translated before; none added." in out
        assert counts() == before
        assert french_pages().count() == TRANSLATED


@pytest.fixture
def french_site(db, settings):
    """A site whose default language is French: what ``migrate`` makes with
    LANGUAGE_CODE=fr (``make demo DEMO_LANGUAGE=fr``), its root and home in the
    French locale."""
    settings.LANGUAGE_CODE = "fr"
    Page.objects.filter(depth__lte=2).update(
        locale=Locale.objects.get(language_code="fr")
    )


def test_the_french_demo_has_english_translations(french_site, client):
    seed("--ideas", "5", "--language", "fr")

    english = Page.objects.filter(locale__language_code="en")
    assert english.count() == TRANSLATED
    assert (
        CampaignPage.objects.get(locale__language_code="fr", slug="city-cycling").title
        == (content_fr.CAMPAIGNS[2]["title"])
    )
    for url, english_title, french_title in (
        ("/", pages.HOME["hero_title"], content_fr.HOME["hero_title"]),
        ("/charter/", "Community charter", "Charte de la communauté"),
        ("/privacy/", "Privacy policy", "Politique de confidentialité"),
    ):
        assert h1(client.get(url, **EN).content.decode()) == english_title, url
        assert h1(client.get(url, **FR).content.decode()) == french_title, url
    # The versions are the French pages'.
    assert set(LegalVersion.objects.values_list("title", flat=True)) == {
        "Conditions d’utilisation",
        "Politique de confidentialité",
    }


def test_pages_in_the_wrong_locale_are_not_translated(db):
    """A French demo on an English site puts French text in the English tree:
    translations of it would be wrong too, so there are none."""
    home = in_default_language(HomePage.objects.all()).get()
    demo = Demo(
        seed=1, now=timezone.now(), today=timezone.localdate(), write=str,
        language="fr",
    )  # fmt: skip
    assert "no translations" in seed_translations(demo, home)
    assert (
        not Page.objects.filter(locale__language_code="en", depth=2)
        .exclude(pk=home.pk)
        .exists()
    )
    assert not french_pages().exists()
