"""The French catalogue is whole: every string of the source is in it, translated,
checked (not fuzzy), with its placeholders; nothing in it is obsolete; the
committed ``.mo`` says what the ``.po`` says; and no template shows text that
bypasses it."""

from __future__ import annotations

import gettext
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

from cocreate import catalogue

ROOT = catalogue.source_root()
PO = catalogue.catalogue_path(ROOT)
MO = PO.with_suffix(".mo")


def describe(message: catalogue.Message) -> str:
    where = message.references[0] if message.references else "?"
    return f"{message.msgid!r} ({where})"


# The committed catalogue ------------------------------------------------------


def test_every_message_is_translated_and_none_is_fuzzy_or_obsolete():
    messages = catalogue.read_po(PO)

    assert len(messages) > 1000
    assert [describe(m) for m in messages if m.obsolete] == []
    assert [describe(m) for m in messages if m.fuzzy] == []
    assert [describe(m) for m in messages if not m.translated] == []


def test_plural_messages_have_both_french_forms():
    plurals = [m for m in catalogue.read_po(PO) if m.msgid_plural]

    assert plurals
    assert [describe(m) for m in plurals if len(m.msgstr) != 2] == []
    assert "plural=(n > 1)" in PO.read_text(encoding="utf-8")


PLACEHOLDER = re.compile(r"%\(\w+\)[sdfi]|%[sdfi]|\{\w*\}")


@pytest.mark.parametrize("form", ["singular", "plural"])
def test_translations_keep_every_placeholder_of_their_message(form):
    wrong = []
    for message in catalogue.read_po(PO):
        if form == "singular":
            source, translations = message.msgid, message.msgstr[:1]
        elif message.msgid_plural:
            source, translations = message.msgid_plural, message.msgstr[1:]
        else:
            continue
        expected = sorted(set(PLACEHOLDER.findall(source)))
        for translation in translations:
            found = sorted(set(PLACEHOLDER.findall(translation)))
            # A French singular may say "une" where English says "%(count)s".
            if found != expected and not (
                message.msgid_plural and set(found) <= set(expected)
            ):
                wrong.append(f"{describe(message)}: {found} ≠ {expected}")
    assert wrong == []


def test_the_committed_mo_says_what_the_po_says():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for message in catalogue.read_po(PO):
        if message.msgid_plural:
            got = [
                compiled.npgettext(
                    message.msgctxt, message.msgid, message.msgid_plural, n
                )
                if message.msgctxt
                else compiled.ngettext(message.msgid, message.msgid_plural, n)
                for n in (1, 2)
            ]
        elif message.msgctxt:
            got = [compiled.pgettext(message.msgctxt, message.msgid)]
        else:
            got = [compiled.gettext(message.msgid)]
        if got != message.msgstr:
            stale.append(describe(message))
    assert stale == [], "run `make messages` to rebuild django.mo"


# The catalogue against the source ---------------------------------------------


def test_the_catalogue_holds_every_string_of_the_source_and_nothing_else(tmp_path):
    """Extract as ``make messages`` does, on a copy of the sources: whatever the
    extraction adds (a new string) or retires (a vanished one) fails here."""
    if not catalogue.gettext_available():
        if os.environ.get("COCREATE_REQUIRE_GETTEXT"):
            pytest.fail("GNU gettext (xgettext, msgmerge, msgfmt) is not installed")
        pytest.skip("GNU gettext (xgettext, msgmerge, msgfmt) is not installed")
    for name in catalogue.SOURCES:
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    copy = catalogue.catalogue_path(tmp_path)
    copy.parent.mkdir(parents=True)
    shutil.copy(PO, copy)

    catalogue.extract(tmp_path)

    extracted = catalogue.read_po(copy)
    assert [describe(m) for m in extracted if not m.obsolete and not m.translated] == []
    assert [describe(m) for m in extracted if m.fuzzy] == []
    assert [describe(m) for m in extracted if m.obsolete] == []


# Templates ---------------------------------------------------------------------

HOLE = "\x00"
SKIPPED_BLOCKS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
    "verbatim": "endverbatim",
}
# Attributes people read (or hear, with a screen reader).
READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description"}
BUTTON_INPUTS = {"submit", "button", "reset"}
WORD = re.compile(r"[^\W\d_]{2,}")
# An HTML tag whose name a template tag writes (``<{% if %}a{% else %}button…>``),
# and attribute hooks set from a block (``{% block body_attrs %}data-live{% … %}``).
TEMPLATED_TAG = re.compile(r"</?\x00[^>]*>")
# A hole right after a tag's name (``<th{% if %} aria-sort=…{% endif %}>``).
HOLE_IN_TAG = re.compile(r"(<[a-zA-Z][\w-]*)\x00")
MARKUP = re.compile(r"\b(?:data|aria|hx)-[\w-]+(?:=\"[^\"]*\")?")
# Names that are the same in every language.
NAMES = {"Cocreate", "CSV", "XLSX", "JSON", "API", "IBAN", "OK", "TOTP", "WebAuthn"}


def without_translated_text(source: str) -> str:
    """The template with every tag, variable and translated block made a hole."""
    parts, closing = [], None
    for token in Lexer(source).tokenize():
        name = token.contents.split()[0] if token.contents.strip() else ""
        if closing:
            if token.token_type == TokenType.BLOCK and name == closing:
                closing = None
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK and name in SKIPPED_BLOCKS:
            closing = SKIPPED_BLOCKS[name]
        parts.append(HOLE)
    return "".join(parts)


class ReadText(HTMLParser):
    """Text nodes and read attributes, outside scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[tuple[int, str]] = []
        self.in_code = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.in_code += 1
        values = dict(attrs)
        for name, value in attrs:
            read = name in READ_ATTRIBUTES or (
                name == "value"
                and tag == "input"
                and values.get("type") in BUTTON_INPUTS
            )
            if read and value:
                self.texts.append((self.getpos()[0], value))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.in_code = max(0, self.in_code - 1)

    def handle_data(self, data):
        if not self.in_code:
            self.texts.append((self.getpos()[0], data))


def shown(text: str) -> str:
    return " ".join(MARKUP.sub(" ", text.replace(HOLE, " ")).split())


def words(text: str) -> list[str]:
    return [word for word in WORD.findall(shown(text)) if word not in NAMES]


def unmarked_text(path: Path, root: Path = ROOT) -> list[str]:
    text = without_translated_text(path.read_text("utf-8"))
    text = HOLE_IN_TAG.sub(r"\1 ", TEMPLATED_TAG.sub(HOLE, text))
    if path.suffix == ".txt":
        texts = list(enumerate(text.splitlines(), start=1))
    else:
        parser = ReadText()
        parser.feed(text)
        parser.close()
        texts = parser.texts
    return [
        f"{path.relative_to(root)}:{line}: {shown(value)}"
        for line, value in texts
        if words(value)
    ]


TEMPLATES = sorted(
    path for path in (ROOT / "templates").rglob("*") if path.suffix in (".html", ".txt")
)


def test_the_scan_sees_the_templates():
    assert len(TEMPLATES) > 50


def test_no_template_shows_text_outside_translate_tags():
    found = [hit for path in TEMPLATES for hit in unmarked_text(path)]

    assert found == []


def test_the_scan_finds_unmarked_text_and_attributes(tmp_path):
    """The scan itself: what it must catch, and what it must let through."""
    page = tmp_path / "page.html"
    page.write_text(
        "{% load i18n %}<h1>{% translate 'Ideas' %}</h1>"
        "<p>Propose an idea</p>"
        '<img src="x.png" alt="A tent">'
        '<input type="submit" value="Send">'
        '<input type="hidden" name="action" value="support">'
        "{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}"
        "{# a note #}{% comment %}Not shown{% endcomment %}"
        "<script>var label = 'not text';</script>"
        '<{% if link %}a{% else %}button{% endif %} class="x">{{ value }}</a>'
        "<p>Cocreate &middot; CSV</p>",
        encoding="utf-8",
    )
    mail = tmp_path / "mail.txt"
    mail.write_text("{% load i18n %}{% translate 'Hello' %}\nThanks for\n", "utf-8")

    html_hits, text_hits = unmarked_text(page, tmp_path), unmarked_text(mail, tmp_path)

    assert html_hits == [
        "page.html:1: Propose an idea",
        "page.html:1: A tent",
        "page.html:1: Send",
    ]
    assert text_hits == ["mail.txt:2: Thanks for"]
