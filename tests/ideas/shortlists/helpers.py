"""Helpers the shortlist tests share."""

from __future__ import annotations

from ideas.models import Shortlist, ShortlistEntry
from ideas.product import shortlists


def order(shortlist: Shortlist) -> list[int]:
    return list(
        shortlist.entries.order_by("position", "id").values_list("idea_id", flat=True)
    )


def add(product, shortlist, idea, **kwargs) -> ShortlistEntry:
    return shortlists.add_idea(actor=product, shortlist=shortlist, idea=idea, **kwargs)
