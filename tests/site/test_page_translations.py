"""Translated pages, one URL per page: a French visitor reads the French
translation at the English page's address, an English-only page still, and a
translated campaign is its source for everything but its text."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale, Page, PageViewRestriction

from cocreate.members import consents
from cocreate.pages.models import ContentPage, LegalPage
from ideas.models import CampaignPage, IdeaStatus
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def publish(page):
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def translate(page, **text):
    """What an editor does with *Translate* (simple_translation), then publishes:
    a copy in the French tree, its parents copied first."""
    french = page.copy_for_translation(
        Locale.objects.get(language_code="fr"), copy_parents=True
    )
    for field, value in text.items():
        setattr(french, field, value)
    french.save()
    return publish(french)


@pytest.fixture
def charter(home_page):
    page = ContentPage(title="Community charter", slug="charter", intro="Be kind.")
    Page.objects.get(pk=home_page.pk).add_child(instance=page)
    return publish(page)


@pytest.fixture
def french_charter(charter):
    return translate(
        charter, title="Charte de la communauté", intro="Soyez bienveillants."
    )


def links(html: str) -> list[tuple[str, str, str]]:
    return [
        (match["rel"], match["hreflang"] or "", match["href"])
        for match in re.finditer(
            r'<link rel="(?P<rel>canonical|alternate)"'
            r'(?: hreflang="(?P<hreflang>[^"]+)")? href="(?P<href>[^"]+)">',
            html,
        )
    ]


# Settings and the migration --------------------------------------------------


def test_every_language_has_a_locale_and_editors_may_translate():
    assert set(Locale.objects.values_list("language_code", flat=True)) >= {"en", "fr"}
    permission = Permission.objects.get(codename="submit_translation")
    assert set(permission.group_set.values_list("name", flat=True)) >= {
        "Editors",
        "Moderators",
    }
    assert (
        Group.objects.get(name="Editors").permissions.filter(pk=permission.pk).exists()
    )


# One URL per page --------------------------------------------------------------


def test_the_french_translation_is_served_at_the_same_url_to_a_french_visitor(
    client, french_charter, charter
):
    assert french_charter.url == charter.url == "/charter/"

    french = client.get("/charter/", **FR)
    english = client.get("/charter/", **EN)

    assert french.status_code == english.status_code == 200
    assert "Charte de la communauté" in french.content.decode()
    assert "Soyez bienveillants." in french.content.decode()
    assert french["Content-Language"] == "fr"
    assert "Community charter" in english.content.decode()
    assert "Charte" not in english.content.decode()
    assert english["Content-Language"] == "en"
    for response in (french, english):
        vary = {part.strip() for part in response["Vary"].split(",")}
        assert {"Accept-Language", "Cookie"} <= vary


def test_a_draft_translation_is_not_shown(client, charter):
    french = charter.copy_for_translation(
        Locale.objects.get(language_code="fr"), copy_parents=True
    )
    french.title = "Brouillon"
    french.save()
    french.save_revision()  # never published

    html = client.get("/charter/", **FR).content.decode()

    assert "Community charter" in html and "Brouillon" not in html


def test_an_untranslated_page_still_serves_to_a_french_visitor(
    client, charter, home_page
):
    rules = ContentPage(title="House rules", slug="rules", intro="English only.")
    Page.objects.get(pk=home_page.pk).add_child(instance=rules)
    publish(rules)
    translate(charter, title="Charte")  # the French home exists and is live now

    response = client.get("/rules/", **FR)

    assert response.status_code == 200
    assert "English only." in response.content.decode()
    assert '<html lang="fr">' in response.content.decode()
    assert client.get("/charter/", **FR).content.decode().count("Charte") >= 1


def test_the_french_home_is_not_a_second_address(client, french_charter):
    french_home = Page.objects.get(pk=french_charter.get_parent().pk)
    assert client.get(f"/{french_home.slug}/", **FR).status_code == 404


def test_a_translation_keeps_its_sources_slug(french_charter):
    french_charter.slug = "charte"

    # In English: an earlier test's French request may have left French active.
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        french_charter.full_clean()

    assert "slug" in refused.value.message_dict
    assert "charter" in refused.value.message_dict["slug"][0]
    assert "translation keeps the address" in refused.value.message_dict["slug"][0]


def test_the_source_page_may_change_its_own_slug(charter):
    charter.slug = "our-charter"
    charter.full_clean()  # no error: only translations follow their source


# hreflang and canonical ---------------------------------------------------------


def test_a_translated_page_names_its_alternates_and_canonical(client, french_charter):
    base = "http://testserver/charter/"

    plain = links(client.get("/charter/", **FR).content.decode())
    french = links(client.get("/charter/?hl=fr", **EN).content.decode())

    assert ("canonical", "", base) in plain
    assert ("alternate", "en", base + "?hl=en") in plain
    assert ("alternate", "fr", base + "?hl=fr") in plain
    assert ("alternate", "x-default", base) in plain
    assert len(plain) == 4
    # The ?hl= page is its own canonical; x-default stays the plain address.
    assert ("canonical", "", base + "?hl=fr") in french
    assert ("alternate", "x-default", base) in french


def test_an_untranslated_page_has_a_canonical_only(client, charter):
    found = links(client.get("/charter/?utm_source=mail", **FR).content.decode())

    assert found == [("canonical", "", "http://testserver/charter/")]


# ?hl= ------------------------------------------------------------------------


def test_hl_shows_one_request_in_french_and_stores_nothing(
    client, alice, french_charter
):
    alice.language = "en"
    alice.save()
    client.force_login(alice)

    once = client.get("/charter/?hl=fr")
    after = client.get("/charter/")

    assert "Charte de la communauté" in once.content.decode()
    assert '<html lang="fr">' in once.content.decode()
    assert "django_language" not in once.cookies
    alice.refresh_from_db()
    assert alice.language == "en"
    assert "Community charter" in after.content.decode()


def test_an_unknown_hl_is_ignored(client, french_charter):
    for code in ("xx", "fr-ca", "<script>"):
        html = client.get(f"/charter/?hl={code}", **EN).content.decode()
        assert "Community charter" in html and '<html lang="en">' in html


# Campaigns ---------------------------------------------------------------------


@pytest.fixture
def french_campaign(campaign):
    return translate(campaign, title="Chaussures de course 2027", summary="Vos idées.")


def test_a_translated_campaign_lists_the_campaigns_ideas(
    client, campaign, french_campaign, alice
):
    IdeaFactory(author=alice, campaign=campaign, title="Laces that never untie")

    html = client.get(campaign.url, **FR).content.decode()

    assert "Chaussures de course 2027" in html
    assert "Laces that never untie" in html
    # The posting form names the campaign ideas point at: the source.
    assert f"?campaign={campaign.pk}" in html
    assert f"?campaign={french_campaign.pk}" not in html


def test_a_translated_private_campaign_keeps_its_rules(
    client, make_campaign, alice, bob
):
    panel = Group.objects.create(name="Panel")
    alice.groups.add(panel)
    private = make_campaign(title="Prototype boots", slug="boots")
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([panel])
    translate(private, title="Bottes prototypes")
    IdeaFactory(author=alice, campaign=private, title="Warmer soles")

    # A visitor is sent to log in; a member outside the group is told nothing.
    assert client.get("/boots/", **FR).status_code == 302
    client.force_login(bob)
    assert client.get("/boots/", **FR).status_code == 404
    client.force_login(alice)
    html = client.get("/boots/", **FR).content.decode()
    assert "Bottes prototypes" in html and "Warmer soles" in html
    assert "Private campaign" in html or "Campagne privée" in html


def test_campaign_lists_show_the_source_once_with_the_translated_title(
    client, campaign, french_campaign
):
    home = client.get("/", **FR).content.decode()
    ideas = client.get("/ideas/", **FR).content.decode()

    assert "Chaussures de course 2027" in home and "Running shoes 2027" not in home
    assert f'value="{campaign.pk}"' in ideas
    assert f'value="{french_campaign.pk}"' not in ideas
    assert "Chaussures de course 2027" in ideas
    assert "Running shoes 2027" in client.get("/", **EN).content.decode()


def test_an_idea_posted_from_the_french_page_joins_the_source(
    client, campaign, french_campaign
):
    from ideas.forms import IdeaForm

    form = IdeaForm(member=None)
    offered = list(form.fields["campaign"].queryset)

    assert offered == [CampaignPage.objects.get(pk=campaign.pk)]


def test_serving_a_translated_campaign_costs_few_more_queries(
    client, campaign, french_campaign, alice
):
    IdeaFactory(author=alice, campaign=campaign, status=IdeaStatus.PUBLISHED)
    for _round in range(2):  # warm the caches: both languages, twice over
        client.get(campaign.url, **EN)
        client.get(campaign.url, **FR)
    with CaptureQueriesContext(connection) as english:
        client.get(campaign.url, **EN)
    with CaptureQueriesContext(connection) as french:
        client.get(campaign.url, **FR)

    # Wagtail finds the French home first (routing goes back to the English
    # one), then the campaign's translation, and the cards the French titles:
    # four more queries, whatever the number of ideas.
    assert len(french) <= len(english) + 4


# Cached fragments ----------------------------------------------------------------


@pytest.fixture
def terms(home_page):
    page = LegalPage(
        title="Terms of use", slug="terms", kind="terms", version="2027-01"
    )
    Page.objects.get(pk=home_page.pk).add_child(instance=page)
    return publish(page)


def test_the_footer_links_do_not_leak_one_language_into_the_other(client, terms):
    from django.test.utils import CaptureQueriesContext as Capture

    assert "Terms of use" in client.get("/", **EN).content.decode()  # cached in English
    with Capture(connection):
        translate(terms, title="Conditions d'utilisation")

    french = client.get("/", **FR).content.decode()
    english = client.get("/", **EN).content.decode()

    assert (
        "Conditions d&#x27;utilisation" in french
        or "Conditions d'utilisation" in french
    )
    assert "Terms of use</a>" not in french
    assert "Terms of use</a>" in english
    assert "Conditions" not in english


def test_publishing_a_translation_of_the_terms_is_no_new_version(terms):
    before = list(consents.current_legal_versions())

    translate(terms, title="Conditions d'utilisation")

    assert list(consents.current_legal_versions()) == before


def test_the_leaderboard_campaigns_do_not_leak_one_language_into_the_other(
    campaign, french_campaign
):
    from django.utils import translation

    from rewards import selectors

    with translation.override("en"):
        english = selectors.live_campaigns()
    with translation.override("fr"):
        french = selectors.live_campaigns()
    with translation.override("en"):
        again = selectors.live_campaigns()

    assert english == again == [(campaign.pk, "Running shoes 2027")]
    assert french == [(campaign.pk, "Chaussures de course 2027")]


def test_unpublishing_the_translation_drops_the_alternates(client, french_charter):
    assert len(links(client.get("/charter/", **EN).content.decode())) == 4

    french_charter.unpublish()

    assert links(client.get("/charter/", **FR).content.decode()) == [
        ("canonical", "", "http://testserver/charter/")
    ]
    assert "Community charter" in client.get("/charter/", **FR).content.decode()


def test_idea_cards_and_pages_name_the_campaign_in_french(
    client, campaign, french_campaign, alice
):
    idea = IdeaFactory(author=alice, campaign=campaign, title="Laces that never untie")

    listing = client.get("/ideas/", **FR).content.decode()
    detail = client.get(idea.get_absolute_url(), **FR).content.decode()
    english = client.get(idea.get_absolute_url(), **EN).content.decode()

    assert "<span>Chaussures de course 2027</span>" in listing
    assert f'<a href="{campaign.url}">Chaussures de course 2027</a>' in detail
    assert f'<a href="{campaign.url}">Running shoes 2027</a>' in english


def test_switching_language_from_an_hl_page_drops_hl(client, french_charter):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/charter/?hl=fr&page=2"}
    )

    assert response["Location"] == "/charter/?page=2"
    assert "Community charter" in client.get("/charter/").content.decode()


def test_the_admin_refuses_a_translation_with_another_slug(
    client, superuser, french_charter
):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    client.force_login(superuser)
    response = client.post(
        f"/admin/pages/{french_charter.pk}/edit/",
        nested_form_data(
            {
                "title": "Charte de la communauté",
                "slug": "charte",
                "intro": "Soyez bienveillants.",
                "body": streamfield([]),
            }
        ),
    )

    assert response.status_code == 200  # the form again, with the message
    assert "translation keeps the address" in response.content.decode()
    french_charter.refresh_from_db()
    assert french_charter.slug == "charter"


def test_an_editor_translates_the_home_then_a_page_in_the_admin(
    client, home_page, charter
):
    from tests.factories import UserFactory

    editor = UserFactory(email="eve@example.com")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    french = Locale.objects.get(language_code="fr")

    for page in (home_page, charter):
        response = client.post(
            f"/admin/translation/submit/page/{page.pk}/", {"locales": [french.pk]}
        )
        assert response.status_code == 302, response.content.decode()[:500]

    translation = ContentPage.objects.get(
        translation_key=charter.translation_key, locale=french
    )
    assert translation.slug == "charter"
    parent = translation.get_parent()
    assert parent.translation_key == home_page.translation_key
    translation.title = "Charte"
    publish(translation)
    assert "Charte" in client.get("/charter/", **FR).content.decode()


def test_withdrawing_the_french_terms_names_them_in_english_again(client, terms):
    french = translate(terms, title="Conditions d'utilisation")
    assert "Conditions" in client.get("/", **FR).content.decode()

    french.unpublish()

    assert "Terms of use</a>" in client.get("/", **FR).content.decode()
