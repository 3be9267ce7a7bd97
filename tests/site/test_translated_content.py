"""Brand content in each language (``cocreate.i18n``): the French column beside
each translatable field, read through ``obj.i18n`` in the active language, with
the source text when a translation is blank."""

from __future__ import annotations

import pytest
from django.utils import translation

from cocreate.i18n import lang_attribute, translated, translated_panels
from ideas.models import Category, ModerationReason
from rewards.models import Badge, Level, Reward

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(db):
    return Category.objects.create(
        name="Running",
        name_fr="Course à pied",
        description="Shoes and gear for runners",
    )


def test_a_translated_field_reads_in_the_active_language(running):
    with translation.override("fr"):
        assert running.i18n.name == "Course à pied"
        assert str(running) == "Course à pied"
    with translation.override("en"):
        assert running.i18n.name == "Running"
        assert str(running) == "Running"


def test_a_blank_translation_falls_back_to_the_source_text(running):
    with translation.override("fr"):
        assert running.i18n.description == "Shoes and gear for runners"


def test_a_regional_variant_reads_the_languages_translation(running):
    with translation.override("fr-ca"):
        assert running.i18n.name == "Course à pied"


def test_a_language_can_be_asked_for_outside_the_active_one(running):
    with translation.override("en"):
        assert running.in_language("fr").name == "Course à pied"
        assert translated(running, "name", "de") == "Running"


def test_only_translatable_fields_are_read_through_the_accessor(running):
    with pytest.raises(AttributeError):
        running.i18n.slug  # noqa: B018


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Category, ("name", "description")),
        (Reward, ("title", "description", "cause")),
        (Level, ("name",)),
        (Badge, ("name", "description")),
        (ModerationReason, ("title", "message")),
    ],
)
def test_each_translatable_field_has_an_optional_french_column_labelled_so(
    model, fields
):
    assert model.translated_fields == fields
    with translation.override("en"):
        for name in fields:
            source = model._meta.get_field(name)
            french = model._meta.get_field(f"{name}_fr")
            assert type(french) is type(source)
            assert french.blank
            assert not french.unique
            assert french.max_length == source.max_length
            assert str(french.verbose_name) == f"{source.verbose_name} (French)"


def test_the_default_levels_and_badges_are_installed_in_french():
    assert Level.objects.get(threshold=0).name_fr == "Nouveau membre"
    badge = Badge.objects.get(milestone="first_idea")
    assert (badge.name_fr, badge.description_fr) == (
        "Première idée",
        "Vous avez publié votre première idée.",
    )
    with translation.override("fr"):
        assert str(Level.objects.get(threshold=1000)) == "Innovateur"


def test_text_in_another_language_than_the_page_is_marked_with_it():
    with translation.override("en"):
        assert lang_attribute("fr") == ' lang="fr"'
        assert lang_attribute("en") == ""
        assert lang_attribute("xx") == ""
    with translation.override("fr"):
        assert lang_attribute("en") == ' lang="en"'


@pytest.mark.filterwarnings("ignore:No directory at:UserWarning")
@pytest.mark.parametrize(
    ("url", "labels"),
    [
        ("/admin/categories/new/", ("name (French)", "description (French)")),
        (
            "/admin/moderation-reasons/new/",
            ("title (French)", "message to the author (French)"),
        ),
        (
            "/admin/rewards/catalogue/new/",
            ("title (French)", "description (French)", "cause (French)"),
        ),
        ("/admin/rewards/levels/new/", ("name (French)",)),
        ("/admin/rewards/badges/new/", ("name (French)", "description (French)")),
    ],
)
def test_the_admin_forms_show_both_languages(client, superuser, url, labels):
    client.force_login(superuser)

    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    page = response.content.decode().lower()
    for label in labels:
        assert label.lower() in page


def test_the_admin_panels_name_the_columns_on_a_french_site_too(settings):
    """A site whose language is French (``make demo DEMO_LANGUAGE=fr``) has the
    same ``_fr`` columns: a panel naming ``name_en`` would stop every command."""
    settings.LANGUAGE_CODE = "fr"
    names = [panel.field_name for panel in translated_panels("name", "description")]
    assert names == ["name", "name_fr", "description", "description_fr"]
    for name in names:
        Category._meta.get_field(name)
