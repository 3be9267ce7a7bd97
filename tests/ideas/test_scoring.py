"""Scoring: product-team members score ideas on weighted criteria; the idea's score
is the mean over its scorers of their weighted means, as a percentage."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from wagtail.models import ModelLogEntry

from ideas.errors import InvalidInput, NotAllowed
from ideas.models import Criterion, Idea, IdeaStatus, Score
from ideas.product import scoring
from ideas.product.scoring import Rating, idea_score
from tests.factories import IdeaFactory, UserFactory


@pytest.fixture
def criteria(db) -> dict[str, Criterion]:
    """Two criteria of our own, the defaults of the migration put aside."""
    Criterion.objects.update(is_active=False)
    return {
        "benefit": Criterion.objects.create(name="Usefulness", weight=3, scale=5),
        "cost": Criterion.objects.create(name="Cheap to make", weight=1, scale=10),
    }


@pytest.fixture
def scorer2(db):
    """Piet, a second member of the product team."""
    member = UserFactory(email="piet@example.com", display_name="Piet")
    member.groups.add(Group.objects.get(name="Product team"))
    return member


def stored(idea: Idea) -> tuple[float | None, int]:
    fresh = Idea.objects.get(pk=idea.pk)
    return fresh.score, fresh.scorers_count


# The maths ---------------------------------------------------------------------------


def test_nobody_scored_means_no_score():
    assert idea_score([]) == (None, 0)


def test_a_scorer_counts_each_criterion_as_a_fraction_of_its_scale_by_weight():
    # (3 * 4/5 + 1 * 5/10) / 4 = (2.4 + 0.5) / 4 = 0.725
    assert idea_score([Rating(1, 4, 3, 5), Rating(1, 5, 1, 10)]) == (72.5, 1)


def test_the_idea_score_is_the_mean_over_scorers():
    ratings = [
        Rating(1, 5, 3, 5),  # scorer 1: 100 %
        Rating(1, 10, 1, 10),
        Rating(2, 1, 3, 5),  # scorer 2: (3 * 0.2 + 1 * 0.1) / 4 = 17.5 %
        Rating(2, 1, 1, 10),
    ]
    assert idea_score(ratings) == (58.8, 2)  # 58.75 rounded to one decimal


def test_a_scorer_who_scored_one_criterion_counts_on_that_one_only():
    ratings = [Rating(1, 5, 3, 5), Rating(2, 5, 1, 10)]  # 100 % and 50 %
    assert idea_score(ratings) == (75.0, 2)


def test_scores_round_to_one_decimal_half_up():
    assert idea_score([Rating(1, 2, 1, 3)]) == (66.7, 1)  # 66.666…
    assert idea_score([Rating(1, 1, 1, 3)]) == (33.3, 1)  # 33.333…
    # 12.5 % and 10 %: 11.25 shows as 11.3 (round() on floats would say 11.2).
    assert idea_score([Rating(1, 1, 1, 8), Rating(2, 1, 1, 10)]) == (11.3, 2)


def test_scores_are_exact_at_the_ends_of_the_scale():
    assert idea_score([Rating(1, 5, 3, 5), Rating(1, 10, 1, 10)]) == (100.0, 1)
    assert idea_score([Rating(1, 1, 10, 10)]) == (10.0, 1)


# score_idea ---------------------------------------------------------------------------


def test_scoring_stores_the_score_on_the_idea(product, idea, criteria):
    result = scoring.score_idea(
        scorer=product,
        idea=idea,
        values={criteria["benefit"].pk: 4, criteria["cost"].pk: 5},
    )

    assert result == (72.5, 1)
    assert stored(idea) == (72.5, 1)
    assert Score.objects.filter(idea=idea, scorer=product).count() == 2


def test_two_scorers_are_averaged(product, scorer2, idea, criteria):
    benefit, cost = criteria["benefit"].pk, criteria["cost"].pk
    scoring.score_idea(scorer=product, idea=idea, values={benefit: 5, cost: 10})
    scoring.score_idea(scorer=scorer2, idea=idea, values={benefit: 1, cost: 1})

    assert stored(idea) == (58.8, 2)


def test_scoring_again_replaces_the_scorers_own_scores(product, idea, criteria):
    benefit = criteria["benefit"].pk
    scoring.score_idea(scorer=product, idea=idea, values={benefit: 1})
    scoring.score_idea(scorer=product, idea=idea, values={benefit: 5})

    assert Score.objects.get(idea=idea, scorer=product).value == 5
    assert stored(idea) == (100.0, 1)


def test_clearing_a_score_takes_it_out(product, scorer2, idea, criteria):
    benefit, cost = criteria["benefit"].pk, criteria["cost"].pk
    scoring.score_idea(scorer=product, idea=idea, values={benefit: 5, cost: 10})
    scoring.score_idea(scorer=scorer2, idea=idea, values={benefit: 1})

    scoring.score_idea(scorer=scorer2, idea=idea, values={benefit: None})

    assert stored(idea) == (100.0, 1)
    assert not Score.objects.filter(scorer=scorer2).exists()
    scoring.score_idea(scorer=product, idea=idea, values={benefit: None, cost: None})
    assert stored(idea) == (None, 0)


def test_inactive_criteria_keep_their_scores_but_count_no_more(product, idea, criteria):
    benefit, cost = criteria["benefit"], criteria["cost"]
    scoring.score_idea(scorer=product, idea=idea, values={benefit.pk: 5, cost.pk: 1})
    assert stored(idea) == (77.5, 1)  # (3 * 1 + 1 * 0.1) / 4

    Criterion.objects.filter(pk=cost.pk).update(is_active=False)
    assert scoring.rescore([idea.pk]) == 1

    assert stored(idea) == (100.0, 1)
    assert Score.objects.filter(criterion=cost).count() == 1


def test_rescore_follows_a_change_of_weight(product, idea, criteria):
    benefit, cost = criteria["benefit"], criteria["cost"]
    scoring.score_idea(scorer=product, idea=idea, values={benefit.pk: 5, cost.pk: 1})
    Criterion.objects.filter(pk=cost.pk).update(weight=3)

    assert scoring.rescore() == 1

    assert stored(idea) == (55.0, 1)  # (3 * 1 + 3 * 0.1) / 6
    assert scoring.rescore() == 0  # nothing left to change


def test_rescore_clears_a_score_whose_scores_are_gone(product, idea, criteria):
    scoring.score_idea(scorer=product, idea=idea, values={criteria["benefit"].pk: 3})
    Score.objects.all().delete()

    assert scoring.rescore() == 1

    assert stored(idea) == (None, 0)


def test_criterion_means_per_idea_and_criterion(product, scorer2, criteria):
    idea, other = IdeaFactory(), IdeaFactory()
    benefit, cost = criteria["benefit"].pk, criteria["cost"].pk
    scoring.score_idea(scorer=product, idea=idea, values={benefit: 5, cost: 2})
    scoring.score_idea(scorer=scorer2, idea=idea, values={benefit: 2})
    scoring.score_idea(scorer=product, idea=other, values={cost: 7})

    means = scoring.criterion_means([idea.pk, other.pk])

    assert means == {idea.pk: {benefit: 3.5, cost: 2.0}, other.pk: {cost: 7.0}}


def test_scoring_is_audit_logged(product, idea, criteria):
    scoring.score_idea(scorer=product, idea=idea, values={criteria["benefit"].pk: 4})

    entry = ModelLogEntry.objects.get(action="cocreate.idea.score")
    assert entry.user_id == product.pk and entry.object_id == str(idea.pk)
    assert entry.data["score"] == 80.0


# Validation ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 6, -1])
def test_values_out_of_the_scale_are_refused(product, idea, criteria, value):
    with pytest.raises(InvalidInput, match="Usefulness is scored from 1 to 5."):
        scoring.score_idea(
            scorer=product, idea=idea, values={criteria["benefit"].pk: value}
        )
    assert not Score.objects.exists()
    assert stored(idea) == (None, 0)


def test_a_refusal_keeps_the_valid_scores_out_too(product, idea, criteria):
    with pytest.raises(InvalidInput, match="Cheap to make is scored from 1 to 10."):
        scoring.score_idea(
            scorer=product,
            idea=idea,
            values={criteria["benefit"].pk: 4, criteria["cost"].pk: 11},
        )
    assert not Score.objects.exists()


def test_an_inactive_or_unknown_criterion_is_refused(product, idea, criteria):
    retired = Criterion.objects.create(name="Old one", is_active=False)

    for criterion_id in (retired.pk, 999_999):
        with pytest.raises(InvalidInput, match="no longer in use"):
            scoring.score_idea(scorer=product, idea=idea, values={criterion_id: 3})

    assert not Score.objects.exists()


@pytest.mark.parametrize(
    "status",
    [IdeaStatus.HIDDEN, IdeaStatus.DRAFT, IdeaStatus.DUPLICATE, IdeaStatus.PENDING],
)
def test_ideas_out_of_public_view_cannot_be_scored(product, criteria, status):
    idea = IdeaFactory(status=status)

    with pytest.raises(InvalidInput, match="cannot be scored"):
        scoring.score_idea(
            scorer=product, idea=idea, values={criteria["benefit"].pk: 3}
        )

    assert not Score.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "bob", "moderator"])
def test_only_the_product_team_scores(request, idea, criteria, persona):
    member = request.getfixturevalue(persona)

    with pytest.raises(NotAllowed, match="Only the product team scores ideas."):
        scoring.score_idea(scorer=member, idea=idea, values={criteria["benefit"].pk: 3})

    assert not Score.objects.exists()


def test_nothing_to_score_is_refused(product, idea, criteria):
    with pytest.raises(InvalidInput, match="Please score"):
        scoring.score_idea(scorer=product, idea=idea, values={})


def test_the_default_criteria_are_in_use(db):
    names = list(Criterion.objects.filter(is_active=True).values_list("name", "weight"))
    assert names == [
        ("Benefit", 3),
        ("Feasibility", 2),
        ("Time to market", 1),
        ("Desirability", 2),
    ]


# Criteria through their service -----------------------------------------------------


def _scored(product, idea, criteria) -> None:
    benefit, cost = criteria["benefit"], criteria["cost"]
    scoring.score_idea(scorer=product, idea=idea, values={benefit.pk: 5, cost.pk: 1})
    assert stored(idea) == (77.5, 1)  # (3 * 1 + 1 * 0.1) / 4


def test_a_new_weight_rescores_the_ideas_in_the_same_transaction(
    product, idea, criteria
):
    _scored(product, idea, criteria)
    cost = criteria["cost"]
    cost.weight = 3

    scoring.save_criterion(actor=product, criterion=cost)

    assert Criterion.objects.get(pk=cost.pk).weight == 3
    assert stored(idea) == (55.0, 1)  # (3 * 1 + 3 * 0.1) / 6


def test_a_new_scale_or_taking_a_criterion_out_of_use_rescores(product, idea, criteria):
    _scored(product, idea, criteria)
    cost = criteria["cost"]
    cost.scale = 2
    scoring.save_criterion(actor=product, criterion=cost)
    assert stored(idea) == (87.5, 1)  # (3 * 1 + 1 * 1/2) / 4

    cost.is_active = False
    scoring.save_criterion(actor=product, criterion=cost)
    assert stored(idea) == (100.0, 1)


def test_a_new_name_or_place_rescores_nothing(product, idea, criteria, monkeypatch):
    _scored(product, idea, criteria)
    calls = []
    monkeypatch.setattr(scoring, "rescore", lambda ids=None: calls.append(ids) or 0)
    cost = criteria["cost"]
    cost.name, cost.position = "Cheap to build", 7

    scoring.save_criterion(actor=product, criterion=cost)

    assert Criterion.objects.get(pk=cost.pk).name == "Cheap to build"
    assert calls == []


def test_a_new_criterion_is_saved_and_logged(product, criteria):
    criterion = scoring.save_criterion(
        actor=product, criterion=Criterion(name="Fun", weight=2, scale=5)
    )

    assert Criterion.objects.get(name="Fun").pk == criterion.pk
    assert (
        ModelLogEntry.objects.for_instance(criterion)
        .filter(action="wagtail.create", user=product)
        .exists()
    )


def test_a_criterion_change_is_logged_with_what_it_rescored(product, idea, criteria):
    _scored(product, idea, criteria)
    cost = criteria["cost"]
    cost.weight = 3

    scoring.save_criterion(actor=product, criterion=cost)

    entry = ModelLogEntry.objects.for_instance(cost).get(action="wagtail.edit")
    assert entry.user == product
    assert entry.data == {"changed": ["weight"], "rescored": 1}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weight": 11}, "The weight goes from 1 to 10."),
        ({"weight": 0}, "The weight goes from 1 to 10."),
        ({"scale": 1}, "The scale goes from 2 to 10."),
        ({"name": "Usefulness"}, "There is already a criterion named “Usefulness”."),
        ({"name": "  "}, "Please give the criterion a name."),
    ],
)
def test_an_invalid_criterion_is_refused_and_nothing_changes(
    product, idea, criteria, changes, message
):
    _scored(product, idea, criteria)
    cost = criteria["cost"]
    for field, value in changes.items():
        setattr(cost, field, value)

    with pytest.raises(InvalidInput, match=message):
        scoring.save_criterion(actor=product, criterion=cost)

    fresh = Criterion.objects.get(pk=cost.pk)
    assert (fresh.name, fresh.weight, fresh.scale) == ("Cheap to make", 1, 10)
    assert stored(idea) == (77.5, 1)


def test_a_scale_below_the_scores_given_is_refused(product, idea, criteria):
    cost = criteria["cost"]
    scoring.score_idea(scorer=product, idea=idea, values={cost.pk: 8})
    cost.scale = 5

    with pytest.raises(InvalidInput, match="scored up to 8 on this criterion"):
        scoring.save_criterion(actor=product, criterion=cost)

    assert Criterion.objects.get(pk=cost.pk).scale == 10


@pytest.mark.parametrize("persona", ["alice", "moderator"])
def test_only_the_product_team_sets_criteria(request, criteria, persona):
    cost = criteria["cost"]
    cost.weight = 3

    with pytest.raises(NotAllowed):
        scoring.save_criterion(actor=request.getfixturevalue(persona), criterion=cost)

    assert Criterion.objects.get(pk=cost.pk).weight == 1


def test_deleting_a_criterion_rescores_the_ideas_scored_on_it(
    superuser, product, idea, criteria
):
    _scored(product, idea, criteria)
    cost = criteria["cost"]

    assert scoring.delete_criterion(actor=superuser, criterion=cost) == 1

    assert not Criterion.objects.filter(pk=cost.pk).exists()
    assert stored(idea) == (100.0, 1)
    assert (
        ModelLogEntry.objects.for_instance(cost)
        .filter(action="wagtail.delete", user=superuser)
        .exists()
    )


def test_the_product_team_may_not_delete_criteria(product, idea, criteria):
    _scored(product, idea, criteria)

    with pytest.raises(NotAllowed):
        scoring.delete_criterion(actor=product, criterion=criteria["cost"])

    assert Criterion.objects.filter(pk=criteria["cost"].pk).exists()
    assert stored(idea) == (77.5, 1)
