"""Reading values from query strings and forms, so hostile input is ignored.

Anything a visitor can type into a URL reaches these helpers first: a number that
is not one (``²`` passes ``str.isdigit()``), one too large for a database id, a
NUL character (PostgreSQL refuses it in text) or a quote the search backend
would parse. Each helper answers a clean value or the default, never raises.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from typing import Any

from django import forms

#: Database ids are 64-bit signed integers; larger numbers cannot name anything.
MAX_ID = 2**63 - 1

_ASCII_DIGITS = re.compile(r"[0-9]+")
#: Control and unassigned characters, lone surrogates, private use: never meant.
_DROPPED_CATEGORIES = {"Cc", "Cs", "Cn", "Co"}
_KEPT_CONTROLS = {"\t", "\n", "\r"}


def _raw(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name, "")
    return value if isinstance(value, str) else ""


def int_param(
    params: Mapping[str, Any],
    name: str,
    *,
    default: int | None = None,
    minimum: int = 1,
    maximum: int = MAX_ID,
) -> int | None:
    """The parameter as an integer in [minimum, maximum], or ``default``.

    Only ASCII digits (and a leading minus when ``minimum`` is negative) count:
    ``int()`` would also read "²"-like or Arabic-Indic digits.
    """
    raw = _raw(params, name).strip()
    negative = raw.startswith("-") and minimum < 0
    digits = raw[1:] if negative else raw
    if not digits or len(digits) > 20 or not _ASCII_DIGITS.fullmatch(digits):
        return default
    value = -int(digits) if negative else int(digits)
    return value if minimum <= value <= maximum else default


def choice_param(
    params: Mapping[str, Any], name: str, choices: Collection[str], *, default: str = ""
) -> str:
    """The parameter if it is one of ``choices``, else ``default``."""
    raw = _raw(params, name)
    return raw if raw in choices else default


def clean_text(value: str, *, max_length: int = 200) -> str:
    """``value`` without NUL, control or invalid characters, trimmed and capped."""
    kept = "".join(
        char
        for char in value
        if char in _KEPT_CONTROLS
        or unicodedata.category(char) not in _DROPPED_CATEGORIES
    )
    return kept.strip()[:max_length].strip()


def text_param(params: Mapping[str, Any], name: str, *, max_length: int = 200) -> str:
    """The parameter as text a database and a template accept (see ``clean_text``)."""
    return clean_text(_raw(params, name), max_length=max_length)


def search_terms(value: str, *, max_length: int = 200) -> str:
    """Words to search for, safe for every search backend: without double quotes,
    which Wagtail reads as a phrase and SQLite's full-text syntax refuses when one
    is left open (``a"b``)."""
    return " ".join(clean_text(value, max_length=max_length).replace('"', " ").split())


def int_list_param(
    params: Any, name: str, *, minimum: int = 1, maximum: int = MAX_ID
) -> list[int]:
    """Every value of a repeated parameter that reads as an integer in range (a
    ``QueryDict``'s ``getlist``); the others are left out."""
    values = params.getlist(name) if hasattr(params, "getlist") else []
    numbers = (
        int_param({name: value}, name, minimum=minimum, maximum=maximum)
        for value in values
    )
    return [number for number in numbers if number is not None]


class IdChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` that refuses, as an invalid choice, a value that is
    no database id (one past 64 bits overflows SQLite and PostgreSQL)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if int_param({"id": str(value)}, "id") is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)
