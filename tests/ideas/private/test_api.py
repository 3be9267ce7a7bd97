"""Private campaigns in the REST API: a token reads what its owner may see."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from ideas.models import TokenScope
from tests.factories import UserFactory
from tests.ideas.api.helpers import Api, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_api(client):
    """A partner's tool: allowed the API, but not part of the brand team."""
    partners = Group.objects.create(name="Partners")
    partners.permissions.add(Permission.objects.get(codename="use_api"))
    partner = UserFactory(display_name="Partner tool")
    partner.groups.add(partners)
    return Api(client, make_token(partner, TokenScope.READ))


@pytest.fixture
def product_api(client, product):
    return Api(client, make_token(product, TokenScope.READ))


def test_the_api_lists_no_private_idea_to_a_token_that_may_not_see_it(
    partner_api, private_idea, members_idea, open_idea
):
    listed = partner_api.get("/ideas").json()["items"]
    campaigns = partner_api.get("/campaigns").json()

    assert {item["id"] for item in listed} == {open_idea.pk, members_idea.pk}
    assert private_idea.campaign_id not in {c["id"] for c in campaigns}
    filtered = partner_api.get("/ideas", campaign=private_idea.campaign_id)
    assert filtered.json()["items"] == []


def test_the_api_does_not_find_a_private_idea_for_such_a_token(
    partner_api, private_idea
):
    assert partner_api.get(f"/ideas/{private_idea.pk}").status_code == 404
    assert partner_api.get(f"/ideas/{private_idea.pk}/comments").status_code == 404


def test_the_product_team_reads_private_ideas_through_the_api(
    product_api, private_idea, secret_idea, open_idea
):
    listed = product_api.get("/ideas").json()["items"]

    assert {item["id"] for item in listed} == {
        private_idea.pk,
        secret_idea.pk,
        open_idea.pk,
    }
    assert product_api.get(f"/ideas/{private_idea.pk}").status_code == 200
