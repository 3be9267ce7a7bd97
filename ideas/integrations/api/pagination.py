"""Cursor (keyset) pagination: the cursor is the sort key of the last row sent,
so a page never repeats or skips rows when new ones arrive, and each page is one
indexed query whatever its depth."""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ideas.errors import InvalidInput


@dataclass(frozen=True)
class Key:
    """One column of a sort order, with its type for decoding the cursor."""

    field: str
    kind: type  # int, float or datetime.datetime
    descending: bool = True


def _encode_value(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def _decode_value(value, kind: type):
    if kind is datetime.datetime:
        if not isinstance(value, str):
            raise ValueError
        moment = datetime.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError
        return moment
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError
        if not math.isfinite(value):
            raise ValueError
        return float(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError
    if not -(2**63) < value < 2**63:
        raise ValueError
    return value


def encode_cursor(name: str, keys: Sequence[Key], row) -> str:
    values = [_encode_value(getattr(row, key.field)) for key in keys]
    raw = json.dumps({"o": name, "k": values}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, name: str, keys: Sequence[Key]) -> list:
    invalid = InvalidInput(
        _("This cursor is not valid for this list; start again from the first page.")
    )
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("o") != name:
            raise invalid
        values = data.get("k")
        if not isinstance(values, list) or len(values) != len(keys):
            raise invalid
        return [
            _decode_value(value, key.kind)
            for value, key in zip(values, keys, strict=True)
        ]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise invalid from exc


def after(queryset: QuerySet, keys: Sequence[Key], values: Sequence) -> QuerySet:
    """Rows strictly after ``values`` in the order of ``keys``: (a, b, c) after
    (x, y, z) is a beyond x, or a = x and b beyond y, or …"""
    condition = Q()
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        lookup = "lt" if key.descending else "gt"
        condition |= equal & Q(**{f"{key.field}__{lookup}": value})
        equal &= Q(**{key.field: value})
    return queryset.filter(condition)


def page(
    queryset: QuerySet,
    *,
    name: str,
    keys: Sequence[Key],
    cursor: str | None,
    limit: int,
) -> tuple[list, str | None]:
    """One page of an ordered queryset and the cursor of the next (or None)."""
    if cursor:
        queryset = after(queryset, keys, decode_cursor(cursor, name, keys))
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor(name, keys, rows[-1])
