"""The rewards back office's levels and badges: edits go through their services."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.log_actions import registry as log_registry

from rewards import achievements
from rewards.models import (
    Badge,
    Level,
    Milestone,
    Wallet,
)
from tests.factories import UserFactory
from tests.rewards.admin.helpers import (
    client_for,
)
from tests.rewards.helpers import earn


# Levels and badges go through their services ---------------------------------------
@pytest.fixture
def ed(db):
    """Ed, an editor: sets levels and badges, nothing of the redemptions."""
    user = UserFactory(email="ed@example.com", display_name="Ed", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def level_name(member) -> str | None:
    level = Wallet.objects.select_related("level").get(member=member).level
    return level.name if level else None


def test_an_editor_saving_a_level_moves_the_wallets_to_it(ed, alice, bob):
    earn(alice, 300)
    earn(bob, 100)

    response = client_for(ed).post(
        reverse("rewards_levels:add"), {"name": "Builder", "threshold": 300}
    )

    assert response.status_code == 302
    assert (level_name(alice), level_name(bob)) == ("Builder", "Contributor")
    level = Level.objects.get(name="Builder")
    assert log_registry.get_logs_for_instance(level).get().user == ed


def test_an_editor_raising_a_threshold_moves_its_members_down(ed, alice):
    earn(alice, 300)
    co_creator = Level.objects.get(name="Co-creator")

    response = client_for(ed).post(
        reverse("rewards_levels:edit", args=[co_creator.pk]),
        {"name": "Co-creator", "threshold": 400},
    )

    assert response.status_code == 302
    assert level_name(alice) == "Contributor"


def test_an_editor_deleting_a_level_moves_its_members_down(ed, alice):
    earn(alice, 300)
    co_creator = Level.objects.get(name="Co-creator")

    response = client_for(ed).post(
        reverse("rewards_levels:delete", args=[co_creator.pk])
    )

    assert response.status_code == 302
    assert not Level.objects.filter(pk=co_creator.pk).exists()
    assert level_name(alice) == "Contributor"


def test_an_editor_switching_a_badge_off_stops_its_awards(ed, alice):
    badge = Badge.objects.get(milestone=Milestone.FIRST_COMMENT)
    achievements._badge_ids()  # the table is cached before the change

    response = client_for(ed).post(
        reverse("rewards_badges:edit", args=[badge.pk]),
        {
            "milestone": badge.milestone,
            "name": badge.name,
            "description": badge.description,
            "symbol": badge.symbol,
        },
    )

    assert response.status_code == 302
    assert Badge.objects.get(pk=badge.pk).is_active is False
    assert achievements.grant(alice, Milestone.FIRST_COMMENT) is False


def test_someone_without_the_permission_cannot_save_a_level(tess, alice):
    earn(alice, 300)

    response = client_for(tess).post(
        reverse("rewards_levels:add"), {"name": "Builder", "threshold": 300}
    )

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert not Level.objects.filter(name="Builder").exists()
    assert level_name(alice) == "Co-creator"
