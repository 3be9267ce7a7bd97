"""cocreate.spreadsheets: one neutraliser for every CSV and XLSX the site writes."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Model
from django.urls import reverse

from cocreate import spreadsheets
from cocreate.spreadsheets import NeutralisedExportMixin, neutralise, neutralise_cell


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_starting_like_a_formula_becomes_text(trigger):
    assert neutralise(f"{trigger}1+1") == f"'{trigger}1+1"


def test_plain_text_is_left_alone():
    assert neutralise("Shoes -20%") == "Shoes -20%"
    assert neutralise("") == ""
    assert neutralise("'=already text") == "'=already text"


def test_cells_of_other_types_are_left_alone():
    when = datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC)
    assert neutralise_cell(-5) == -5
    assert neutralise_cell(None) is None
    assert neutralise_cell(when) is when
    assert neutralise_cell("-5") == "'-5"


def test_every_writer_uses_the_one_neutraliser():
    from ideas.product import exports
    from rewards import payouts

    assert exports.neutralise is spreadsheets.neutralise
    assert payouts.neutralise is spreadsheets.neutralise


@pytest.mark.django_db
def test_every_list_export_of_the_back_office_is_neutralised():
    from wagtail.admin.viewsets import viewsets
    from wagtail.admin.viewsets.base import ViewSet

    reverse("wagtailadmin_home")  # loads the admin's URLs, so its viewsets
    ours = ("ideas", "rewards", "members", "pages", "notifications")
    exporting = [
        viewset
        for viewset in viewsets.viewsets
        if isinstance(getattr(viewset, "model", None), type)
        and issubclass(viewset.model, Model)
        and viewset.model._meta.app_label in ours
        and getattr(viewset, "list_export", None) not in (None, [], ViewSet.UNDEFINED)
    ]
    assert exporting, "the redemptions queue exports, at least"
    for viewset in exporting:
        assert issubclass(viewset.index_view_class, NeutralisedExportMixin), viewset
