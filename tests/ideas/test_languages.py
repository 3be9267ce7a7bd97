"""Ideas in two languages: the language an idea is written in (chosen when
posting, kept on edit), lists filtered by it, its text marked with
it; and the brand's categories and hiding reasons in each member's language."""

from __future__ import annotations

import pytest

from ideas.models import Category, Idea, IdeaStatus, ModerationReason
from ideas.moderation import services as moderation
from tests.factories import IdeaFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def titles(response) -> list[str]:
    return sorted(idea.title for idea in response.context["ideas"])


@pytest.fixture
def french_member(bob):
    bob.language = "fr"
    bob.save(update_fields=["language"])
    return bob


@pytest.fixture
def two_languages(db):
    IdeaFactory(title="Reflective laces", language="en")
    IdeaFactory(title="Lacets réfléchissants", language="fr")


class TestPosting:
    def test_the_form_offers_the_languages_with_the_members_own_first_chosen(
        self, client, french_member
    ):
        client.force_login(french_member)

        response = client.get("/ideas/new/")

        form = response.context["form"]
        assert [code for code, _label in form.fields["language"].choices] == [
            "en",
            "fr",
        ]
        assert form["language"].value() == "fr"
        assert 'name="language"' in response.content.decode()

    def test_the_chosen_language_is_stored(self, alice_client):
        alice_client.post(
            "/ideas/new/",
            {"title": "Lacets", "description": "Visibles la nuit", "language": "fr"},
        )

        assert Idea.objects.get().language == "fr"

    def test_without_a_choice_the_idea_is_in_the_pages_language(self, alice_client):
        alice_client.post(
            "/ideas/new/",
            {"title": "Laces", "description": "Seen at night"},
            HTTP_ACCEPT_LANGUAGE="en",
        )

        assert Idea.objects.get().language == "en"

    def test_an_unknown_language_is_refused_in_words(self, alice_client):
        response = alice_client.post(
            "/ideas/new/",
            {"title": "Laces", "description": "Seen at night", "language": "xx"},
        )

        assert response.status_code == 200
        assert "language" in response.context["form"].errors
        assert not Idea.objects.exists()

    def test_an_edit_keeps_the_language_and_can_correct_it(self, alice_client, alice):
        idea = IdeaFactory(author=alice, language="fr")
        response = alice_client.get(f"/ideas/{idea.pk}/edit/")
        assert response.context["form"]["language"].value() == "fr"

        alice_client.post(
            f"/ideas/{idea.pk}/edit/",
            {"title": "Lacets", "description": "Visibles", "language": "fr"},
        )
        idea.refresh_from_db()
        assert (idea.title, idea.language) == ("Lacets", "fr")

        alice_client.post(
            f"/ideas/{idea.pk}/edit/",
            {"title": "Laces", "description": "Seen at night", "language": "en"},
        )
        idea.refresh_from_db()
        assert idea.language == "en"


class TestLists:
    def test_the_list_filters_by_language(self, client, two_languages):
        response = client.get("/ideas/?language=fr")

        assert titles(response) == ["Lacets réfléchissants"]
        assert response.context["filters"].is_filtered()
        assert 'value="fr" lang="fr" selected' in response.content.decode()

    def test_an_unknown_language_is_ignored(self, client, two_languages):
        for value in ("xx", "", "fr" * 200, "en\x00"):
            response = client.get("/ideas/", {"language": value})

            assert response.status_code == 200
            assert len(response.context["ideas"]) == 2

    def test_a_campaign_page_filters_by_language(self, client, make_campaign):
        shoes = make_campaign(title="Shoes")
        IdeaFactory(title="Lighter soles", campaign=shoes, language="en")
        IdeaFactory(title="Semelles légères", campaign=shoes, language="fr")
        IdeaFactory(title="Tente rapide", language="fr")

        response = client.get(shoes.url + "?language=fr")

        assert titles(response) == ["Semelles légères"]

    def test_an_idea_in_another_language_than_the_page_is_marked_with_it(
        self, client, two_languages
    ):
        french = Idea.objects.get(language="fr")

        listing = client.get("/ideas/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        detail = client.get(
            f"/ideas/{french.pk}/", HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()

        assert '<h3 class="idea-card-title" lang="fr">' in listing
        assert '<h3 class="idea-card-title">' in listing  # the English one
        assert '<h1 lang="fr">' in detail
        assert 'class="prose idea-description" lang="fr"' in detail

    def test_an_idea_in_the_pages_language_is_not_marked(self, client, two_languages):
        french = Idea.objects.get(language="fr")

        detail = client.get(
            f"/ideas/{french.pk}/", HTTP_ACCEPT_LANGUAGE="fr"
        ).content.decode()

        assert '<h1 lang="fr">' not in detail


class TestCategories:
    @pytest.fixture
    def running(self, db):
        return Category.objects.create(
            name="Running", slug="running", name_fr="Course à pied"
        )

    def test_a_french_member_sees_a_category_in_french(
        self, client, french_member, running
    ):
        IdeaFactory(category=running)
        client.force_login(french_member)

        page = client.get("/ideas/").content.decode()

        assert "Course à pied" in page
        assert ">Running<" not in page

    def test_an_english_member_sees_it_in_english(self, alice_client, running):
        IdeaFactory(category=running)

        page = alice_client.get("/ideas/").content.decode()

        assert ">Running<" in page
        assert "Course à pied" not in page


class TestHidingReasons:
    @pytest.fixture
    def off_topic(self, db):
        return ModerationReason.objects.create(
            title="Off-topic",
            title_fr="Hors sujet",
            message="This is not about our products.",
            message_fr="Cette idée ne porte pas sur nos produits.",
        )

    def test_a_french_author_reads_the_reason_in_french(
        self, moderator, french_member, off_topic
    ):
        idea = IdeaFactory(author=french_member, status=IdeaStatus.PUBLISHED)

        moderation.hide(actor=moderator, content=idea, template=off_topic)

        idea.refresh_from_db()
        assert idea.hidden_reason == "Cette idée ne porte pas sur nos produits."

    def test_an_english_author_reads_it_in_english(self, moderator, alice, off_topic):
        alice.language = "en"
        alice.save(update_fields=["language"])
        idea = IdeaFactory(author=alice, status=IdeaStatus.PUBLISHED)

        moderation.hide(actor=moderator, content=idea, template=off_topic)

        idea.refresh_from_db()
        assert idea.hidden_reason == "This is not about our products."

    def test_an_untranslated_reason_reaches_a_french_author_in_english(
        self, moderator, french_member, off_topic
    ):
        ModerationReason.objects.filter(pk=off_topic.pk).update(message_fr="")
        off_topic.refresh_from_db()
        idea = IdeaFactory(author=french_member, status=IdeaStatus.PUBLISHED)

        moderation.hide(actor=moderator, content=idea, template=off_topic)

        idea.refresh_from_db()
        assert idea.hidden_reason == "This is not about our products."


def test_an_official_answer_is_signed_in_each_readers_language(client, idea, product):
    from ideas import discussion

    discussion.post_official_answer(author=product, idea=idea, body="On it")

    english = client.get(idea.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    french = client.get(idea.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")

    assert "Official answer · Product team" in english.content.decode()
    assert "Réponse officielle · Équipe produit" in french.content.decode()
