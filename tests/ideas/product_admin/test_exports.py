"""Exporting a shortlist from the product team's back office."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from ideas.product import shortlists
from tests.factories import UserFactory
from tests.ideas.product_admin.helpers import (
    messages_of,
    page_url,
    rows,
)


# Exports -------------------------------------------------------------------------
def _export(client, shortlist, fmt, sort=""):
    return client.get(
        reverse("product_shortlists:export", args=[shortlist.pk]),
        {"format": fmt, "sort": sort},
    )


def test_the_export_follows_the_pages_order_with_the_notes(
    product_client, shoes, three, product
):
    a, _b, _c = three
    shortlists.set_note(actor=product, shortlist=shoes, idea=a, note="Lab first")

    manual = _export(product_client, shoes, "csv")
    by_score = _export(product_client, shoes, "csv", sort="score")

    assert manual.status_code == 200
    text = b"".join(manual.streaming_content).decode("utf-8-sig")
    assert rows(text, ["Apple laces", "Banana soles", "Cherry heels"]) == [
        "Cherry heels",
        "Apple laces",
        "Banana soles",
    ]
    assert "Lab first" in text
    scored = b"".join(by_score.streaming_content).decode("utf-8-sig")
    assert rows(scored, ["Apple laces", "Banana soles", "Cherry heels"]) == [
        "Apple laces",
        "Cherry heels",
        "Banana soles",
    ]
    assert "attachment" in manual["Content-Disposition"]


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
def test_the_export_offers_excel_and_json(product_client, shoes, three, fmt):
    response = _export(product_client, shoes, fmt)

    assert response.status_code == 200
    assert f".{fmt}" in response["Content-Disposition"]


def test_the_page_offers_the_export_to_those_who_may_export(
    product_client, shoes, three
):
    html = product_client.get(page_url(shoes, "score")).content.decode()

    assert reverse("product_shortlists:export", args=[shoes.pk]) in html
    assert 'name="sort" value="score"' in html


def test_an_unknown_format_is_refused_in_words(product_client, shoes, three):
    response = _export(product_client, shoes, "pdf")

    assert response.status_code == 302
    follow = product_client.get(response["Location"])
    assert "Choose CSV, Excel or JSON." in messages_of(follow)


def test_exports_are_rate_limited(product_client, shoes, three, settings):
    settings.COCREATE_RATE_LIMITS = {**settings.COCREATE_RATE_LIMITS, "export": "0/60"}

    response = _export(product_client, shoes, "csv")

    assert response.status_code == 302
    assert "Too many exports" in " ".join(
        messages_of(product_client.get(response["Location"]))
    )


def test_those_who_may_not_export_are_refused(client, shoes, three):
    viewer = UserFactory()
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_shortlist"])
    )
    client.force_login(viewer)

    response = _export(client, shoes, "csv")

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_the_admin_idea_list_leads_the_product_team_to_each_evaluation(
    client, product, moderator, idea
):
    from django.urls import reverse

    evaluation = reverse("product:evaluate", args=[idea.pk])
    client.force_login(product)
    assert evaluation in client.get(reverse("ideas_admin:index")).content.decode()
    client.force_login(moderator)
    assert evaluation not in client.get(reverse("ideas_admin:index")).content.decode()
