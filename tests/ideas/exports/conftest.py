"""The requests and scored ideas the export tests share."""

from __future__ import annotations

import pytest

from ideas.models import Criterion


@pytest.fixture
def product_request(rf, product):
    def make(path: str = "/admin/"):
        request = rf.get(path)
        request.user = product
        return request

    return make


@pytest.fixture
def criteria(db):
    Criterion.objects.all().delete()  # the ones a data migration creates
    comfort = Criterion.objects.create(name="Comfort", weight=2, scale=5, position=1)
    price = Criterion.objects.create(name="Price", weight=1, scale=5, position=0)
    Criterion.objects.create(name="Retired", position=2, is_active=False)
    return comfort, price
