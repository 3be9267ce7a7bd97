"""Reads about members that other apps share."""

from __future__ import annotations

#: Relations fetched along with every member shown next to content (a byline, a
#: comment). Apps add theirs in ``AppConfig.ready`` (rewards adds the level), so
#: pages stay at a constant number of queries without knowing those apps.
_RELATED: list[str] = []


def register_related(path: str) -> None:
    if path not in _RELATED:
        _RELATED.append(path)


def member_related(prefix: str) -> list[str]:
    """``select_related`` paths for the member at ``prefix``, e.g. ``"author"``."""
    return [prefix, *(f"{prefix}__{path}" for path in _RELATED)]
