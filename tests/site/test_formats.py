"""Money, numbers and dates as the reader's language writes them (Django's own
formats for the language): one way to show money, ``cocreate.money``."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from cocreate.money import money, money_from_cents

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "€1,000.50"), ("fr", f"1{NBSP}000,50{NBSP}€")],
)
def test_money_follows_the_language(language, expected):
    with translation.override(language):
        assert money(Decimal("1000.5"), "EUR") == expected
        assert money_from_cents(100050, "EUR") == expected


def test_money_without_a_symbol_names_its_currency():
    with translation.override("en"):
        assert money(12, "SEK") == f"SEK{NBSP}12.00"
        assert money(-5, "USD") == "-$5.00"
    with translation.override("fr"):
        assert money(12, "SEK") == f"12,00{NBSP}SEK"
        assert money(0, "") == "0,00"


def test_the_money_tag_is_the_same_helper():
    template = Template("{% load rewards_tags %}{% money cents 'EUR' %}")
    with translation.override("fr"):
        assert template.render(Context({"cents": 100050})) == f"1{NBSP}000,50{NBSP}€"
    with translation.override("en"):
        assert template.render(Context({"cents": 100050})) == "€1,000.50"


def test_points_and_dates_follow_the_language():
    day = datetime.date(2026, 12, 3)
    template = Template("{% load humanize %}{{ points|intcomma }} · {{ day|date }}")
    with translation.override("fr"):
        assert template.render(Context({"points": 12500, "day": day})) == (
            f"12{NBSP}500 · 3 décembre 2026"
        )
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "03/12/2026"
    with translation.override("en"):
        assert template.render(Context({"points": 12500, "day": day})) == (
            "12,500 · Dec. 3, 2026"
        )
