"""The French catalogue: where its strings come from, how it is rebuilt, and what
it holds.

``make messages`` and the catalogue's test extract with the same function, so a
string the test calls missing is one ``make messages`` adds. Reading a ``.po``
file needs no GNU gettext; extracting and compiling do (``xgettext``,
``msgmerge``, ``msgfmt``).
"""

from __future__ import annotations

import ast
import contextlib
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

# The folders whose files hold the site's strings; everything else at the top of
# the source tree (tests, docs, scripts, virtualenvs) is left out.
SOURCES = ("site", "ideas", "rewards", "templates")
LANGUAGES = ("fr",)
DOMAIN = "django"


def catalogue_path(root: Path, language: str = "fr") -> Path:
    return root / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def gettext_available() -> bool:
    return all(shutil.which(tool) for tool in ("xgettext", "msgmerge", "msgfmt"))


def extract(root: Path, *, keep_obsolete: bool = True) -> None:
    """Bring ``root``'s catalogues up to date with the strings of its sources:
    new strings come in untranslated, vanished ones turn obsolete (``#~``) or,
    with ``keep_obsolete=False``, go."""
    ignored = [entry.name for entry in root.iterdir() if entry.name not in SOURCES]
    with (
        contextlib.chdir(root),
        override_settings(LOCALE_PATHS=[str(root / "locale")]),
    ):
        call_command(
            "makemessages",
            locale=list(LANGUAGES),
            ignore_patterns=ignored,
            no_wrap=True,
            no_obsolete=not keep_obsolete,
            verbosity=0,
        )


def compile_catalogue(root: Path, language: str = "fr") -> Path:
    """Compile the ``.po`` into the ``.mo`` Django reads, checking its formats."""
    po = catalogue_path(root, language)
    mo = po.with_suffix(".mo")
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        raise FileNotFoundError("msgfmt (GNU gettext) is not installed")
    # Fixed arguments: the tool found on PATH and the catalogue's own paths.
    subprocess.run(  # noqa: S603
        [msgfmt, "--check-format", "--check-header", "-o", str(mo), str(po)],
        check=True,
    )
    return mo


def source_root() -> Path:
    return Path(settings.BASE_DIR)


@dataclass
class Message:
    msgid: str
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$")


def _string(literal: str) -> str:
    value = ast.literal_eval(literal)
    if not isinstance(value, str):
        raise ValueError(f"not a string in the catalogue: {literal}")
    return value


def read_po(path: Path) -> list[Message]:
    """The messages of a ``.po`` file, header excluded, obsolete ones marked."""
    messages: list[Message] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        message = _read_block(block)
        if message is not None and message.msgid:
            messages.append(message)
    return messages


def _read_block(block: str) -> Message | None:
    flags: set[str] = set()
    references: list[str] = []
    parts: dict[str, str] = {}
    obsolete = False
    current = ""
    for raw in block.splitlines():
        line = raw.strip()
        if line.startswith("#~"):
            obsolete = True
            line = line[2:].strip()
        elif line.startswith("#,"):
            flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        elif line.startswith("#:"):
            references.extend(line[2:].split())
            continue
        elif line.startswith("#"):
            continue
        if not line:
            continue
        match = _KEYWORD.match(line)
        if match:
            current = match.group(1)
            parts[current] = _string(match.group(2))
        elif line.startswith('"') and current:
            parts[current] += _string(line)
    if "msgid" not in parts:
        return None
    plural = sorted(key for key in parts if key.startswith("msgstr["))
    return Message(
        msgid=parts["msgid"],
        msgid_plural=parts.get("msgid_plural", ""),
        msgctxt=parts.get("msgctxt"),
        msgstr=[parts[key] for key in plural] if plural else [parts.get("msgstr", "")],
        flags=flags,
        references=references,
        obsolete=obsolete,
    )
