"""Exports of ideas: neutralised formulas, consent, audit log, constant queries."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from cocreate.members import consents
from cocreate.members.models import User
from ideas.models import Criterion, Idea
from ideas.product import exports, scoring
from tests.factories import IdeaFactory, SupportFactory, UserFactory
from tests.ideas.exports.helpers import (
    content_of,
    csv_rows,
    export,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db


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

    def test_a_withdrawn_consent_takes_the_email_out_again(
        self, product_request, alice
    ):
        consents.set_consent(
            member=alice, purpose="contact", granted=True, source="settings"
        )
        IdeaFactory(author=alice)
        assert b"alice@example.com" in content_of(
            export(product_request(), "csv", Idea.objects.all())
        )

        consents.set_consent(
            member=alice, purpose="contact", granted=False, source="settings"
        )

        body = content_of(export(product_request(), "csv", Idea.objects.all()))
        assert b"alice@example.com" not in body


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
