"""Members read the brand's rewards, levels and badges, and the reasons in their
points history, in their own language; the ledger's memo stays the site's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cocreate.notifications.models import Notification
from ideas import events, voting
from ideas.models import Idea
from rewards import reasons
from rewards.models import (
    Badge,
    Entry,
    EntryKind,
    Level,
    MemberBadge,
    Milestone,
    Reward,
    RewardKind,
)
from tests.rewards.views.helpers import redeem_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_audit")]


@pytest.fixture
def french(bob):
    bob.language = "fr"
    bob.save(update_fields=["language"])
    return bob


@pytest.fixture
def english(alice):
    alice.language = "en"
    alice.save(update_fields=["language"])
    return alice


@pytest.fixture
def bottle(db):
    return Reward.objects.create(
        title="Water bottle",
        title_fr="Gourde",
        description="Keeps water cool all day.",
        description_fr="Garde l’eau fraîche toute la journée.",
        kind=RewardKind.GOODS,
        cost=50,
    )


def page(client, member, url: str) -> str:
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


class TestTheCatalogue:
    def test_a_french_member_reads_a_reward_in_french(self, client, french, bottle):
        listing = page(client, french, "/rewards/")
        detail = page(client, french, f"/rewards/{bottle.pk}/")

        assert "Gourde" in listing
        assert "Water bottle" not in listing
        assert "Garde l’eau fraîche toute la journée." in detail

    def test_an_english_member_reads_it_in_english(self, client, english, bottle):
        detail = page(client, english, f"/rewards/{bottle.pk}/")

        assert "Water bottle" in detail
        assert "Keeps water cool all day." in detail
        assert "Gourde" not in detail

    def test_an_untranslated_description_shows_the_english_text(
        self, client, french, bottle
    ):
        Reward.objects.filter(pk=bottle.pk).update(description_fr="")

        detail = page(client, french, f"/rewards/{bottle.pk}/")

        assert "Gourde" in detail
        assert "Keeps water cool all day." in detail


class TestLevelsAndBadges:
    def test_a_french_member_reads_the_default_level_and_badges_in_french(
        self, client, french, english
    ):
        badge = Badge.objects.get(milestone=Milestone.FIRST_IDEA)
        MemberBadge.objects.create(member=french, badge=badge)
        MemberBadge.objects.create(member=english, badge=badge)

        in_french = page(client, french, "/rewards/wallet/")
        in_english = page(client, english, "/rewards/wallet/")

        assert "Nouveau membre" in in_french
        assert "Première idée" in in_french
        assert "Vous avez publié votre première idée." in in_french
        assert "Newcomer" in in_english
        assert "First idea" in in_english
        assert "Première idée" not in in_english

    def test_a_renamed_level_without_french_shows_its_new_name(self, client, french):
        Level.objects.filter(threshold=0).update(name="Rookie", name_fr="")

        assert "Rookie" in page(client, french, "/rewards/wallet/")


class TestThePointsHistory:
    def test_each_member_reads_the_reason_in_their_own_language(
        self, client, english, french, idea
    ):
        """Bob's support pays him; its memo is stored once, in English."""
        voting.support(member=french, idea=idea)
        entry = Entry.objects.get(wallet__member=french, kind=EntryKind.EARN)

        history = page(client, french, "/rewards/wallet/")

        assert "Vous avez soutenu “Shoes that dry overnight”" in history
        assert entry.memo == "You supported “Shoes that dry overnight”"
        assert entry.reason == {
            "message": "You supported %s",
            "args": ["“Shoes that dry overnight”"],
        }
        with translation.override("en"):
            assert reasons.reason_text(entry) == entry.memo

    def test_a_reward_in_a_reason_reads_in_the_members_language(
        self, client, french, english, bottle, fund
    ):
        from tests.rewards.views.helpers import ADDRESS

        fund(french, 100)
        client.force_login(french)
        client.post(redeem_url(bottle), ADDRESS)
        hold = Entry.objects.get(kind=EntryKind.HOLD)

        history = page(client, french, "/rewards/wallet/")

        assert "Réservés pour «\u00a0Gourde" in history
        assert hold.memo == "Held for Water bottle"
        with translation.override("en"):
            assert reasons.reason_text(hold) == "Held for Water bottle"

    def test_a_reversal_reads_in_the_members_language(self, french, idea):
        support = voting.support(member=french, idea=idea)
        voting.withdraw_support(member=french, idea=idea)
        reversal = Entry.objects.get(kind=EntryKind.REVERSAL, wallet__member=french)

        with translation.override("fr"):
            assert reasons.reason_text(reversal) == (
                "Soutien retiré\u00a0: “Shoes that dry overnight”"
            )
        assert support.pk
        assert reversal.memo == "Support withdrawn on “Shoes that dry overnight”"

    def test_staff_adjustments_and_older_entries_show_their_memo(
        self, client, french, fund
    ):
        fund(french, 10)

        assert "Welcome points" in page(client, french, "/rewards/wallet/")

    def test_the_history_costs_no_query_per_entry(self, client, french, bottle, fund):
        from tests.rewards.views.helpers import ADDRESS

        fund(french, 500)
        client.force_login(french)
        client.post(redeem_url(bottle), ADDRESS)
        client.get("/rewards/wallet/")
        with CaptureQueriesContext(connection) as one:
            client.get("/rewards/wallet/")
        client.post(redeem_url(bottle), ADDRESS)
        client.post(redeem_url(bottle), ADDRESS)
        client.get("/rewards/wallet/")
        with CaptureQueriesContext(connection) as three:
            client.get("/rewards/wallet/")

        assert Entry.objects.filter(kind=EntryKind.HOLD).count() == 3
        assert len(three) == len(one)

    def test_the_points_notice_reads_in_the_authors_language(self, french, staff):
        from tests.factories import IdeaFactory

        idea = IdeaFactory(author=french, title="Shoes that dry overnight")
        events.idea_status_changed.send(
            sender=Idea,
            idea=idea,
            old_status="published",
            new_status="shortlisted",
            actor=staff,
            note="",
        )

        note = Notification.objects.get(recipient=french, kind="points")
        assert "Idée présélectionnée\u00a0: “Shoes that dry overnight”" in note.title
