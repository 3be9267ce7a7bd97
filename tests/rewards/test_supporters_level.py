"""The supporters' level: rewards adds it to the product team's community signals
(``ideas.evaluation``) as the mean level number of an idea's supporters, computed
in SQL over their wallets, without ``ideas`` knowing ``rewards``."""

from __future__ import annotations

import pytest

from ideas import events
from ideas.models import Idea
from ideas.product import evaluation
from rewards import selectors
from rewards.models import Level
from tests.factories import IdeaFactory, SupportFactory, UserFactory
from tests.rewards.helpers import earn

pytestmark = pytest.mark.usefixtures("clean_audit")


def supporters_level(idea: Idea) -> float | None:
    return (
        selectors.annotate_supporters_level(Idea.objects.filter(pk=idea.pk))
        .get()
        .supporters_level
    )


def test_levels_are_numbered_from_one_by_threshold(db):
    # The defaults: Newcomer 0, Contributor 50, Co-creator 250, Innovator 1000, …
    idea = IdeaFactory()
    for amount in (1, 60, 300):  # levels 1, 2 and 3
        member = UserFactory()
        earn(member, amount)
        SupportFactory(idea=idea, member=member)

    assert supporters_level(idea) == pytest.approx(2.0)


def test_supporters_without_a_wallet_or_level_are_left_out(db):
    idea = IdeaFactory()
    SupportFactory(idea=idea, member=UserFactory())  # never earned: no wallet
    expert = UserFactory()
    earn(expert, 1_200)  # Innovator, level 4
    SupportFactory(idea=idea, member=expert)

    assert supporters_level(idea) == pytest.approx(4.0)


def test_an_idea_nobody_supports_has_no_level(db):
    assert supporters_level(IdeaFactory()) is None


def test_only_the_ideas_own_supporters_count(db):
    first, second = IdeaFactory(), IdeaFactory()
    novice, expert = UserFactory(), UserFactory()
    earn(novice, 10)
    earn(expert, 6_000)  # Visionary, level 5
    SupportFactory(idea=first, member=novice)
    SupportFactory(idea=second, member=expert)
    SupportFactory(idea=second, member=novice)

    assert supporters_level(first) == pytest.approx(1.0)
    assert supporters_level(second) == pytest.approx(3.0)


def test_renumbering_follows_an_edit_of_the_levels(db):
    idea = IdeaFactory()
    member = UserFactory()
    earn(member, 300)  # Co-creator, level 3
    SupportFactory(idea=idea, member=member)

    Level.objects.create(name="Apprentice", threshold=20)

    assert supporters_level(idea) == pytest.approx(4.0)


def test_rewards_registers_the_signal_for_the_product_team(db):
    names = {signal.name for signal in evaluation.registered_signals()}
    assert "supporters_level" in names
    assert "supporters_level" in evaluation.sort_keys()
    idea = IdeaFactory()
    member = UserFactory()
    earn(member, 60)
    SupportFactory(idea=idea, member=member)

    annotated = evaluation.with_signals(Idea.objects.filter(pk=idea.pk)).get()

    assert annotated.supporters_level == pytest.approx(2.0)


@pytest.fixture
def without_rewards_receiver():
    """As if rewards were not installed: its evaluation receiver is disconnected."""
    from rewards.apps import supporters_level_signal

    uid = "rewards.supporters_level"
    events.register_evaluation_signals.disconnect(dispatch_uid=uid)
    yield
    events.register_evaluation_signals.connect(
        supporters_level_signal, dispatch_uid=uid
    )


def test_without_rewards_the_column_is_absent(db, without_rewards_receiver):
    IdeaFactory()

    annotated = evaluation.with_signals(Idea.objects.all()).get()

    assert not hasattr(annotated, "supporters_level")
    assert "supporters_level" not in evaluation.sort_keys()


def test_sorting_by_the_level_puts_ideas_without_supporters_last(db):
    low, high, empty = IdeaFactory(), IdeaFactory(), IdeaFactory()
    novice, expert = UserFactory(), UserFactory()
    earn(novice, 10)
    earn(expert, 1_500)
    SupportFactory(idea=low, member=novice)
    SupportFactory(idea=high, member=expert)

    ordered = evaluation.order_by_key(
        evaluation.with_signals(Idea.objects.all()), "supporters_level"
    )

    assert list(ordered) == [high, low, empty]


def test_the_level_is_one_subquery_whatever_the_number_of_ideas(
    db, django_assert_num_queries
):
    for _ in range(5):
        member = UserFactory()
        earn(member, 60)
        SupportFactory(idea=IdeaFactory(), member=member)

    with django_assert_num_queries(1):
        values = [
            i.supporters_level
            for i in selectors.annotate_supporters_level(Idea.objects.all())
        ]

    assert values == [pytest.approx(2.0)] * 5
