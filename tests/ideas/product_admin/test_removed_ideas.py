"""An idea its author removed when erasing their account, in the product back office.

The shortlist keeps its row (the team placed, noted and scored it) without its
words or links; no export carries it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from ideas.models import Idea, IdeaStatus
from tests.ideas.exports.helpers import csv_rows, json_rows, xlsx_rows
from tests.ideas.product_admin.helpers import page_url

pytestmark = pytest.mark.django_db

TITLES = {
    "csv": lambda response: [row[1] for row in csv_rows(response)[1:]],
    "xlsx": lambda response: [row[1] for row in xlsx_rows(response)[1:]],
    "json": lambda response: [row["title"] for row in json_rows(response)],
}


@pytest.fixture
def removed(three):
    """Apple laces, as the erasure leaves it: a placeholder title, no text."""
    a, _b, _c = three
    Idea.objects.filter(pk=a.pk).update(
        status=IdeaStatus.REMOVED, title="[removed]", description=""
    )
    return a


def test_the_shortlist_shows_it_only_as_removed_by_its_author(
    product_client, shoes, removed
):
    html = product_client.get(page_url(shoes)).content.decode()

    row = html.split(f'data-idea="{removed.pk}"')[1].split("</tr>")[0]
    assert "<em>Removed by its author</em>" in row
    assert f'href="{removed.get_absolute_url()}"' not in row
    assert reverse("product:evaluate", args=[removed.pk]) not in row
    assert "Banana soles" in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_the_shortlists_export_leaves_it_out(product_client, shoes, removed, fmt):
    response = product_client.get(
        reverse("product_shortlists:export", args=[shoes.pk]), {"format": fmt}
    )

    assert sorted(TITLES[fmt](response)) == ["Banana soles", "Cherry heels"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_the_ideas_export_leaves_it_out(product_client, removed, fmt):
    response = product_client.get("/admin/ideas/", {"export": fmt})

    assert sorted(TITLES[fmt](response)) == ["Banana soles", "Cherry heels"]
