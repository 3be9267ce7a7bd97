"""What each app holds about a member, and how it forgets it.

Apps register from their own ``AppConfig.ready`` (ideas, rewards, notifications
do), so this app never imports them:

- ``register_exporter(name, fn)``: ``fn(member)`` returns JSON-ready data, or an
  ``Exported`` with files too; the download holds it as ``<name>.json``.
- ``register_eraser(name, fn)``: ``fn(member, keep_content)`` removes or
  pseudonymises what the app holds, inside the erasure's transaction, before the
  member's own row is anonymised (so it still reads their name and email).

What ``cocreate.members`` and allauth hold (consents, second factors) is read by
``cocreate.privacy.account_data``, since this app imports ``cocreate.members``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models.fields.files import FieldFile


@dataclass
class Exported:
    """An exporter's answer with files: ``files`` maps a path inside the zip
    (``ideas/12/idea-12-0.jpg``) to the name of a file in the default storage,
    or to a model's file field (``image.image``) read from its own storage (idea
    images are private media)."""

    data: Any
    files: dict[str, str | FieldFile] = field(default_factory=dict)


Exporter = Callable[[Any], Any]
Eraser = Callable[[Any, bool], None]

_EXPORTERS: dict[str, Exporter] = {}
_ERASERS: dict[str, Eraser] = {}


def register_exporter(name: str, exporter: Exporter) -> None:
    """Add (or replace, for a ``ready()`` run twice) the exporter of ``name``."""
    _EXPORTERS[name] = exporter


def register_eraser(name: str, eraser: Eraser) -> None:
    _ERASERS[name] = eraser


def exporters() -> dict[str, Exporter]:
    return dict(_EXPORTERS)


def erasers() -> dict[str, Eraser]:
    return dict(_ERASERS)
