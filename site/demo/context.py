"""What every part of the demo shares: its seed, its moment and where it reports."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from cocreate.members.models import User
from ideas.models import CampaignPage, Category, Idea
from ideas.statuses import IdeaStatus

DEMO_PASSWORD = "cocreate-demo"  # noqa: S105 - published in the README on purpose
DEFAULT_SEED = 2027
#: How far back the ideas, supports and comments go.
HISTORY_DAYS = 56


@dataclass
class Demo:
    seed: int
    now: datetime.datetime
    today: datetime.date
    write: Callable[[str], object]
    _password_hash: str | None = field(default=None, repr=False)

    def rng(self, part: str) -> random.Random:
        """One generator per part, so a part seeded later looks the same."""
        return random.Random(f"{self.seed}:{part}")

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
    supports: int = 0
    idea: Idea | None = None
