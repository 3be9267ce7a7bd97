"""One neutraliser for every spreadsheet the site writes (CSV and XLSX).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run
as a formula by Excel, LibreOffice and Google Sheets (OWASP's "CSV injection"), and
members choose much of the text we export (display names, titles, account holders).
Every writer passes its text cells through ``neutralise``; Wagtail's ``list_export``
views get it from ``NeutralisedExportMixin``.
"""

from __future__ import annotations

import re
from typing import Any

#: What a spreadsheet runs as a formula when a cell starts with it (OWASP's list).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Control characters that XLSX (XML 1.0) cannot hold.
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(text: str) -> str:
    """Keep a spreadsheet from running a text cell as a formula: a leading
    apostrophe makes it plain text."""
    if text and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def neutralise_cell(value: Any) -> Any:
    """``neutralise`` for a cell of any type: numbers and dates stay as they are."""
    if isinstance(value, str):
        return neutralise(value)
    return value


class NeutralisedExportMixin:
    """For a Wagtail index view with ``list_export``: every text cell and heading of
    its CSV and XLSX goes through ``neutralise`` (and XLSX loses the control
    characters openpyxl refuses), whatever Wagtail's preprocessing made of it.

    Put it before the index view class:
    ``class MyIndexView(NeutralisedExportMixin, IndexView)``.
    """

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        value = super().preprocess_field_value(  # type: ignore[misc]
            field, value, export_format
        )
        if isinstance(value, str) and export_format == "xlsx":
            value = XLSX_ILLEGAL.sub("", value)
        return neutralise_cell(value)

    def get_heading(self, queryset: Any, field: str) -> str:
        # The index view after this mixin has it; mypy sees only ``object``.
        return neutralise(super().get_heading(queryset, field))  # type: ignore[misc]
