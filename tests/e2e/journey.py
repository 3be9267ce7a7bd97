"""What every browser journey shares: Playwright's ``expect`` and the marks."""

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips (or, in CI, fails) these tests
    expect = None

#: Browser journeys run one worker at a time, on committed rows: the server sees
#: only those, and serialized rollback brings back the data migrations' rows (site,
#: home page, groups) that a flush removes.
JOURNEY_MARKS = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("e2e"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

__all__ = ["JOURNEY_MARKS", "expect"]
