"""Adding ideas to shortlists, and marking them shortlisted."""

from __future__ import annotations

import pytest
from wagtail.models import ModelLogEntry

from ideas.errors import AlreadyDone, InvalidInput
from ideas.models import Idea, IdeaStatus, Shortlist, ShortlistEntry, StatusChange
from tests.factories import IdeaFactory
from tests.ideas.shortlists.helpers import add, order


@pytest.fixture
def trail(db):
    return Shortlist.objects.create(name="Trail accessories")


# Adding ------------------------------------------------------------------------
def test_ideas_are_added_at_the_end_of_the_order(product, shoes):
    first, second, third = IdeaFactory.create_batch(3)

    for idea in (first, second, third):
        add(product, shoes, idea)

    assert order(shoes) == [first.pk, second.pk, third.pk]
    entry = ShortlistEntry.objects.get(shortlist=shoes, idea=third)
    assert entry.added_by == product and entry.position == 2


def test_adding_keeps_the_note_trimmed(product, shoes, idea):
    entry = add(product, shoes, idea, note="  Fits the 2027 range.  ")
    assert ShortlistEntry.objects.get(pk=entry.pk).note == "Fits the 2027 range."


def test_adding_twice_says_it_is_already_there(product, shoes, idea):
    add(product, shoes, idea)

    with pytest.raises(AlreadyDone, match="already on “Running shoes 2027”"):
        add(product, shoes, idea)

    assert shoes.entries.count() == 1


def test_an_idea_can_be_on_several_shortlists(product, shoes, trail, idea):
    add(product, shoes, idea)
    add(product, trail, idea)

    assert set(idea.shortlists.values_list("name", flat=True)) == {
        "Running shoes 2027",
        "Trail accessories",
    }


def test_adding_leaves_the_status_alone_unless_asked(product, shoes, idea):
    add(product, shoes, idea)

    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PUBLISHED
    assert not StatusChange.objects.exists()


@pytest.mark.parametrize(
    "status", [IdeaStatus.HIDDEN, IdeaStatus.DRAFT, IdeaStatus.PENDING, "duplicate"]
)
def test_ideas_out_of_public_view_cannot_be_shortlisted(product, shoes, status):
    idea = IdeaFactory(status=status)

    with pytest.raises(InvalidInput, match="cannot go on a shortlist"):
        add(product, shoes, idea)

    assert not ShortlistEntry.objects.exists()


def test_a_note_over_2000_characters_is_refused(product, shoes, idea):
    with pytest.raises(InvalidInput, match="2,000"):
        add(product, shoes, idea, note="x" * 2_001)
    assert not ShortlistEntry.objects.exists()


# Marking shortlisted ------------------------------------------------------------
def test_mark_shortlisted_moves_the_status_with_a_public_note(
    product, shoes, idea, sent
):
    add(product, shoes, idea, mark_shortlisted=True, status_note="On our list!")

    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SHORTLISTED
    change = idea.status_changes.get()
    assert (change.old_status, change.new_status) == ("published", "shortlisted")
    assert change.note == "On our list!" and change.actor == product
    assert [c["new_status"] for c in sent["idea_status_changed"]] == ["shortlisted"]


def test_mark_shortlisted_without_a_note_changes_nothing(product, shoes, idea):
    with pytest.raises(InvalidInput, match="note"):
        add(product, shoes, idea, mark_shortlisted=True, status_note="  ")

    assert not ShortlistEntry.objects.exists()
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PUBLISHED
    assert not ModelLogEntry.objects.filter(action__startswith="cocreate.").exists()


@pytest.mark.parametrize(
    "status", [IdeaStatus.DECLINED, IdeaStatus.IN_RND, IdeaStatus.SHIPPED]
)
def test_mark_shortlisted_refuses_ideas_that_cannot_move_back(
    product, shoes, status, changes
):
    idea = IdeaFactory(status=status)

    with pytest.raises(InvalidInput, match="cannot move to shortlisted"):
        add(product, shoes, idea, mark_shortlisted=True, status_note="Yes")

    assert not ShortlistEntry.objects.exists()  # atomic: the entry went too
    assert Idea.objects.get(pk=idea.pk).status == status
    assert not StatusChange.objects.exists()
    assert changes == []


def test_an_idea_in_rnd_can_still_be_added_without_moving_it(product, shoes):
    idea = IdeaFactory(status=IdeaStatus.IN_RND)

    add(product, shoes, idea)

    assert order(shoes) == [idea.pk]
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.IN_RND


def test_mark_shortlisted_on_a_second_shortlist_just_adds_it(
    product, shoes, trail, idea
):
    add(product, shoes, idea, mark_shortlisted=True, status_note="On our list!")

    add(product, trail, idea, mark_shortlisted=True, status_note="And this one")

    assert order(trail) == [idea.pk]
    assert idea.status_changes.count() == 1


def test_mark_shortlisted_reads_the_status_from_the_database(product, shoes, idea):
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.DECLINED)

    with pytest.raises(InvalidInput):
        add(product, shoes, idea, mark_shortlisted=True, status_note="Yes")

    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.DECLINED
