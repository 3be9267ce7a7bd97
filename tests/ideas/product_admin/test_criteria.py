"""The product team's scoring criteria: edits rescore the ideas."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from ideas.errors import InvalidInput
from ideas.models import (
    Criterion,
    Idea,
)
from ideas.product import scoring
from tests.factories import UserFactory
from tests.ideas.product_admin.helpers import (
    _score,
)


def _criterion_form(criterion, **changes):
    data = {
        "name": criterion.name,
        "description": criterion.description,
        "weight": criterion.weight,
        "scale": criterion.scale,
        "position": criterion.position,
        "is_active": "on" if criterion.is_active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_editing_a_criterion_rescores_the_ideas(product_client, product, idea):
    _score(product, idea, Benefit=5, Feasibility=1)
    before = Idea.objects.get(pk=idea.pk).score
    feasibility = Criterion.objects.get(name="Feasibility")

    response = product_client.post(
        reverse("product_criteria:edit", args=[feasibility.pk]),
        _criterion_form(feasibility, is_active=""),
    )

    assert response.status_code == 302
    assert before == pytest.approx(100 * (3 * 5 / 5 + 2 * 1 / 5) / 5)
    assert Idea.objects.get(pk=idea.pk).score == 100.0


def test_a_new_weight_rescores_the_ideas(product_client, product, idea):
    _score(product, idea, Benefit=5, Feasibility=1)
    benefit = Criterion.objects.get(name="Benefit")

    product_client.post(
        reverse("product_criteria:edit", args=[benefit.pk]),
        _criterion_form(benefit, weight=8),
    )

    assert Idea.objects.get(pk=idea.pk).score == pytest.approx(
        round(100 * (8 * 1 + 2 * 0.2) / 10, 1)
    )


def test_deleting_a_criterion_rescores_the_ideas(client, product, idea):
    _score(product, idea, Benefit=5, Feasibility=1)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    feasibility = Criterion.objects.get(name="Feasibility")

    client.post(reverse("product_criteria:delete", args=[feasibility.pk]))

    assert not Criterion.objects.filter(pk=feasibility.pk).exists()
    assert Idea.objects.get(pk=idea.pk).score == 100.0


def test_a_new_weight_through_the_admin_is_one_logged_edit(
    product_client, product, idea
):
    _score(product, idea, Benefit=5, Feasibility=1)
    benefit = Criterion.objects.get(name="Benefit")

    response = product_client.post(
        reverse("product_criteria:edit", args=[benefit.pk]),
        _criterion_form(benefit, weight=8),
    )

    assert response.status_code == 302
    [entry] = ModelLogEntry.objects.for_instance(benefit)
    assert (entry.action, entry.user) == ("wagtail.edit", product)
    assert entry.data == {"changed": ["weight"], "rescored": 1}


def test_a_scale_below_the_scores_is_refused_in_words_keeping_what_was_typed(
    product_client, product, idea
):
    _score(product, idea, Benefit=5, Feasibility=4)
    feasibility = Criterion.objects.get(name="Feasibility")
    before = Idea.objects.get(pk=idea.pk).score

    response = product_client.post(
        reverse("product_criteria:edit", args=[feasibility.pk]),
        _criterion_form(feasibility, name="Buildable", scale=3),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ideas were already scored up to 4 on this criterion" in page
    assert 'value="Buildable"' in page
    fresh = Criterion.objects.get(pk=feasibility.pk)
    assert (fresh.name, fresh.scale) == ("Feasibility", 5)
    assert Idea.objects.get(pk=idea.pk).score == before
    assert not ModelLogEntry.objects.for_instance(feasibility).exists()


def test_the_product_team_adds_a_criterion_that_counts_from_now(
    product_client, product, idea
):
    _score(product, idea, Benefit=5, Feasibility=1)
    before = Idea.objects.get(pk=idea.pk).score

    response = product_client.post(
        reverse("product_criteria:add"),
        {
            "name": "Fun",
            "description": "",
            "weight": 2,
            "scale": 5,
            "position": 9,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert Criterion.objects.get(name="Fun").weight == 2
    assert Idea.objects.get(pk=idea.pk).score == before


def test_a_refused_deletion_says_why_and_keeps_the_criterion(
    client, superuser, product, idea, monkeypatch
):
    _score(product, idea, Benefit=5, Feasibility=1)
    feasibility = Criterion.objects.get(name="Feasibility")

    def refuse(*, actor, criterion):
        raise InvalidInput("This criterion was deleted meanwhile.")

    monkeypatch.setattr(scoring, "delete_criterion", refuse)
    client.force_login(superuser)

    response = client.post(reverse("product_criteria:delete", args=[feasibility.pk]))

    assert response.status_code == 200
    assert "This criterion was deleted meanwhile." in response.content.decode()
    assert Criterion.objects.filter(pk=feasibility.pk).exists()


def test_an_invalid_criterion_is_refused_and_nothing_changes(
    product_client, product, idea
):
    _score(product, idea, Benefit=5, Feasibility=1)
    benefit = Criterion.objects.get(name="Benefit")
    before = Idea.objects.get(pk=idea.pk).score

    response = product_client.post(
        reverse("product_criteria:edit", args=[benefit.pk]),
        _criterion_form(benefit, weight=11),
    )

    assert response.status_code == 200
    assert Criterion.objects.get(pk=benefit.pk).weight == 3
    assert Idea.objects.get(pk=idea.pk).score == before
