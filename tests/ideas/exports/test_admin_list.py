"""The admin list of ideas and its export buttons."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from ideas.models import IdeaStatus
from tests.factories import IdeaFactory
from tests.ideas.exports.helpers import (
    content_of,
    csv_rows,
    json_rows,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db


ADMIN_IDEAS = "/admin/ideas/"


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

    def test_members_are_sent_to_the_log_in(self, alice_client):
        response = alice_client.get(ADMIN_IDEAS, {"export": "csv"})

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

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
