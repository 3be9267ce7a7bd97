"""Exports of ideas (CSV, XLSX, JSON): content, neutralised formulas, the consent
rule, the audit log, constant queries, and the admin list's export buttons."""

from __future__ import annotations

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from cocreate.members.models import User
from ideas.models import Criterion, Idea, IdeaStatus
from ideas.product import exports, scoring
from ideas.product.exports import export_response
from tests.factories import IdeaFactory, SupportFactory, UserFactory

pytestmark = pytest.mark.django_db

ADMIN_IDEAS = "/admin/ideas/"


@pytest.fixture
def product_request(rf, product):
    def make(path: str = "/admin/"):
        request = rf.get(path)
        request.user = product
        return request

    return make


@pytest.fixture
def criteria(db):
    Criterion.objects.all().delete()  # the ones a data migration creates
    comfort = Criterion.objects.create(name="Comfort", weight=2, scale=5, position=1)
    price = Criterion.objects.create(name="Price", weight=1, scale=5, position=0)
    Criterion.objects.create(name="Retired", position=2, is_active=False)
    return comfort, price


def content_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return b"".join(response)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content_of(response).decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(content_of(response)))
    return list(workbook.active.iter_rows(values_only=True))


def json_rows(response) -> list[dict]:
    return json.loads(content_of(response))


def export(request, fmt: str, ideas=None, **kwargs):
    ideas = Idea.objects.order_by("pk") if ideas is None else ideas
    return export_response(
        request, ideas=ideas, fmt=fmt, source=kwargs.pop("source", "test"), **kwargs
    )


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
        assert [row[8] for row in rows[1:]] == ["0", "0", "0", "1", "0"]

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
        assert header[11:13] == ("Price", "Comfort")
        assert header[-1] == "Shortlist note"
        assert row[0] == scored_idea.pk
        assert row[1] == "Shoes that dry overnight"
        assert row[7:13] == (3, 2, 4, scored_idea.score, 2, 4.5)
        assert row[14] is None  # Alice gave no consent
        created = timezone.localtime(scored_idea.created_at).replace(tzinfo=None)
        assert abs(row[15] - created) < datetime.timedelta(milliseconds=1)
        assert row[16] == "Top"

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


TRIGGERS = ["=", "+", "-", "@", "\t", "\r"]


class TestFormulas:
    @pytest.mark.parametrize("trigger", TRIGGERS)
    def test_csv_cells_that_would_run_are_neutralised(self, product_request, trigger):
        idea = IdeaFactory(title=f'{trigger}HYPERLINK("http://evil.example")')

        rows = csv_rows(export(product_request(), "csv", notes={idea.pk: trigger}))

        assert rows[1][1] == f'\'{trigger}HYPERLINK("http://evil.example")'
        assert rows[1][-1] == f"'{trigger}"

    @pytest.mark.parametrize("trigger", TRIGGERS)
    def test_xlsx_cells_that_would_run_are_neutralised(self, product_request, trigger):
        IdeaFactory(title=f"{trigger}1+1")

        header, row = xlsx_rows(export(product_request(), "xlsx"))

        # XML reads a carriage return back as a line feed; the cell is text anyway.
        assert row[1] == f"'{trigger}1+1".replace("\r", "\n")

    def test_criterion_names_and_authors_are_text_cells_too(
        self, product_request, criteria
    ):
        Criterion.objects.create(name="=cmd|' /C calc'!A0", position=5)
        IdeaFactory(author=UserFactory(display_name="@SUM(1)"))

        csv_header, csv_row = csv_rows(export(product_request(), "csv"))
        xlsx_header, xlsx_row = xlsx_rows(export(product_request(), "xlsx"))

        assert "'=cmd|' /C calc'!A0" in csv_header
        assert "'=cmd|' /C calc'!A0" in xlsx_header
        assert "'@SUM(1)" in csv_row and "'@SUM(1)" in xlsx_row

    def test_numbers_and_plain_text_are_left_alone(self):
        assert exports.neutralise("Shoes -20%") == "Shoes -20%"
        assert exports.neutralise("") == ""
        assert exports.neutralise("-20%") == "'-20%"


class TestConsent:
    @pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
    def test_only_consenting_authors_emails_are_exported(
        self, product_request, alice, bob, fmt
    ):
        User.objects.filter(pk=alice.pk).update(contact_consent=True)
        IdeaFactory(author=alice)
        IdeaFactory(author=bob)

        response = export(product_request(), fmt, Idea.objects.order_by("pk"))
        body = content_of(response)

        if fmt == "xlsx":
            workbook = openpyxl.load_workbook(io.BytesIO(body))
            cells = [
                str(cell)
                for row in workbook.active.iter_rows(values_only=True)
                for cell in row
            ]
            assert "alice@example.com" in cells
            assert "bob@example.com" not in cells
        else:
            assert b"alice@example.com" in body
            assert b"bob@example.com" not in body


class TestAuditLog:
    @pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
    def test_every_export_is_logged_with_its_rows(self, product_request, product, fmt):
        IdeaFactory.create_batch(3)

        content_of(export(product_request(), fmt, source="ideas: status=published"))

        entry = ModelLogEntry.objects.get(action="cocreate.export")
        assert entry.user == product
        assert entry.label == "ideas: status=published"
        assert entry.data == {
            "format": fmt,
            "source": "ideas: status=published",
            "rows": 3,
            "complete": True,
        }

    def test_a_download_broken_off_logs_the_rows_sent(
        self, product_request, monkeypatch
    ):
        monkeypatch.setattr(exports, "STREAM_PIECE", 1)
        IdeaFactory.create_batch(3)
        response = export(product_request(), "csv")

        stream = iter(response.streaming_content)
        next(stream)  # the header
        next(stream)  # the first idea
        # The server closes the stream when the client goes; like the test client,
        # keep request_finished from closing the test's database connection.
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)

        entry = ModelLogEntry.objects.get(action="cocreate.export")
        assert entry.data["rows"] == 1
        assert entry.data["complete"] is False

    def test_the_action_has_a_label_in_the_history(self):
        assert log_registry.get_action_label("cocreate.export") == "Export ideas"


class TestQueries:
    @pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
    def test_the_query_count_does_not_grow_with_the_rows(
        self, product_request, criteria, product, fmt
    ):
        def make(count: int) -> None:
            for _ in range(count):
                idea = IdeaFactory(author=UserFactory())
                idea.tags.add("trail")
                SupportFactory(idea=idea)
                scoring.score_idea(
                    scorer=product, idea=idea, values={criteria[0].pk: 3}
                )

        def count_queries() -> int:
            with CaptureQueriesContext(connection) as queries:
                content_of(export(product_request(), fmt, notes={}))
            return len(queries)

        make(3)
        count_queries()  # content types and the like, cached from here on
        small = count_queries()
        make(27)
        large = count_queries()

        assert small == large
        # Criteria, ideas, tags, recent supports, criterion means, and the log
        # entry (with its two key checks on SQLite).
        assert large <= 8


class TestAdminList:
    def test_the_product_team_gets_the_filtered_searched_list_in_its_order(
        self, product_client
    ):
        IdeaFactory(title="Zip shoes", status=IdeaStatus.PUBLISHED)
        IdeaFactory(title="Air shoes", status=IdeaStatus.PUBLISHED)
        IdeaFactory(title="Hidden shoes", status=IdeaStatus.HIDDEN)
        IdeaFactory(title="A tent", status=IdeaStatus.PUBLISHED)

        response = product_client.get(
            ADMIN_IDEAS,
            {"status": "published", "q": "shoes", "ordering": "title", "export": "csv"},
        )

        assert response.status_code == 200
        rows = csv_rows(response)
        assert rows[0][:2] == ["ID", "Title"]
        assert [row[1] for row in rows[1:]] == ["Air shoes", "Zip shoes"]
        entry = ModelLogEntry.objects.get(action="cocreate.export")
        assert entry.data["rows"] == 2
        assert "status=published" in entry.data["source"]
        assert "q=shoes" in entry.data["source"]

    @pytest.mark.parametrize("fmt", ["xlsx", "json"])
    def test_xlsx_and_json_come_from_the_same_list(self, product_client, fmt):
        IdeaFactory(title="Air shoes")
        IdeaFactory(title="A tent")

        response = product_client.get(ADMIN_IDEAS, {"q": "shoes", "export": fmt})

        assert response.status_code == 200
        if fmt == "xlsx":
            titles = [row[1] for row in xlsx_rows(response)[1:]]
        else:
            titles = [row["title"] for row in json_rows(response)]
        assert titles == ["Air shoes"]

    def test_the_product_team_sees_three_export_buttons(self, product_client):
        html = product_client.get(ADMIN_IDEAS, {"status": "published"}).content
        html = html.decode()

        assert "Download CSV" in html
        assert "Download XLSX" in html
        assert "Download JSON" in html
        assert "status=published&amp;export=json" in html

    def test_moderators_see_no_export_buttons_and_are_refused(self, client, moderator):
        IdeaFactory()
        client.force_login(moderator)

        listing = client.get(ADMIN_IDEAS).content.decode()
        response = client.get(ADMIN_IDEAS, {"export": "csv"}, follow=True)

        assert "Download CSV" not in listing
        assert "Download JSON" not in listing
        assert response.redirect_chain[-1][0] == "/admin/"
        assert "Only the product team can export ideas." in response.content.decode()
        assert not ModelLogEntry.objects.filter(action="cocreate.export").exists()

    def test_members_are_sent_to_the_admin_log_in(self, alice_client):
        response = alice_client.get(ADMIN_IDEAS, {"export": "csv"})

        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")

    def test_too_many_exports_are_refused_with_a_message(
        self, product_client, settings
    ):
        settings.COCREATE_RATE_LIMITS = {
            **settings.COCREATE_RATE_LIMITS,
            "export": "1/3600",
        }
        IdeaFactory()

        first = product_client.get(ADMIN_IDEAS, {"export": "csv", "status": "hidden"})
        content_of(first)
        second = product_client.get(
            ADMIN_IDEAS, {"export": "csv", "status": "hidden"}, follow=True
        )

        assert first.status_code == 200
        assert second.redirect_chain[-1][0] == f"{ADMIN_IDEAS}?status=hidden"
        assert "Too many exports" in second.content.decode()
        assert ModelLogEntry.objects.filter(action="cocreate.export").count() == 1


def test_the_admin_list_and_its_export_put_the_newest_ideas_first(product_client):
    now = timezone.now()
    for days, title in [(3, "Oldest"), (1, "Newest"), (2, "Middle")]:
        IdeaFactory(title=title, created_at=now - datetime.timedelta(days=days))

    response = product_client.get(reverse("ideas_admin:index"), {"export": "csv"})

    titles = [row[1] for row in csv_rows(response)[1:]]
    assert titles == ["Newest", "Middle", "Oldest"]
