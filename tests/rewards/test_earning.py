"""Earning points: every trigger pays by the rules, once, and only to members.

The receivers run inside the transaction of the idea service that sent the event,
so a support and its points commit or fail together (DESIGN rules 2 and 3).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from ideas import discussion, events, posting, voting
from ideas.models import Comment, Idea, IdeaStatus, Promotion, Support
from ideas.product import rnd
from rewards import earning
from rewards.models import (
    CampaignMultiplier,
    Entry,
    EntryKind,
    MemberBadge,
    Milestone,
    RewardSettings,
    Trigger,
)
from rewards.redemptions import redeem
from tests.factories import IdeaFactory, UserFactory
from tests.rewards.conftest import (
    give,
    make_reward,
    points,
    seasoned,
    set_rule,
    wallet,
)

pytestmark = pytest.mark.usefixtures("clean_audit")


def earned(member, trigger: str) -> list[int]:
    """Amounts of the member's EARN entries for one trigger, oldest first."""
    return list(
        Entry.objects.filter(
            wallet__member=member, kind=EntryKind.EARN, rule__trigger=trigger
        )
        .order_by("id")
        .values_list("amount", flat=True)
    )


def publish(author, title: str = "Laces that never untie", **fields) -> Idea:
    return posting.create_idea(
        author=author, title=title, description="Grippy laces.", **fields
    )


def change_status(idea: Idea, new_status: str) -> None:
    old_status = idea.status
    Idea.objects.filter(pk=idea.pk).update(status=new_status)
    idea.status = new_status
    events.idea_status_changed.send(
        sender=Idea,
        idea=idea,
        old_status=old_status,
        new_status=new_status,
        actor=None,
        note="",
    )


def remove(content) -> None:
    events.content_removed.send(
        sender=type(content), content=content, actor=None, reason="spam"
    )


def restore(content) -> None:
    events.content_restored.send(sender=type(content), content=content, actor=None)


def badges(member) -> list[str]:
    return sorted(
        MemberBadge.objects.filter(member=member).values_list(
            "badge__milestone", flat=True
        )
    )


# Each trigger pays by the default rules --------------------------------------


def test_publishing_an_idea_pays_10_and_the_first_one_20_more_once(alice):
    publish(alice)
    assert points(alice) == 30

    publish(alice, title="Socks that never slip")

    assert points(alice) == 40
    assert earned(alice, Trigger.IDEA_PUBLISHED) == [10, 10]
    assert earned(alice, Trigger.FIRST_IDEA) == [20]


def test_an_idea_waiting_for_moderation_pays_nothing_yet(alice, make_campaign):
    campaign = make_campaign(premoderate=True)

    publish(alice, campaign=campaign)

    assert points(alice) == 0


def test_a_support_pays_the_author_2_and_the_supporter_1(idea, alice, bob):
    voting.support(member=bob, idea=idea)

    assert points(alice) == 2
    assert points(bob) == 1
    assert earned(alice, Trigger.SUPPORT_RECEIVED) == [2]
    assert earned(bob, Trigger.SUPPORT_GIVEN) == [1]


def test_a_comment_pays_its_author_2(idea, bob):
    discussion.post_comment(author=bob, idea=idea, body="Love it")

    assert points(bob) == 2
    assert earned(bob, Trigger.COMMENT_POSTED) == [2]


@pytest.mark.parametrize(
    ("status", "trigger", "amount"),
    [
        ("shortlisted", Trigger.SHORTLISTED, 100),
        ("in_rnd", Trigger.PROMOTED, 250),
        ("shipped", Trigger.SHIPPED, 500),
    ],
)
def test_a_status_change_pays_the_author(idea, alice, status, trigger, amount):
    change_status(idea, status)

    assert points(alice) == amount
    assert earned(alice, trigger) == [amount]


@pytest.mark.parametrize("status", ["published", "declined", "hidden"])
def test_other_statuses_pay_nothing(idea, alice, status):
    change_status(idea, status)

    assert points(alice) == 0


def test_review_pays_when_the_campaign_threshold_is_reached(alice, bob, make_campaign):
    campaign = make_campaign(support_threshold=1)
    idea = IdeaFactory(author=alice, campaign=campaign)
    voting.support(member=bob, idea=idea)
    idea.refresh_from_db()

    change_status(idea, "under_review")

    assert earned(alice, Trigger.THRESHOLD_REACHED) == [50]


def test_review_below_the_threshold_pays_nothing(alice, bob, make_campaign):
    campaign = make_campaign(support_threshold=2)
    idea = IdeaFactory(author=alice, campaign=campaign)
    voting.support(member=bob, idea=idea)
    idea.refresh_from_db()

    change_status(idea, "under_review")

    assert earned(alice, Trigger.THRESHOLD_REACHED) == []


def test_review_without_a_campaign_threshold_pays_nothing(idea, alice, bob):
    voting.support(member=bob, idea=idea)
    idea.refresh_from_db()

    change_status(idea, "under_review")

    assert earned(alice, Trigger.THRESHOLD_REACHED) == []


def test_a_promotion_pays_once_for_its_move_into_rnd(idea, alice, staff):
    # rnd.promote sends idea_status_changed (to in_rnd) and idea_promoted; only
    # the status pays.
    rnd.promote(actor=staff, idea=idea, ticket_key="RND-1", owner=staff, note="Lab")

    assert earned(alice, Trigger.PROMOTED) == [250]
    assert points(alice) == 250


def test_shipping_pays_the_author_once(idea, alice, staff):
    rnd.promote(actor=staff, idea=idea, ticket_key="RND-1", owner=staff, note="Lab")
    rnd.ship(
        actor=staff, idea=idea, product_url="https://shop.example.com/p", note="Out"
    )

    assert earned(alice, Trigger.SHIPPED) == [500]
    assert points(alice) == 750


def test_the_promotion_event_alone_pays_nothing(idea, alice, staff):
    # What a status pays comes from idea_status_changed only (ideas.events).
    promotion = Promotion.objects.create(
        idea=idea, ticket_key="RND-1", owner=staff, promoted_by=staff
    )
    events.idea_promoted.send(sender=Idea, idea=idea, actor=staff, promotion=promotion)

    assert points(alice) == 0


# Daily caps, inactive rules, multipliers --------------------------------------


def test_the_daily_cap_limits_what_a_rule_pays_in_a_day(alice):
    set_rule(Trigger.IDEA_PUBLISHED, daily_cap=15)

    for n in range(3):
        publish(alice, title=f"Idea {n}")

    assert earned(alice, Trigger.IDEA_PUBLISHED) == [10, 5]


def test_supporting_and_withdrawing_does_not_farm_past_the_cap(idea, bob):
    set_rule(Trigger.SUPPORT_GIVEN, daily_cap=2)

    for _ in range(4):
        voting.support(member=bob, idea=idea)
        voting.withdraw_support(member=bob, idea=idea)
    voting.support(member=bob, idea=idea)

    assert earned(bob, Trigger.SUPPORT_GIVEN) == [1, 1]
    assert points(bob) == 0


def test_entries_of_earlier_days_do_not_count_toward_the_cap(alice, bob):
    set_rule(Trigger.SUPPORT_GIVEN, daily_cap=1)
    voting.support(member=bob, idea=IdeaFactory(author=alice))
    Entry.objects.update(created_at=earning._start_of_day() - timedelta(minutes=1))

    voting.support(member=bob, idea=IdeaFactory(author=alice))

    assert earned(bob, Trigger.SUPPORT_GIVEN) == [1, 1]


def test_an_inactive_rule_pays_nothing(idea, alice, bob):
    set_rule(Trigger.SUPPORT_GIVEN, is_active=False)

    voting.support(member=bob, idea=idea)

    assert points(bob) == 0
    assert points(alice) == 2


def test_a_campaign_multiplier_multiplies_and_rounds_half_up(alice, bob, make_campaign):
    campaign = make_campaign()
    CampaignMultiplier.objects.create(campaign=campaign, multiplier=Decimal("2.5"))
    idea = IdeaFactory(author=alice, campaign=campaign)

    voting.support(member=bob, idea=idea)

    assert points(alice) == 5
    assert points(bob) == 3  # 2.5 rounds half up, not to even


def test_a_multiplier_applies_only_to_its_campaign(alice, bob, make_campaign):
    boosted = make_campaign(title="Boosted")
    CampaignMultiplier.objects.create(campaign=boosted, multiplier=Decimal("3"))

    voting.support(member=bob, idea=IdeaFactory(author=alice))

    assert points(alice) == 2


# Who earns ------------------------------------------------------------------


def test_a_young_account_supports_but_pays_nobody(idea, alice):
    newcomer = UserFactory()

    voting.support(member=newcomer, idea=idea)

    assert Idea.objects.get(pk=idea.pk).supports_count == 1
    assert points(alice) == 0
    assert points(newcomer) == 0
    assert not Entry.objects.exists()


def test_the_account_age_comes_from_the_settings(idea, alice):
    config = RewardSettings.load()
    config.supporter_min_account_days = 0
    config.save()
    newcomer = UserFactory()

    voting.support(member=newcomer, idea=idea)

    assert points(newcomer) == 1


def test_an_unverified_email_supports_but_pays_nobody(idea, alice):
    unverified = seasoned(verified=False)

    voting.support(member=unverified, idea=idea)

    assert Idea.objects.get(pk=idea.pk).supports_count == 1
    assert points(alice) == 0
    assert points(unverified) == 0


def test_staff_earn_nothing(idea, alice):
    moderator = seasoned(is_staff=True)

    voting.support(member=moderator, idea=idea)
    discussion.post_comment(author=moderator, idea=idea, body="Official answer")
    publish(moderator)

    assert points(moderator) == 0
    assert badges(moderator) == []


def test_a_superuser_earns_nothing_for_their_idea(bob):
    admin = seasoned(is_superuser=True)
    idea = IdeaFactory(author=admin)

    voting.support(member=bob, idea=idea)

    assert points(admin) == 0
    assert points(bob) == 1


# Replays and reversals --------------------------------------------------------


def test_a_replayed_event_pays_nothing_twice(idea, alice, bob):
    support = voting.support(member=bob, idea=idea)
    comment = discussion.post_comment(author=bob, idea=idea, body="Great")
    change_status(idea, "shortlisted")

    earning.on_idea_supported(sender=None, idea=idea, support=support, member=bob)
    events.idea_supported.send(sender=Idea, idea=idea, support=support, member=bob)
    events.comment_posted.send(sender=Comment, comment=comment, idea=idea, member=bob)
    change_status(idea, "shortlisted")
    events.idea_published.send(sender=Idea, idea=idea, member=alice)
    events.idea_published.send(sender=Idea, idea=idea, member=alice)

    assert points(alice) == 2 + 100 + 10 + 20
    assert points(bob) == 1 + 2


def test_a_replayed_withdrawal_takes_nothing_twice(idea, alice, bob):
    support = voting.support(member=bob, idea=idea)
    voting.withdraw_support(member=bob, idea=idea)

    earning.on_support_withdrawn(
        sender=None, idea=idea, member=bob, support_id=support.pk
    )

    assert Entry.objects.filter(kind=EntryKind.REVERSAL).count() == 2
    assert (points(alice), points(bob)) == (0, 0)


def test_withdrawing_a_support_reverses_both_sides(idea, alice, bob):
    voting.support(member=bob, idea=idea)

    voting.withdraw_support(member=bob, idea=idea)

    assert points(alice) == 0
    assert points(bob) == 0
    reversals = Entry.objects.filter(kind=EntryKind.REVERSAL)
    assert sorted(r.reverses.key.split(":")[0] for r in reversals) == [
        "support-given",
        "support-received",
    ]
    assert {r.amount for r in reversals} == {-1, -2}
    assert wallet(alice).lifetime_earned == 0


def test_a_reversal_takes_back_only_what_was_not_spent(idea, alice, bob, staff):
    voting.support(member=bob, idea=idea)
    give(bob, 4, actor=staff)
    redeem(member=bob, reward=make_reward(cost=5))
    assert points(bob) == 0

    voting.withdraw_support(member=bob, idea=idea)

    reversal = Entry.objects.get(wallet__member=bob, kind=EntryKind.REVERSAL)
    assert reversal.amount == 0
    assert "1 points already spent" in reversal.memo
    assert points(bob) == 0
    assert wallet(bob).held == 5


def test_a_partial_reversal_takes_what_is_left(alice, staff):
    publish(alice)  # 10 + 20
    redeem(member=alice, reward=make_reward(cost=25))

    remove(Idea.objects.get())

    assert points(alice) == 0
    assert sorted(
        Entry.objects.filter(kind=EntryKind.REVERSAL).values_list("amount", flat=True)
    ) == [-5, 0]
    assert wallet(alice).held == 25


# Removal and restore --------------------------------------------------------


def test_removing_an_idea_reverses_what_it_earned_its_author(alice, bob):
    idea = publish(alice)
    voting.support(member=bob, idea=idea)
    assert points(alice) == 32

    remove(idea)

    assert points(alice) == 0
    assert points(bob) == 1  # the supporter keeps theirs
    assert wallet(alice).lifetime_earned == 0


def test_restoring_an_idea_pays_its_author_back(alice, bob):
    idea = publish(alice)
    voting.support(member=bob, idea=idea)
    remove(idea)

    restore(idea)

    assert points(alice) == 32
    assert points(bob) == 1


def test_restoring_pays_back_only_what_the_removal_took(alice):
    idea = publish(alice)
    redeem(member=alice, reward=make_reward(cost=25))
    remove(idea)  # takes 5 of 30: 25 were spent

    restore(idea)

    assert points(alice) == 5


def test_removal_and_restore_cycles_never_pay_twice(alice, bob):
    idea = publish(alice)
    voting.support(member=bob, idea=idea)

    for _ in range(3):
        remove(idea)
        assert points(alice) == 0
        remove(idea)  # a replay
        assert points(alice) == 0
        restore(idea)
        assert points(alice) == 32
        restore(idea)  # a replay
        assert points(alice) == 32

    assert wallet(alice).lifetime_earned == 32


def test_restore_skips_a_support_withdrawn_while_hidden(alice, bob):
    idea = publish(alice)
    voting.support(member=bob, idea=idea)
    remove(idea)

    voting.withdraw_support(member=bob, idea=idea)
    restore(idea)

    assert points(alice) == 30
    assert points(bob) == 0


def test_withdrawing_after_a_restore_takes_the_restored_points(alice, bob):
    idea = publish(alice)
    voting.support(member=bob, idea=idea)
    remove(idea)
    restore(idea)

    voting.withdraw_support(member=bob, idea=idea)

    assert points(alice) == 30
    assert points(bob) == 0


def test_removing_a_comment_reverses_its_points(idea, bob):
    comment = discussion.post_comment(author=bob, idea=idea, body="Nice")

    discussion.remove_comment(actor=bob, comment=comment)

    assert points(bob) == 0
    assert Entry.objects.get(kind=EntryKind.REVERSAL).reverses.key == (
        f"comment:{comment.pk}"
    )


def test_restoring_a_comment_pays_it_back_once(idea, alice, bob):
    comment = discussion.post_comment(author=bob, idea=idea, body="Nice")
    voting.support(member=bob, idea=idea)

    for _ in range(2):
        remove(comment)
        remove(comment)
        assert points(bob) == 1
        restore(comment)
        restore(comment)
        assert points(bob) == 3

    assert points(alice) == 2  # the idea's author is untouched by the comment


def test_removing_a_comment_leaves_the_idea_author_alone(idea, alice, bob):
    voting.support(member=bob, idea=idea)
    own = discussion.post_comment(author=alice, idea=idea, body="Thanks!")

    remove(own)

    assert points(alice) == 2


# Levels and badges ----------------------------------------------------------


def test_levels_follow_lifetime_points(alice):
    idea = publish(alice)  # 30
    assert wallet(alice).level.name == "Newcomer"

    change_status(idea, "shortlisted")  # 130
    assert wallet(alice).level.name == "Contributor"
    assert wallet(alice).lifetime_earned == 130

    change_status(idea, "in_rnd")  # 380
    assert wallet(alice).level.name == "Co-creator"

    remove(idea)
    assert wallet(alice).lifetime_earned == 0
    assert wallet(alice).level.name == "Newcomer"


def test_spending_points_keeps_the_level(alice, staff):
    idea = publish(alice)
    change_status(idea, "shortlisted")

    redeem(member=alice, reward=make_reward(cost=100))

    assert wallet(alice).lifetime_earned == 130
    assert wallet(alice).level.name == "Contributor"


def test_milestone_badges_are_awarded_once(alice, bob, charlie):
    first = publish(alice)
    second = publish(alice, title="A second idea")
    voting.support(member=bob, idea=first)
    voting.support(member=charlie, idea=first)
    voting.support(member=bob, idea=second)
    discussion.post_comment(author=bob, idea=first, body="One")
    discussion.post_comment(author=bob, idea=first, body="Two")
    change_status(first, "shortlisted")
    change_status(second, "shortlisted")

    assert badges(alice) == sorted(
        [
            Milestone.FIRST_IDEA,
            Milestone.FIRST_SUPPORT_RECEIVED,
            Milestone.IDEA_SHORTLISTED,
        ]
    )
    assert badges(bob) == [Milestone.FIRST_COMMENT]
    assert MemberBadge.objects.count() == 4


# Points commit or fail with the change -----------------------------------------


class Boom(Exception):
    pass


def test_a_failing_receiver_after_rewards_undoes_the_support_and_its_points(
    idea, alice, bob
):
    def explode(**kwargs):
        raise Boom("the webhook queue is down")

    events.idea_supported.connect(explode, weak=False)
    try:
        with pytest.raises(Boom):
            voting.support(member=bob, idea=idea)
    finally:
        events.idea_supported.disconnect(explode)

    assert not Support.objects.exists()
    assert not Entry.objects.exists()
    assert points(alice) == 0
    assert points(bob) == 0


def test_a_failing_receiver_undoes_the_idea_and_its_points(alice):
    def explode(**kwargs):
        raise Boom("search index is down")

    events.idea_published.connect(explode, weak=False)
    try:
        with pytest.raises(Boom):
            publish(alice)
    finally:
        events.idea_published.disconnect(explode)

    assert not Idea.objects.exists()
    assert not Entry.objects.exists()
    assert not MemberBadge.objects.exists()


def test_the_hidden_status_is_not_a_public_idea_for_ten_ideas(alice):
    """Ten published ideas earn the badge; hidden ones do not count."""
    for n in range(9):
        publish(alice, title=f"Idea {n}")
    Idea.objects.filter(author=alice).update(status=IdeaStatus.HIDDEN)
    publish(alice, title="The tenth")

    assert Milestone.TEN_IDEAS not in badges(alice)
