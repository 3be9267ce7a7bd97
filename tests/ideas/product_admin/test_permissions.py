"""Who reaches the product team's back-office pages and buttons."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.urls import reverse

from ideas.models import (
    Score,
    Shortlist,
    ShortlistEntry,
)
from tests.factories import UserFactory
from tests.ideas.product_admin.helpers import (
    evaluate_url,
    page_url,
    put_on,
)


# Permissions ----------------------------------------------------------------------
def test_moderators_and_members_do_not_reach_the_product_pages(
    client, moderator, alice, shoes, idea
):
    urls = [
        reverse("product_shortlists:index"),
        page_url(shoes),
        reverse("product_criteria:index"),
        evaluate_url(idea),
    ]
    client.force_login(moderator)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home"), url
    client.force_login(alice)
    for url in urls:
        assert client.get(url)["Location"].startswith(reverse("account_login"))


def test_moderators_cannot_write_to_shortlists(mod_client, product, shoes, idea):
    put_on(shoes, idea, actor=product)

    mod_client.post(reverse("product_shortlists:remove", args=[shoes.pk, idea.pk]))
    mod_client.post(evaluate_url(idea, "score"), {})
    mod_client.post(
        evaluate_url(idea, "shortlist"),
        {"shortlist": Shortlist.objects.create(name="Other").pk},
    )

    assert ShortlistEntry.objects.filter(idea=idea).count() == 1
    assert not Score.objects.exists()


def test_a_viewer_of_shortlists_sees_no_write_buttons(client, product, shoes, idea):
    put_on(shoes, idea, actor=product)
    viewer = UserFactory()
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_shortlist"])
    )
    client.force_login(viewer)

    response = client.get(page_url(shoes))

    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("product_shortlists:remove", args=[shoes.pk, idea.pk]) not in html
    assert reverse("product_shortlists:export", args=[shoes.pk]) not in html
    refused = client.post(
        reverse("product_shortlists:remove", args=[shoes.pk, idea.pk])
    )
    assert refused.status_code == 302
    assert ShortlistEntry.objects.filter(shortlist=shoes).exists()


def test_the_product_menu_shows_for_the_product_team_only(client, product, moderator):
    client.force_login(product)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("product_shortlists:index") in html
    assert reverse("product_criteria:index") in html
    client.force_login(moderator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("product_shortlists:index") not in html


def test_the_public_idea_page_links_to_the_evaluation_for_the_product_team(
    client, product, moderator, idea
):
    client.force_login(product)
    assert evaluate_url(idea) in client.get(idea.get_absolute_url()).content.decode()
    client.force_login(moderator)
    assert (
        evaluate_url(idea) not in client.get(idea.get_absolute_url()).content.decode()
    )
