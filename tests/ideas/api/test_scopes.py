"""The REST API's token scopes and the owner's permissions on writes."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from ideas.models import (
    Criterion,
    IdeaStatus,
    Promotion,
    Score,
    ShortlistEntry,
    StatusChange,
)
from tests.ideas.api.helpers import Api, assert_error, make_token

#: WhiteNoise warns on every request when collectstatic has not run; not our topic.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def grant(user, codename: str) -> None:
    user.user_permissions.add(Permission.objects.get(codename=codename))


# Scopes and the owner's permissions -----------------------------------------------
def test_a_read_token_reads_but_does_not_write(reader_api, idea):
    assert reader_api.get(f"/ideas/{idea.pk}").status_code == 200
    response = reader_api.post(
        f"/ideas/{idea.pk}/status", {"status": "under_review", "note": "Looking."}
    )
    assert "write scope" in assert_error(response, 403)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PUBLISHED


def test_a_token_without_a_scope_row_only_reads(client, product, idea):
    api = Api(client, make_token(product, scope=None))
    assert api.get("/ideas").status_code == 200
    assert_error(
        api.post(f"/ideas/{idea.pk}/status", {"status": "declined", "note": "No."}),
        403,
    )


def test_a_write_token_changes_a_status_with_a_note(product_api, product, idea):
    response = product_api.post(
        f"/ideas/{idea.pk}/status",
        {"status": "under_review", "note": "The team is testing it."},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "under_review"
    change = StatusChange.objects.get(idea=idea)
    assert (change.actor, change.note) == (product, "The team is testing it.")


def test_it_promotes_and_ships_through_the_services(product_api, product, idea):
    target = timezone.localdate() + datetime.timedelta(days=30)
    response = product_api.post(
        f"/ideas/{idea.pk}/promotion",
        {
            "ticket_key": "RND-142",
            "ticket_url": "https://jira.example.com/RND-142",
            "owner_id": product.pk,
            "target_date": target.isoformat(),
            "note": "Prototype this spring.",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "in_rnd"
    assert body["promotion"]["ticket_key"] == "RND-142"
    assert body["promotion"]["owner"] == {"id": product.pk, "name": "Petra"}
    response = product_api.post(
        f"/ideas/{idea.pk}/shipping",
        {"product_url": "https://shop.example.com/dry", "note": "In shops now."},
    )
    assert response.status_code == 200, response.content
    promotion = Promotion.objects.get(idea=idea)
    assert promotion.shipped_by == product
    assert promotion.product_url == "https://shop.example.com/dry"
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SHIPPED


def test_it_adds_notes_and_removes_shortlist_entries(product_api, idea, shortlist):
    response = product_api.post(
        f"/shortlists/{shortlist.pk}/ideas",
        {
            "idea_id": idea.pk,
            "note": "Strong demand.",
            "mark_shortlisted": True,
            "status_note": "On our list for 2027.",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["note"] == "Strong demand."
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SHORTLISTED
    response = product_api.send(
        "patch", f"/shortlists/{shortlist.pk}/ideas/{idea.pk}", {"note": "Top pick."}
    )
    assert response.status_code == 200, response.content
    assert ShortlistEntry.objects.get(shortlist=shortlist).note == "Top pick."
    response = product_api.send("delete", f"/shortlists/{shortlist.pk}/ideas/{idea.pk}")
    assert response.status_code == 204
    assert not ShortlistEntry.objects.filter(shortlist=shortlist).exists()
    response = product_api.send("delete", f"/shortlists/{shortlist.pk}/ideas/{idea.pk}")
    assert_error(response, 404)


def test_it_scores_an_idea(product_api, product, idea):
    impact = Criterion.objects.create(name="Impact", weight=2, scale=5)
    effort = Criterion.objects.create(name="Effort", weight=1, scale=5)
    response = product_api.send(
        "put",
        f"/ideas/{idea.pk}/scores",
        [
            {"criterion_id": impact.pk, "value": 5},
            {"criterion_id": effort.pk, "value": 2},
        ],
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"score": 80.0, "scorers_count": 1}
    assert Score.objects.filter(idea=idea, scorer=product).count() == 2
    detail = product_api.get(f"/ideas/{idea.pk}").json()
    assert [c["name"] for c in detail["criteria"]] == ["Impact", "Effort"]
    response = product_api.send(
        "put", f"/ideas/{idea.pk}/scores", [{"criterion_id": impact.pk, "value": 9}]
    )
    assert "from 1 to 5" in assert_error(response, 400)


def test_moderators_do_not_get_the_api_by_default(client, moderator, idea):
    assert_error(Api(client, make_token(moderator)).get("/ideas"), 403)


def test_a_moderator_given_the_api_changes_statuses_but_does_not_promote(
    client, moderator, idea
):
    grant(moderator, "use_api")
    api = Api(client, make_token(moderator))
    response = api.post(
        f"/ideas/{idea.pk}/status", {"status": "declined", "note": "Out of scope."}
    )
    assert response.status_code == 200, response.content
    idea.status = IdeaStatus.PUBLISHED
    idea.save()
    response = api.post(
        f"/ideas/{idea.pk}/promotion",
        {"ticket_key": "RND-1", "owner_id": moderator.pk, "note": "Go."},
    )
    assert "product team" in assert_error(response, 403)
    assert_error(api.get("/shortlists"), 403)


def test_any_member_is_refused_as_the_rnd_owner(product_api, idea, alice):
    response = product_api.post(
        f"/ideas/{idea.pk}/promotion",
        {"ticket_key": "RND-142", "owner_id": alice.pk, "note": "Prototype it."},
    )

    assert "not in the product team or the moderators" in assert_error(response, 400)
    assert not Promotion.objects.exists()
