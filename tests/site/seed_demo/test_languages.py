"""The demo's languages: ``--language fr`` writes it all in French, and the
English demo has a few French speakers who write in French."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from taggit.models import Tag

from cocreate.demo import (
    activity,
    brand_team,
    content_fr,
    ideas,
    members,
    pages,
    panel,
    product_team,
    rewards,
)
from cocreate.demo.members import FRENCH_SPEAKERS
from cocreate.members.models import User
from cocreate.pages.models import ContentPage, HomePage, LegalPage
from ideas.models import (
    CampaignPage,
    Category,
    Comment,
    Idea,
    ModerationReason,
    StatusChange,
)
from ideas.models.access import may_view_campaign
from rewards.models import Reward
from tests.site.seed_demo.helpers import DEMO_PASSWORD, seed

PARTS = (activity, brand_team, ideas, members, pages, panel, product_team, rewards)


def _english_titles() -> set[str]:
    titles = set()
    for products in ideas.PRODUCTS.values():
        for product in products:
            article = "An" if product[0] in "aeiou" else "A"
            titles |= {
                f"{article} {product} {feature}" for feature, _tags in ideas.FEATURES
            }
    titles |= {spec[3] for spec in ideas.DEMO_MEMBER_IDEAS + panel.PANEL_IDEAS}
    return titles


def _french_titles() -> set[str]:
    titles = set()
    for products in content_fr.PRODUCTS.values():
        for product in products:
            titles |= {
                f"{product[0].upper()}{product[1:]} {feature}"
                for (feature,) in content_fr.FEATURES
            }
    return titles | {
        spec[3] for spec in content_fr.DEMO_MEMBER_IDEAS + content_fr.PANEL_IDEAS
    }


def _french_comments() -> set[str]:
    return {
        *content_fr.COMMENTS,
        *content_fr.REPLIES,
        *content_fr.AUTHOR_REPLIES,
        *content_fr.ANSWERS,
        content_fr.NEWCOMER_COMMENT,
        *(text for *_spec, text in content_fr.PANEL_COMMENTS),
    }


def _english_comments() -> set[str]:
    return {
        *activity.COMMENTS,
        *activity.REPLIES,
        *activity.AUTHOR_REPLIES,
        *brand_team.ANSWERS,
        brand_team.NEWCOMER_COMMENT,
        *(text for *_spec, text in panel.PANEL_COMMENTS),
    }


@pytest.fixture
def seeded_fr(db):
    seed("--ideas", "20", "--language", "fr")


def test_french_texts_match_the_english_ones_one_for_one():
    """Same structure: every French list has as many texts as the English one
    (so the draws are the same), every French dict the same keys."""
    shared = 0
    for part in PARTS:
        for name in dir(part):
            if not name.isupper() or name == "TAGS" or not hasattr(content_fr, name):
                continue
            english, french = getattr(part, name), getattr(content_fr, name)
            shared += 1
            assert type(french) is type(english), name
            if isinstance(english, dict):
                assert set(french) == set(english), name
            if isinstance(english, tuple | dict):
                assert len(french) == len(english), name
    for category, products in ideas.PRODUCTS.items():
        assert len(content_fr.PRODUCTS[category]) == len(products), category
    assert shared > 40


class TestTheFrenchDemo:
    def test_its_pages_campaigns_and_categories_are_french(self, seeded_fr):
        trail = CampaignPage.objects.get(slug="trail-running-2027")
        assert trail.title == "Le trail, réinventé"
        assert set(CampaignPage.objects.values_list("title", flat=True)) == {
            spec["title"] for spec in content_fr.CAMPAIGNS
        } | {content_fr.PANEL_CAMPAIGN["title"]}
        assert HomePage.objects.get().hero_title == content_fr.HOME["hero_title"]
        assert ContentPage.objects.get(slug="charter").title == (
            "Charte de la communauté"
        )
        assert set(LegalPage.objects.values_list("title", flat=True)) == {
            "Conditions d’utilisation",
            "Politique de confidentialité",
        }
        assert Category.objects.get(slug="hiking").name == "Randonnée"

    def test_members_and_ideas_speak_french(self, seeded_fr):
        assert User.objects.count() > 30
        assert not User.objects.exclude(language="fr").exists()
        assert User.objects.get(email="member@example.com").display_name == (
            "Membre démo"
        )
        names = set(User.objects.values_list("display_name", flat=True))
        assert "Julien B." in names and "Jonas B." not in names
        assert Idea.objects.count() == 24
        assert not Idea.objects.exclude(language="fr").exists()
        titles = set(Idea.objects.values_list("title", flat=True))
        assert not titles & _english_titles()
        assert titles <= _french_titles()
        assert "Imaginez\u00a0: **" in Idea.objects.first().description

    def test_comments_answers_and_notes_are_french(self, seeded_fr):
        bodies = set(Comment.objects.values_list("body", flat=True))
        assert bodies <= _french_comments()
        assert not bodies & _english_comments()
        # Roles are stored untranslated and read in each reader's language.
        assert set(
            Comment.objects.filter(is_official=True).values_list(
                "official_role", flat=True
            )
        ) <= {"Product team", "Community manager"}
        notes = {note for texts in content_fr.NOTES.values() for note in texts}
        assert StatusChange.objects.exists()
        english = {note for texts in brand_team.NOTES.values() for note in texts}
        # The timelines' notes; the services' own (a merge, a hiding) follow the
        # catalogue of the active language.
        written = set(StatusChange.objects.values_list("note", flat=True))
        assert written & notes
        assert not written & english
        assert ModerationReason.objects.filter(title="Hors sujet").exists()
        assert Tag.objects.filter(name="réparation").exists()
        assert not Tag.objects.filter(name="repair").exists()

    def test_rewards_are_french(self, seeded_fr):
        assert set(Reward.objects.values_list("title", flat=True)) == {
            spec["title"] for spec in content_fr.REWARDS
        }

    def test_the_accounts_and_the_panel_stay(self, seeded_fr):
        for email in ("member@example.com", "moderator@example.com"):
            assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
        campaign = CampaignPage.objects.get(slug=panel.PANEL_CAMPAIGN["slug"])
        group = Group.objects.get(name=content_fr.PANEL_GROUP)
        assert set(group.user_set.values_list("email", flat=True)) == set(
            content_fr.PANELISTS
        )
        outsider = User.objects.get(email=content_fr.OUTSIDER)
        assert not may_view_campaign(outsider, campaign.pk)
        assert Idea.objects.filter(campaign=campaign).count() == 4

    def test_it_refuses_a_database_holding_the_english_demo(self, seeded_fr):
        with pytest.raises(CommandError, match="holds the demo in 'fr'"):
            seed("--ideas", "20")
        # Seeding French again changes nothing.
        before = Idea.objects.count()
        seed("--ideas", "20", "--language", "fr")
        assert Idea.objects.count() == before


def test_the_english_demo_has_french_speakers(seeded):
    speakers = User.objects.filter(language="fr")
    assert set(speakers.values_list("email", flat=True)) == set(FRENCH_SPEAKERS)
    assert User.objects.get(email="member@example.com").language == ""
    french = Idea.objects.filter(language="fr")
    assert french.exists()
    assert set(french.values_list("author__email", flat=True)) <= set(FRENCH_SPEAKERS)
    assert set(french.values_list("title", flat=True)) <= _french_titles()
    english = Idea.objects.filter(language="en")
    assert english.count() > french.count()
    assert set(english.values_list("title", flat=True)) <= _english_titles()
    assert not english.filter(author__language="fr").exists()
    spoken = Comment.objects.filter(is_official=False, author__language="fr")
    assert spoken.exists()
    assert set(spoken.values_list("body", flat=True)) <= _french_comments()
    # The site's own texts stay English.
    assert CampaignPage.objects.filter(title="Trail running, reinvented").exists()


def test_an_unknown_language_is_refused(db):
    with pytest.raises(CommandError, match="Unknown demo language 'xx'.*en, fr"):
        seed("--ideas", "5", "--language", "xx")
    assert not User.objects.exists()
