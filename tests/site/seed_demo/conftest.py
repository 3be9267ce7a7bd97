"""The seeded demo the seed_demo tests share."""

from __future__ import annotations

import pytest

from tests.site.seed_demo.helpers import seed


@pytest.fixture
def seeded(db):
    # Per test, not per class: the seed's files and password hashes must follow
    # the per-test settings of conftest (media folder, fast hasher).
    seed("--ideas", "20")
