"""The world of objects, built once per module, the URL permission tests share."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.site.url_permissions.helpers import (
    _build_world,
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its
    end; each test runs in a savepoint of it, so what a request changes (a merge
    undone, a redemption approved) is undone before the next one."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)
