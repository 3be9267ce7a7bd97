"""The API shows each idea's language and filters by it."""

from __future__ import annotations

import pytest

from tests.factories import IdeaFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def two_languages(db):
    IdeaFactory(title="Reflective laces", language="en")
    IdeaFactory(title="Lacets réfléchissants", language="fr")


class TestApi:
    def test_ideas_show_their_language_and_filter_by_it(
        self, reader_api, two_languages
    ):
        everything = reader_api.get("/ideas").json()["items"]
        french = reader_api.get("/ideas", language="fr").json()["items"]

        assert {i["title"]: i["language"] for i in everything} == {
            "Reflective laces": "en",
            "Lacets réfléchissants": "fr",
        }
        assert [i["title"] for i in french] == ["Lacets réfléchissants"]

    def test_an_unknown_language_filter_is_ignored(self, reader_api, two_languages):
        response = reader_api.get("/ideas", language="xx")

        assert response.status_code == 200
        assert len(response.json()["items"]) == 2
