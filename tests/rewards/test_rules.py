"""The earning rules as pure functions: what each fact pays, to whom, under which
key and memo, and how exclusions and daily caps apply (no database needed)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from rewards import rules
from rewards.models import EarningRule, EntryKind, Milestone, Trigger

IDEA = rules.IdeaFacts(id=7, author_id=1, campaign_id=3, title="Shoes that dry")
NOON = timezone.make_aware(datetime.datetime(2027, 3, 10, 12, 0))


def rule(pk: int, trigger: str, points: int, daily_cap: int | None = None):
    return EarningRule(pk=pk, trigger=trigger, points=points, daily_cap=daily_cap)


RULES = {
    Trigger.IDEA_PUBLISHED: rule(1, Trigger.IDEA_PUBLISHED, 10, daily_cap=15),
    Trigger.FIRST_IDEA: rule(2, Trigger.FIRST_IDEA, 20),
    Trigger.SUPPORT_RECEIVED: rule(3, Trigger.SUPPORT_RECEIVED, 2),
    Trigger.SUPPORT_GIVEN: rule(4, Trigger.SUPPORT_GIVEN, 1, daily_cap=1),
}


def keys(earned: rules.Earned) -> list[tuple[str, int, str]]:
    return [(a.key, a.member_id, a.source) for a in earned.awards]


def test_a_published_idea_pays_its_author_and_their_first_idea_once():
    earned = rules.idea_published(IDEA, at=NOON)

    assert keys(earned) == [
        ("idea-published:7", 1, "idea:7"),
        ("first-idea:1", 1, "idea:7"),
    ]
    assert [a.memo for a in earned.awards] == [
        "Idea published: “Shoes that dry”",
        "Your first idea: “Shoes that dry”",
    ]
    assert {(a.idea_id, a.campaign_id, a.at) for a in earned.awards} == {(7, 3, NOON)}
    assert earned.milestones == [rules.Reached(1, Milestone.FIRST_IDEA, NOON)]
    tenth = rules.idea_published(IDEA, tenth=True)
    assert [m.milestone for m in tenth.milestones][-1] == Milestone.TEN_IDEAS


def test_a_support_pays_both_sides_only_when_the_supporter_pays():
    earned = rules.idea_supported(
        IDEA, support_id=40, supporter_id=2, pays=True, first_support=True, at=NOON
    )
    assert keys(earned) == [
        ("support-received:40", 1, "support:40"),
        ("support-given:40", 2, "support:40"),
    ]
    assert [a.memo for a in earned.awards] == [
        "Support received on “Shoes that dry”",
        "You supported “Shoes that dry”",
    ]
    assert earned.milestones == [
        rules.Reached(1, Milestone.FIRST_SUPPORT_RECEIVED, NOON)
    ]
    unpaid = rules.idea_supported(
        IDEA, support_id=41, supporter_id=2, pays=False, hundredth=True
    )
    assert unpaid.awards == []
    assert [m.milestone for m in unpaid.milestones] == [
        Milestone.HUNDRED_SUPPORTS_GIVEN
    ]


def test_a_comment_pays_its_author():
    earned = rules.comment_posted(IDEA, comment_id=9, member_id=2, at=NOON)

    (award,) = earned.awards
    assert (award.key, award.source, award.comment_id) == ("comment:9", "comment:9", 9)
    assert award.memo == "Comment on “Shoes that dry”"
    assert earned.milestones == [rules.Reached(2, Milestone.FIRST_COMMENT, NOON)]


def test_statuses_pay_the_author_and_review_only_by_the_threshold():
    shipped = rules.status_reached(IDEA, "shipped", threshold_reached=False)
    assert keys(shipped) == [("shipped:7", 1, "idea:7")]
    assert shipped.awards[0].memo == "“Shoes that dry” was shipped"
    assert [m.milestone for m in shipped.milestones] == [Milestone.IDEA_SHIPPED]
    review = rules.status_reached(IDEA, "under_review", threshold_reached=True)
    assert keys(review) == [("threshold_reached:7", 1, "idea:7")]
    assert review.milestones == []
    assert rules.status_reached(IDEA, "under_review", threshold_reached=False) == (
        rules.Earned()
    )
    assert rules.status_reached(IDEA, "declined", threshold_reached=True) == (
        rules.Earned()
    )


def test_a_supporter_pays_once_old_enough_when_they_supported_and_verified():
    joined = NOON - datetime.timedelta(days=3)
    pays = {
        "old enough": {"joined": joined, "verified": True, "at": NOON},
        "too young then": {
            "joined": joined,
            "verified": True,
            "at": joined + datetime.timedelta(days=1),
        },
        "unverified": {"joined": joined, "verified": False, "at": NOON},
    }
    assert {
        name: rules.supporter_pays(min_account_days=2, **facts)
        for name, facts in pays.items()
    } == {"old enough": True, "too young then": False, "unverified": False}


def test_payable_excludes_inactive_rules_non_earners_and_paid_keys():
    awards = [
        *rules.idea_published(IDEA).awards,
        *rules.comment_posted(IDEA, comment_id=9, member_id=1).awards,  # no rule
        *rules.idea_supported(IDEA, support_id=5, supporter_id=66, pays=True).awards,
    ]
    paid = {"first-idea:1"}

    kept = rules.payable(awards, rules=RULES, earners={1}, paid=paid)

    # The staff supporter (66) earns nothing; the author's received support pays.
    assert [a.key for a in kept] == ["idea-published:7", "support-received:5"]
    # A key given twice pays once.
    again = rules.payable(awards, rules=RULES, earners={1}, paid=paid)
    assert again == []


def test_priced_caps_each_member_rule_and_day_and_counts_the_ledger():
    today, tomorrow = NOON, NOON + datetime.timedelta(days=1)
    ideas = [rules.IdeaFacts(n, 1, None, f"Idea {n}") for n in range(1, 4)]
    awards = [
        rules.idea_published(ideas[0], at=today).awards[0],
        rules.idea_published(ideas[1], at=today).awards[0],
        rules.idea_published(ideas[2], at=tomorrow).awards[0],
    ]
    earned = {(1, 1, rules.day_of(tomorrow)): 10}  # already in the ledger

    postings = rules.priced(awards, rules=RULES, multipliers={}, earned=earned)

    assert [(p.key, p.amount) for p in postings] == [
        ("idea-published:1", 10),
        ("idea-published:2", 5),
        ("idea-published:3", 5),
    ]
    first = postings[0]
    assert (first.kind, first.rule, first.created_at) == (
        EntryKind.EARN,
        RULES[Trigger.IDEA_PUBLISHED],
        today,
    )
    assert earned[(1, 1, rules.day_of(today))] == 15


def test_priced_multiplies_rounds_half_up_and_skips_what_a_cap_leaves_at_zero():
    awards = [
        *rules.idea_supported(IDEA, support_id=1, supporter_id=2, pays=True).awards,
        *rules.idea_supported(IDEA, support_id=2, supporter_id=2, pays=True).awards,
    ]

    postings = rules.priced(
        awards, rules=RULES, multipliers={3: Decimal("2.5")}, earned={}
    )

    assert [(p.key, p.amount) for p in postings] == [
        ("support-received:1", 5),
        ("support-given:1", 1),  # 2.5 rounds to 3, but the cap is 1 a day
        ("support-received:2", 5),
    ]
