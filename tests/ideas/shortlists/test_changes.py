"""Removing ideas from a shortlist, their notes and their order."""

from __future__ import annotations

import pytest

from ideas.errors import AlreadyDone, InvalidInput
from ideas.models import Idea, IdeaStatus, ShortlistEntry
from ideas.product import shortlists
from tests.factories import IdeaFactory
from tests.ideas.shortlists.helpers import add, order


# Removing, notes, order ----------------------------------------------------------
def test_removing_takes_the_idea_off_and_keeps_its_status(product, shoes, idea):
    add(product, shoes, idea, mark_shortlisted=True, status_note="On our list!")

    shortlists.remove_idea(actor=product, shortlist=shoes, idea=idea)

    assert not shoes.entries.exists()
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.SHORTLISTED


def test_removing_an_idea_that_is_not_there_says_so(product, shoes, idea):
    with pytest.raises(AlreadyDone, match="not on this shortlist"):
        shortlists.remove_idea(actor=product, shortlist=shoes, idea=idea)


def test_set_note_changes_the_note(product, shoes, idea):
    add(product, shoes, idea, note="First thoughts")

    entry = shortlists.set_note(
        actor=product, shortlist=shoes, idea=idea, note=" Needs a prototype "
    )

    assert entry.note == "Needs a prototype"
    assert ShortlistEntry.objects.get(pk=entry.pk).note == "Needs a prototype"


def test_set_note_refuses_long_notes_and_ideas_not_on_the_list(product, shoes, idea):
    with pytest.raises(InvalidInput, match="not on this shortlist"):
        shortlists.set_note(actor=product, shortlist=shoes, idea=idea, note="Hi")
    add(product, shoes, idea, note="Kept")

    with pytest.raises(InvalidInput, match="2,000"):
        shortlists.set_note(actor=product, shortlist=shoes, idea=idea, note="x" * 2001)

    assert shoes.entries.get().note == "Kept"


def test_reorder_sets_the_manual_order(product, shoes):
    ideas = IdeaFactory.create_batch(3)
    for idea in ideas:
        add(product, shoes, idea)
    wanted = [ideas[2].pk, ideas[0].pk, ideas[1].pk]

    shortlists.reorder(actor=product, shortlist=shoes, idea_ids=wanted)

    assert order(shoes) == wanted
    assert list(shoes.entries.values_list("position", flat=True)) == [0, 1, 2]


@pytest.mark.parametrize(
    "ids",
    [
        lambda a, b, c, other: [a, b],  # one missing
        lambda a, b, c, other: [a, b, c, other],  # one that is not on it
        lambda a, b, c, other: [a, a, b, c],  # one twice
        lambda a, b, c, other: [],
    ],
)
def test_reorder_refuses_a_list_that_is_not_the_shortlist(product, shoes, ids):
    ideas = IdeaFactory.create_batch(3)
    for idea in ideas:
        add(product, shoes, idea)
    other = IdeaFactory()
    before = order(shoes)

    with pytest.raises(InvalidInput, match="reload the page"):
        shortlists.reorder(
            actor=product,
            shortlist=shoes,
            idea_ids=ids(*[i.pk for i in ideas], other.pk),
        )

    assert order(shoes) == before


def test_move_up_and_down(product, shoes):
    a, b, c = IdeaFactory.create_batch(3)
    for idea in (a, b, c):
        add(product, shoes, idea)

    shortlists.move(actor=product, shortlist=shoes, idea=c, offset=-1)
    assert order(shoes) == [a.pk, c.pk, b.pk]
    shortlists.move(actor=product, shortlist=shoes, idea=a, offset=1)
    assert order(shoes) == [c.pk, a.pk, b.pk]
    shortlists.move(actor=product, shortlist=shoes, idea=b, offset=-5)
    assert order(shoes) == [b.pk, c.pk, a.pk]


def test_move_past_the_end_says_so(product, shoes):
    a, b = IdeaFactory.create_batch(2)
    add(product, shoes, a)
    add(product, shoes, b)

    with pytest.raises(AlreadyDone, match="already at"):
        shortlists.move(actor=product, shortlist=shoes, idea=a, offset=-1)
    with pytest.raises(AlreadyDone):
        shortlists.move(actor=product, shortlist=shoes, idea=b, offset=1)
    with pytest.raises(InvalidInput, match="not on this shortlist"):
        shortlists.move(actor=product, shortlist=shoes, idea=IdeaFactory(), offset=1)

    assert order(shoes) == [a.pk, b.pk]


def test_move_after_a_removal_keeps_a_dense_order(product, shoes):
    a, b, c = IdeaFactory.create_batch(3)
    for idea in (a, b, c):
        add(product, shoes, idea)
    shortlists.remove_idea(actor=product, shortlist=shoes, idea=b)

    shortlists.move(actor=product, shortlist=shoes, idea=c, offset=-1)

    assert order(shoes) == [c.pk, a.pk]
