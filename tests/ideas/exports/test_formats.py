"""Exports of ideas as CSV, XLSX and JSON: what each holds."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cocreate.members.models import User
from ideas.models import Idea
from ideas.product import exports, scoring
from tests.factories import IdeaFactory, SupportFactory, UserFactory
from tests.ideas.exports.helpers import (
    csv_rows,
    export,
    json_rows,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored_idea(alice, bob, charlie, product, campaign, category, criteria):
    """Alice's idea, in a campaign and a category, tagged, supported (twice this
    week, once long ago), commented and scored by two members of the team."""
    comfort, price = criteria
    idea = IdeaFactory(
        author=alice,
        title="Shoes that dry overnight",
        campaign=campaign,
        category=category,
        supports_count=3,
        comments_count=4,
    )
    idea.tags.add("trail", "drying")
    SupportFactory(idea=idea, member=bob)
    SupportFactory(idea=idea, member=charlie)
    SupportFactory(
        idea=idea,
        member=UserFactory(),
        created_at=timezone.now() - datetime.timedelta(days=30),
    )
    colleague = UserFactory(display_name="Paul")
    colleague.groups.set(product.groups.all())
    scoring.score_idea(scorer=product, idea=idea, values={comfort.pk: 4, price.pk: 2})
    scoring.score_idea(scorer=colleague, idea=idea, values={comfort.pk: 5})
    return Idea.objects.get(pk=idea.pk)


class TestCsv:
    def test_it_has_every_column_with_criteria_in_use_by_position(
        self, product_request, scored_idea, alice
    ):
        User.objects.filter(pk=alice.pk).update(contact_consent=True)

        response = export(product_request(), "csv")

        header, row = csv_rows(response)
        assert header == [
            "ID",
            "Title",
            "Link",
            "Campaign",
            "Category",
            "Language",
            "Tags",
            "Status",
            "Supports",
            "Supports in the last 7 days",
            "Comments",
            "Score",
            "Price",
            "Comfort",
            "Author",
            "Author's email (consented)",
            "Created",
        ]
        assert row == [
            str(scored_idea.pk),
            "Shoes that dry overnight",
            f"http://testserver/ideas/{scored_idea.pk}/",
            "Running shoes 2027",
            "Running",
            "en",
            "drying, trail",
            "Published",
            "3",
            "2",
            "4",
            str(scored_idea.score),
            "2.0",
            "4.5",
            "Alice",
            "alice@example.com",
            timezone.localtime(scored_idea.created_at).isoformat(timespec="seconds"),
        ]

    def test_it_streams_as_an_attachment_with_a_dated_name(self, product_request):
        IdeaFactory()

        response = export(product_request(), "csv", basename="Running shoes 2027")

        assert response.streaming
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        today = timezone.localdate().isoformat()
        assert response["Content-Disposition"] == (
            f'attachment; filename="running-shoes-2027-{today}.csv"'
        )

    def test_the_note_column_comes_with_notes_only(self, product_request):
        first, second = IdeaFactory(), IdeaFactory()

        with_notes = csv_rows(
            export(product_request(), "csv", notes={first.pk: "Ask R&D"})
        )
        without = csv_rows(export(product_request(), "csv"))

        assert with_notes[0][-1] == "Shortlist note"
        assert [row[-1] for row in with_notes[1:]] == ["Ask R&D", ""]
        assert "Shortlist note" not in without[0]
        assert second.pk  # both ideas are rows
        assert len(with_notes) == len(without) == 3

    def test_it_keeps_the_querysets_order_across_chunks(
        self, product_request, monkeypatch, bob
    ):
        monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
        ideas = [IdeaFactory(title=f"Idea {letter}") for letter in "ECADB"]
        SupportFactory(idea=ideas[3], member=bob)  # "Idea D", in the second chunk

        rows = csv_rows(
            export(product_request(), "csv", Idea.objects.order_by("title"))
        )

        assert [row[1] for row in rows[1:]] == [f"Idea {x}" for x in "ABCDE"]
        assert [row[9] for row in rows[1:]] == ["0", "0", "0", "1", "0"]

    def test_an_empty_list_is_a_header_only(self, product_request):
        rows = csv_rows(export(product_request(), "csv"))

        assert len(rows) == 1 and rows[0][0] == "ID"


class TestXlsx:
    def test_it_has_the_same_columns_with_typed_values(
        self, product_request, scored_idea
    ):
        response = export(product_request(), "xlsx", notes={scored_idea.pk: "Top"})

        header, row = xlsx_rows(response)
        assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
        assert response["Content-Disposition"].startswith(
            'attachment; filename="ideas-'
        )
        assert header[12:14] == ("Price", "Comfort")
        assert header[-1] == "Shortlist note"
        assert row[0] == scored_idea.pk
        assert row[1] == "Shoes that dry overnight"
        assert row[8:14] == (3, 2, 4, scored_idea.score, 2, 4.5)
        assert row[15] is None  # Alice gave no consent
        created = timezone.localtime(scored_idea.created_at).replace(tzinfo=None)
        assert abs(row[16] - created) < datetime.timedelta(milliseconds=1)
        assert row[17] == "Top"

    def test_it_drops_characters_xml_cannot_hold(self, product_request):
        IdeaFactory(title="Bell\x07 and escape\x1b")

        header, row = xlsx_rows(export(product_request(), "xlsx"))

        assert row[1] == "Bell and escape"


class TestJson:
    def test_it_keeps_values_as_data(self, product_request, scored_idea, alice):
        User.objects.filter(pk=alice.pk).update(contact_consent=True)

        response = export(
            product_request(), "json", notes={scored_idea.pk: "=formula stays"}
        )

        assert response.streaming
        assert response["Content-Type"] == "application/json"
        [row] = json_rows(response)
        assert row == {
            "id": scored_idea.pk,
            "title": "Shoes that dry overnight",
            "link": f"http://testserver/ideas/{scored_idea.pk}/",
            "campaign": "Running shoes 2027",
            "category": "Running",
            "language": "en",
            "tags": ["drying", "trail"],
            "status": "published",
            "supports": 3,
            "supports_last_7_days": 2,
            "comments": 4,
            "score": scored_idea.score,
            "criteria": {"Price": 2.0, "Comfort": 4.5},
            "author": "Alice",
            "author_email": "alice@example.com",
            "created_at": row["created_at"],
            "note": "=formula stays",
        }
        created = datetime.datetime.fromisoformat(row["created_at"])
        assert abs(created - scored_idea.created_at) < datetime.timedelta(
            milliseconds=1
        )

    def test_an_empty_list_is_an_empty_array(self, product_request):
        assert json_rows(export(product_request(), "json")) == []
