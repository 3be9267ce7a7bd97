"""Levels and badges change through their services: a level saved or deleted moves
every wallet to the level its lifetime points reach, in the same transaction, and
the cached tables are dropped; refusals say why and change nothing.

Personas: ed is an editor (the "Editors" group sets levels and badges), alice and
bob are members, mo is a moderator who may not touch levels.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from wagtail.models import ModelLogEntry

from rewards import achievements, levels
from rewards.errors import InvalidInput, NotAllowed
from rewards.models import Badge, Level, Milestone, Wallet
from tests.factories import UserFactory
from tests.rewards.helpers import earn

pytestmark = pytest.mark.usefixtures("clean_audit")


@pytest.fixture
def ed(db):
    user = UserFactory(email="ed@example.com", display_name="Ed", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def level_of(member) -> str | None:
    level = Wallet.objects.select_related("level").get(member=member).level
    return level.name if level else None


# Levels ----------------------------------------------------------------------------


def test_a_new_level_takes_the_wallets_that_reach_it(ed, alice, bob):
    earn(alice, 300)
    earn(bob, 100)
    assert (level_of(alice), level_of(bob)) == ("Co-creator", "Contributor")

    level = levels.save_level(actor=ed, level=Level(name="Builder", threshold=300))

    assert (level_of(alice), level_of(bob)) == ("Builder", "Contributor")
    entry = ModelLogEntry.objects.for_instance(level).get()
    assert (entry.action, entry.user, entry.data) == (
        "wagtail.create",
        ed,
        {"wallets_moved": 1},
    )


def test_a_higher_threshold_moves_members_down(ed, alice):
    earn(alice, 300)
    co_creator = Level.objects.get(name="Co-creator")
    co_creator.threshold = 400

    levels.save_level(actor=ed, level=co_creator)

    assert level_of(alice) == "Contributor"
    assert levels.level_id_for(300) == Level.objects.get(name="Contributor").pk


def test_the_cached_table_is_dropped_again_once_the_change_commits(
    ed, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        levels.save_level(actor=ed, level=Level(name="Builder", threshold=300))
        levels.level_id_for(300)  # another reader caches the table meanwhile
        assert cache.get(levels.CACHE_KEY) is not None

    assert callbacks
    assert cache.get(levels.CACHE_KEY) is None


@pytest.mark.parametrize(
    ("name", "threshold", "message"),
    [
        ("Builder", 250, "The level “Co-creator” already starts at 250 points."),
        ("Innovator", 300, "There is already a level named “Innovator”."),
        ("  ", 300, "Please give the level a name."),
        ("Builder", -1, "The lifetime points are a whole number, 0 or more."),
    ],
)
def test_a_level_that_clashes_is_refused_and_nothing_moves(
    ed, alice, name, threshold, message
):
    earn(alice, 300)

    with pytest.raises(InvalidInput, match=message):
        levels.save_level(actor=ed, level=Level(name=name, threshold=threshold))

    assert Level.objects.count() == 5
    assert level_of(alice) == "Co-creator"


@pytest.mark.parametrize("persona", ["alice", "moderator"])
def test_only_who_may_change_levels_does(request, alice, persona):
    earn(alice, 300)
    co_creator = Level.objects.get(name="Co-creator")
    co_creator.threshold = 400

    with pytest.raises(NotAllowed):
        levels.save_level(actor=request.getfixturevalue(persona), level=co_creator)

    assert Level.objects.get(name="Co-creator").threshold == 250
    assert level_of(alice) == "Co-creator"


def test_deleting_a_level_moves_its_members_to_the_one_below(ed, alice, bob):
    earn(alice, 300)
    earn(bob, 1200)
    co_creator = Level.objects.get(name="Co-creator")

    assert levels.delete_level(actor=ed, level=co_creator) == 1

    assert not Level.objects.filter(pk=co_creator.pk).exists()
    assert (level_of(alice), level_of(bob)) == ("Contributor", "Innovator")
    assert ModelLogEntry.objects.for_instance(co_creator).get().action == (
        "wagtail.delete"
    )


def test_a_moderator_may_not_delete_a_level(moderator, alice):
    earn(alice, 300)

    with pytest.raises(NotAllowed):
        levels.delete_level(actor=moderator, level=Level.objects.get(name="Co-creator"))

    assert level_of(alice) == "Co-creator"


# Badges ----------------------------------------------------------------------------


def test_a_badge_switched_off_is_awarded_no_more(ed, alice):
    badge = Badge.objects.get(milestone=Milestone.FIRST_COMMENT)
    assert achievements._badge_ids()[Milestone.FIRST_COMMENT] == badge.pk  # cached
    badge.is_active = False

    achievements.save_badge(actor=ed, badge=badge)

    assert achievements.grant(alice, Milestone.FIRST_COMMENT) is False
    assert not alice.badges.exists()
    assert ModelLogEntry.objects.for_instance(badge).get().user == ed


def test_a_second_badge_for_a_milestone_is_refused(ed):
    with pytest.raises(InvalidInput, match="“First idea” is already given"):
        achievements.save_badge(
            actor=ed, badge=Badge(milestone=Milestone.FIRST_IDEA, name="Again")
        )

    assert Badge.objects.filter(milestone=Milestone.FIRST_IDEA).count() == 1


def test_a_moderator_may_not_change_badges(moderator):
    badge = Badge.objects.get(milestone=Milestone.FIRST_IDEA)
    badge.name = "Renamed"

    with pytest.raises(NotAllowed):
        achievements.save_badge(actor=moderator, badge=badge)

    assert Badge.objects.get(pk=badge.pk).name == "First idea"
