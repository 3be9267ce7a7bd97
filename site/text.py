"""Text that people type, made safe to store and show.

A title, a name or a tag is one line: a CR/LF in it would break an email header
(``BadHeaderError``) or a CSV row, and invisible controls or bidirectional
overrides (U+202A-U+202E, U+2066-U+2069) can make "gpj.exe" read as "exe.jpg".
``single_line`` turns line breaks and tabs into spaces and removes every other C0
and C1 control and the bidi overrides; ``multi_line`` keeps newlines and tabs.
``SingleLineCharField`` and ``MultiLineCharField`` apply them in forms.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms

BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
#: Breaks of lines and paragraphs, tabs included: a space in a single line.
_BREAKS = re.compile(r"[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+")
#: Controls (C0 but tab and newline, DEL, C1) and bidi overrides: removed.
_CONTROLS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
_SPACES = re.compile(r" {2,}")


def single_line(value: str) -> str:
    """One line of plain text: breaks and tabs become one space, controls go."""
    value = _CONTROLS.sub("", _BREAKS.sub(" ", value))
    return _SPACES.sub(" ", value).strip()


def multi_line(value: str) -> str:
    """Lines of plain text (an address): newlines and tabs stay, controls go."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", value).strip()


class SingleLineCharField(forms.CharField):
    """A CharField for titles, names, tags, codes and links."""

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return single_line(value) if value else value


class MultiLineCharField(forms.CharField):
    """A CharField for a few lines (a postal address)."""

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return multi_line(value) if value else value
