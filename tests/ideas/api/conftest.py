"""The API clients and shortlist the REST API tests share."""

from __future__ import annotations

import pytest

from ideas.models import (
    Shortlist,
    TokenScope,
)
from tests.ideas.api.helpers import Api, make_token


@pytest.fixture
def product_api(client, product):
    return Api(client, make_token(product, TokenScope.WRITE))


@pytest.fixture
def reader_api(client, product):
    return Api(client, make_token(product, TokenScope.READ))


@pytest.fixture
def shortlist(product):
    return Shortlist.objects.create(name="Running shoes 2027", created_by=product)
