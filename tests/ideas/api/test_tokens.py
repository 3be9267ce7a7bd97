"""The back-office pages where members create and revoke their API tokens."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import APIToken, ModelLogEntry

from ideas.models import (
    TokenScope,
)
from tests.factories import (
    UserFactory,
)
from tests.ideas.api.helpers import Api, assert_error, make_token

#: WhiteNoise warns on every request when collectstatic has not run; not our topic.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


# Tokens in the back office --------------------------------------------------------
def test_a_product_member_creates_a_token_shown_once(product_client, product, idea):
    response = product_client.post(
        reverse("api_tokens:add"), {"name": "Jira sync", "scope": "write"}
    )
    assert response.status_code == 200
    token = APIToken.objects.get(user=product)
    html = response.content.decode()
    start = html.index('id="api-token-value"')
    plaintext = html[start:].split('value="', 1)[1].split('"', 1)[0]
    assert plaintext.startswith(token.prefix)
    assert "no-store" in response["Cache-Control"]
    # Only a keyed hash is stored, never the token itself.
    assert token.key_hash == APIToken.hash_token(plaintext)
    stored = [
        str(v) for v in APIToken.objects.filter(pk=token.pk).values().get().values()
    ]
    assert plaintext not in stored
    assert token.cocreate_scope.scope == TokenScope.WRITE
    entry = ModelLogEntry.objects.get(action="wagtail.apitoken.create")
    assert (entry.object_id, entry.user, entry.data) == (
        str(token.pk),
        product,
        {"scope": "write"},
    )
    # The list never shows it again.
    listing = product_client.get(reverse("api_tokens:index")).content.decode()
    assert "Jira sync" in listing
    assert plaintext not in listing
    # And it works, with the write scope.
    api = Api(product_client, plaintext)
    response = api.post(
        f"/ideas/{idea.pk}/status", {"status": "declined", "note": "No."}
    )
    assert response.status_code == 200


def test_a_token_is_read_only_unless_chosen_otherwise(product_client, product):
    form = product_client.get(reverse("api_tokens:add")).content.decode()
    assert 'value="read"' in form
    product_client.post(reverse("api_tokens:add"), {"name": "BI", "scope": "read"})
    assert APIToken.objects.get(user=product).cocreate_scope.scope == TokenScope.READ
    response = product_client.post(reverse("api_tokens:add"), {"name": "X"})
    assert response.status_code == 200
    assert APIToken.objects.filter(user=product).count() == 1  # form error shown


def test_revoking_a_token_stops_it(product_client, product, idea):
    plaintext = make_token(product)
    token = APIToken.objects.get(user=product)
    response = product_client.post(reverse("api_tokens:delete", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ModelLogEntry.objects.filter(
        action="wagtail.apitoken.revoke", object_id=str(token.pk), user=product
    ).exists()
    assert_error(Api(product_client, plaintext).get("/ideas"), 401)


def test_a_member_cannot_see_or_revoke_another_members_token(product_client, product):
    colleague = UserFactory(display_name="Paul")
    colleague.groups.add(Group.objects.get(name="Product team"))
    make_token(colleague, name="Paul token")
    token = APIToken.objects.get(user=colleague)
    listing = product_client.get(reverse("api_tokens:index")).content.decode()
    assert "Paul token" not in listing
    assert (
        product_client.get(reverse("api_tokens:edit", args=[token.pk])).status_code
        == 404
    )
    response = product_client.post(reverse("api_tokens:delete", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_members_without_the_api_permission_get_no_token_pages(
    client, moderator, product
):
    make_token(product)
    token = APIToken.objects.get(user=product)
    client.force_login(moderator)
    for url in [
        reverse("api_tokens:index"),
        reverse("api_tokens:edit", args=[token.pk]),
        reverse("api_tokens:delete", args=[token.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("wagtailadmin_home")
    client.post(reverse("api_tokens:delete", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is None
    response = client.post(reverse("api_tokens:add"), {"name": "X", "scope": "write"})
    assert response.status_code == 302
    assert not APIToken.objects.filter(user=moderator).exists()


def test_superusers_see_and_revoke_everyones_tokens(client, product):
    make_token(product, name="Petra token")
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert "Petra token" in client.get(reverse("api_tokens:index")).content.decode()
    token = APIToken.objects.get(user=product)
    client.post(reverse("api_tokens:delete", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_account_page_links_to_the_tokens(product_client):
    html = product_client.get(reverse("wagtailadmin_account")).content.decode()
    assert reverse("api_tokens:index") in html
