"""Who manages shortlists, their audit log and events, and concurrent adds."""

from __future__ import annotations

import pytest
from django.db import connection
from wagtail.models import ModelLogEntry

from ideas.errors import AlreadyDone, InvalidInput, NotAllowed
from ideas.models import Shortlist, ShortlistEntry
from ideas.product import shortlists
from tests.concurrency import run_together
from tests.factories import IdeaFactory
from tests.ideas.shortlists.helpers import add, order

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
    from django.contrib.contenttypes.models import ContentType

    from tests.factories import UserFactory

    # A transactional test may find the data migrations' groups, and even the
    # permissions, flushed by the one before it (a browser journey's serialized
    # rollback flushes without recreating them): make sure the one it needs exists.
    ContentType.objects.clear_cache()  # its ids may be those of the flushed rows
    manage, _created = Permission.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(Shortlist),
        codename="change_shortlist",
        defaults={"name": "Can change shortlist"},
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
