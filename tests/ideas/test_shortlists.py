"""Shortlists: the product team gathers ideas into named lists, with a note per
idea and a manual order; every change is audit-logged and announced."""

from __future__ import annotations

import pytest
from django.db import connection
from wagtail.models import ModelLogEntry

from ideas import events
from ideas.errors import AlreadyDone, InvalidInput, NotAllowed
from ideas.models import Idea, IdeaStatus, Shortlist, ShortlistEntry, StatusChange
from ideas.product import shortlists
from tests.concurrency import run_together
from tests.factories import IdeaFactory

#: Audit-log actions the product team's services write; Wagtail refuses to log an
#: action nobody registered.
PRODUCT_LOG_ACTIONS = (
    "cocreate.shortlist.added",
    "cocreate.shortlist.removed",
    "cocreate.shortlist.noted",
    "cocreate.shortlist.reordered",
    "cocreate.idea.score",
    "cocreate.idea.promote",
    "cocreate.idea.ship",
)


@pytest.fixture
def shoes(db):
    return Shortlist.objects.create(name="Running shoes 2027")


@pytest.fixture
def trail(db):
    return Shortlist.objects.create(name="Trail accessories")


@pytest.fixture
def changes():
    """Every ``shortlist_changed`` sent, as keyword arguments."""
    calls: list[dict] = []

    def receiver(sender, **kwargs):
        kwargs.pop("signal", None)
        calls.append({"sender": sender, **kwargs})

    events.shortlist_changed.connect(receiver, weak=False)
    yield calls
    events.shortlist_changed.disconnect(receiver)


def order(shortlist: Shortlist) -> list[int]:
    return list(
        shortlist.entries.order_by("position", "id").values_list("idea_id", flat=True)
    )


def add(product, shortlist, idea, **kwargs) -> ShortlistEntry:
    return shortlists.add_idea(actor=product, shortlist=shortlist, idea=idea, **kwargs)


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


# Permissions ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "moderator"])
def test_only_the_product_team_manages_shortlists(request, product, shoes, persona):
    actor = request.getfixturevalue(persona)
    idea = IdeaFactory()
    add(product, shoes, idea, note="Kept")
    other = IdeaFactory()

    attempts = [
        lambda: add(actor, shoes, other),
        lambda: shortlists.remove_idea(actor=actor, shortlist=shoes, idea=idea),
        lambda: shortlists.set_note(actor=actor, shortlist=shoes, idea=idea, note="x"),
        lambda: shortlists.reorder(actor=actor, shortlist=shoes, idea_ids=[idea.pk]),
        lambda: shortlists.move(actor=actor, shortlist=shoes, idea=idea, offset=1),
    ]
    for attempt in attempts:
        with pytest.raises(NotAllowed, match="Only the product team"):
            attempt()

    assert order(shoes) == [idea.pk]
    assert shoes.entries.get().note == "Kept"


def test_anonymous_visitors_are_refused(shoes, idea):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        add(AnonymousUser(), shoes, idea)


# Audit log and events -----------------------------------------------------------------


def test_every_change_is_audit_logged(product, shoes):
    a, b = IdeaFactory.create_batch(2)
    add(product, shoes, a)
    add(product, shoes, b)
    shortlists.set_note(actor=product, shortlist=shoes, idea=a, note="Good")
    shortlists.move(actor=product, shortlist=shoes, idea=b, offset=-1)
    shortlists.remove_idea(actor=product, shortlist=shoes, idea=a)

    entries = ModelLogEntry.objects.filter(
        action__startswith="cocreate.shortlist."
    ).order_by("pk")
    assert [e.action.rsplit(".", 1)[1] for e in entries] == [
        "added",
        "added",
        "noted",
        "reordered",
        "removed",
    ]
    assert all(e.user_id == product.pk for e in entries)
    assert {e.object_id for e in entries} == {str(shoes.pk)}
    assert entries[0].data == {"idea": a.pk, "idea_title": a.title}
    assert entries[3].data["idea"] is None


def test_shortlist_changed_is_sent_with_its_arguments(product, shoes, changes):
    a, b = IdeaFactory.create_batch(2)
    add(product, shoes, a)
    add(product, shoes, b)
    shortlists.set_note(actor=product, shortlist=shoes, idea=a, note="Good")
    shortlists.reorder(actor=product, shortlist=shoes, idea_ids=[b.pk, a.pk])
    shortlists.remove_idea(actor=product, shortlist=shoes, idea=b)

    assert [(c["action"], c["idea"]) for c in changes] == [
        ("added", a),
        ("added", b),
        ("noted", a),
        ("reordered", None),
        ("removed", b),
    ]
    assert all(c["sender"] is Shortlist for c in changes)
    assert all(c["shortlist"].pk == shoes.pk for c in changes)
    assert all(c["actor"] == product for c in changes)


def test_a_refused_change_sends_nothing(product, shoes, idea, changes):
    add(product, shoes, idea)
    changes.clear()

    with pytest.raises(AlreadyDone):
        add(product, shoes, idea)
    with pytest.raises(InvalidInput):
        shortlists.reorder(actor=product, shortlist=shoes, idea_ids=[])

    assert changes == []


def test_every_action_the_product_services_log_is_registered():
    from wagtail.log_actions import registry

    assert [a for a in PRODUCT_LOG_ACTIONS if not registry.action_exists(a)] == []


def test_a_change_touches_the_shortlist(product, shoes, idea):
    before = Shortlist.objects.get(pk=shoes.pk).updated_at

    add(product, shoes, idea)

    assert Shortlist.objects.get(pk=shoes.pk).updated_at > before


# Concurrency (PostgreSQL) -------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
)
def test_two_product_people_adding_the_same_idea_at_once_leave_one_entry():
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    # A transactional test may find the data migrations' groups flushed by the one
    # before it; permissions are recreated after every flush, so grant one directly.
    manage = Permission.objects.get(
        content_type__app_label="ideas", codename="change_shortlist"
    )
    first, second = UserFactory.create_batch(2)
    for member in (first, second):
        member.user_permissions.add(manage)
    shortlist = Shortlist.objects.create(name="Running shoes 2027")
    idea = IdeaFactory()

    outcomes = run_together(
        [
            lambda actor=actor: shortlists.add_idea(
                actor=actor, shortlist=shortlist, idea=idea
            )
            for actor in (first, second, first, second)
        ]
    )

    added = [o for o in outcomes if isinstance(o, ShortlistEntry)]
    refused = [o for o in outcomes if isinstance(o, AlreadyDone)]
    assert len(added) == 1 and len(refused) == 3, outcomes
    assert ShortlistEntry.objects.filter(shortlist=shortlist, idea=idea).count() == 1
    assert list(shortlist.entries.values_list("position", flat=True)) == [0]
