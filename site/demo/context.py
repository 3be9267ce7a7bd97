"""What every part of the demo shares: its seed, its moment and where it reports."""

from __future__ import annotations

import datetime
import random
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module

import markdown
import nh3
from django.contrib.auth.hashers import make_password

from cocreate import markup
from cocreate.members.models import User
from ideas.models import CampaignPage, Category
from ideas.statuses import IdeaStatus

DEMO_PASSWORD = "cocreate-demo"  # noqa: S105 - published in the README on purpose
DEFAULT_SEED = 2027
#: How far back the ideas, supports and comments go.
HISTORY_DAYS = 56
#: The languages the demo is written in. English is each part's own constants;
#: another language's are the constants of the same names in ``content_<code>``.
LANGUAGES = ("en", "fr")


def in_language(language: str, name: str, english):
    """The demo text called ``name`` in ``language``: the English constant given,
    or the constant of that name in ``cocreate.demo.content_<language>``."""
    if language == "en":
        return english
    return getattr(import_module(f"cocreate.demo.content_{language}"), name)


def french_columns(language: str, name: str, english):
    """What fills the ``_fr`` columns of the brand's content: the French demo
    texts in the English demo; blanks in a demo already written in French."""
    if language == "en":
        return in_language("fr", name, english)
    return [{} if isinstance(item, dict) else ("",) * len(item) for item in english]


_MARKDOWN: markdown.Markdown | None = None


def render_markdown(text: str, *, inert: tuple[str, ...] = ()) -> str:
    """``cocreate.markup.render_markdown``, with one Markdown converter reused
    (building one per text doubles the cost of 100,000 descriptions). The seed
    runs in one thread; a converter is not thread-safe.

    ``inert``: parts of the text made of letters, digits, spaces and plain
    punctuation, which Markdown and the sanitiser leave as they are (an idea's
    title and product): texts alike but for them are rendered once, the parts
    put back into the HTML (a brand's descriptions share a few thousand)."""
    if not inert or not all(_INERT.fullmatch(part) for part in inert):
        return _render(text)
    parts = sorted(inert, key=len, reverse=True)
    template = text
    for number, part in enumerate(parts):
        template = template.replace(part, f"{_MARK}{number}{_MARK}")
    html = _RENDERED.get(template)
    if html is None:
        html = _RENDERED[template] = _render(template)
    for number, part in reversed(list(enumerate(parts))):
        html = html.replace(f"{_MARK}{number}{_MARK}", part)
    return html


#: What Markdown and nh3 pass through unchanged: no emphasis, code, link,
#: entity or line break can start in it.
_INERT = re.compile(r"(?:[^\W_]|[ '’(),.-])+")
_MARK = "zqxinertzqx"
_RENDERED: dict[str, str] = {}


def _render(text: str) -> str:
    global _MARKDOWN  # noqa: PLW0603 - built once, on first use
    if _MARKDOWN is None:
        _MARKDOWN = markdown.Markdown(
            extensions=["sane_lists", "nl2br"], output_format="html"
        )
    html = _MARKDOWN.reset().convert(text or "")
    return nh3.clean(
        html,
        tags=markup.ALLOWED_TAGS,
        attributes=markup.ALLOWED_ATTRIBUTES,
        url_schemes=markup.URL_SCHEMES,
        link_rel="nofollow ugc noopener noreferrer",
    )


@dataclass
class Demo:
    seed: int
    now: datetime.datetime
    today: datetime.date
    write: Callable[[str], object]
    #: The language the demo is written in; every member and idea speaks it,
    #: except the few French speakers of the English demo.
    language: str = "en"
    _password_hash: str | None = field(default=None, repr=False)

    def rng(self, part: str) -> random.Random:
        """One generator per part, so a part seeded later looks the same."""
        return random.Random(f"{self.seed}:{part}")

    def text(self, name: str, english):
        """The text ``name`` in the demo's language (see ``in_language``)."""
        return in_language(self.language, name, english)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Report how long a part of the seed took, by the clock and in CPU (on
        a busy machine the clock says more about the others)."""
        clock, cpu = time.monotonic(), time.process_time()
        yield
        self.write(
            f"  {name}: {time.monotonic() - clock:.1f} s "
            f"({time.process_time() - cpu:.1f} s of CPU)"
        )

    @property
    def password_hash(self) -> str:
        # Hashed once: hashing per member would take a quarter second each.
        if self._password_hash is None:
            self._password_hash = make_password(DEMO_PASSWORD)
        return self._password_hash


@dataclass
class IdeaPlan:
    """An idea before it is written: what it says, who wrote it, how liked it is."""

    title: str
    description: str
    author: User
    campaign: CampaignPage | None
    category: Category
    created_at: datetime.datetime
    tags: tuple[str, ...]
    palette: tuple[str, str]
    weight: float
    status: str = IdeaStatus.PUBLISHED
    language: str = "en"
    supports: int = 0
    #: What its description says as Markdown leaves it (see ``render_markdown``).
    inert: tuple[str, ...] = ()
    #: Its id, once written.
    idea_id: int | None = None
