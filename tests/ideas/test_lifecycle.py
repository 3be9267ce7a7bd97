"""The lifecycle's table, walked: every move it allows succeeds through its service,
every other (from, to) pair is refused whoever asks, with a sentence to read."""

from __future__ import annotations

import itertools

import pytest

from ideas import lifecycle, voting, workflow
from ideas.errors import AlreadyDone, IdeaError, InvalidInput, NotAllowed
from ideas.lifecycle import SYSTEM, TABLE, Action
from ideas.models import Idea, IdeaStatus, ModerationSettings, StatusChange
from ideas.moderation import merging
from ideas.moderation import services as moderation
from ideas.privacy import erase as erase_ideas
from ideas.product import rnd, shortlists
from tests.factories import IdeaFactory
from tests.ideas.reporters import age

pytestmark = pytest.mark.django_db

STATUSES = list(IdeaStatus)
ALLOWED = {(move.old, move.new, move.action) for move in TABLE}


def _promote(product, idea: Idea) -> None:
    rnd.promote(actor=product, idea=idea, ticket_key="RND-1", owner=product, note="Lab")


@pytest.fixture
def drive(product, moderator, bob, make_campaign):
    """Bring an idea to ``old`` the way the site would, then make ``action`` move it
    to ``new`` through its service; returns the idea as stored."""

    def hide(idea: Idea) -> None:
        moderation.hide(actor=moderator, content=idea, reason="Off topic")

    def run(action: Action, old: str, new: str) -> Idea:
        if action == Action.CHANGE_STATUS:
            idea = IdeaFactory(status=old)
            workflow.change_status(actor=product, idea=idea, new_status=new, note="Why")
        elif action == Action.REACH_THRESHOLD:
            idea = IdeaFactory(status=old, campaign=make_campaign(support_threshold=1))
            voting.support(member=bob, idea=idea)
        elif action == Action.PROMOTE:
            idea = IdeaFactory(status=old)
            _promote(product, idea)
        elif action == Action.SHIP:
            idea = IdeaFactory()
            _promote(product, idea)
            rnd.ship(
                actor=product,
                idea=idea,
                product_url="https://shop.example.com/p/1",
                note="Out now",
            )
        elif action == Action.APPROVE:
            idea = IdeaFactory(status=old)
            moderation.approve(actor=moderator, content=idea)
        elif action == Action.HIDE:
            idea = IdeaFactory(status=old)
            hide(idea)
        elif action == Action.HIDE_AFTER_REPORTS:
            ModerationSettings.objects.update(report_threshold=1)
            age(bob, days=60)  # a new account's report hides nothing
            idea = IdeaFactory(status=old)
            moderation.report(reporter=bob, idea=idea, reason="spam")
        elif action == Action.RESTORE:
            idea = IdeaFactory(status=new)  # hidden from the status it goes back to
            hide(idea)
            moderation.restore(actor=moderator, content=idea)
        elif action == Action.MERGE:
            idea = IdeaFactory(status=old)
            merging.merge(actor=moderator, source=idea, target=IdeaFactory())
        elif action == Action.UNDO_MERGE:
            idea = IdeaFactory(status=new)
            merge = merging.merge(actor=moderator, source=idea, target=IdeaFactory())
            merging.undo_merge(actor=moderator, merge_record=merge)
        elif action == Action.ERASE:
            idea = IdeaFactory(status=old)
            erase_ideas(idea.author, keep_content=False)
        else:  # pragma: no cover - a new action needs its driver here
            raise AssertionError(f"No driver for {action}")
        return Idea.objects.get(pk=idea.pk)

    ModerationSettings.load()
    return run


@pytest.mark.parametrize(
    "move", TABLE, ids=[f"{m.action}:{m.old}->{m.new}" for m in TABLE]
)
def test_every_allowed_move_succeeds_through_its_service(move, drive):
    idea = drive(move.action, move.old, move.new)

    assert idea.status == move.new
    last = idea.status_changes.order_by("-created_at", "-id").first()
    assert (last.old_status, last.new_status) == (move.old, move.new)


@pytest.mark.parametrize(
    ("old", "new"),
    list(itertools.product(STATUSES, STATUSES)),
    ids=[f"{o}->{n}" for o, n in itertools.product(STATUSES, STATUSES)],
)
def test_every_move_outside_the_table_is_refused(old, new, product, superuser):
    idea = IdeaFactory(status=old)

    for action in Action:
        if (old, new, action) in ALLOWED:
            continue
        with pytest.raises(InvalidInput, match=action.label):
            workflow.record(
                idea,
                new_status=new,
                action=action,
                actor=None if _is_system(action) else superuser,
                note="x",
            )
    if (old, new, Action.CHANGE_STATUS) not in ALLOWED:
        with pytest.raises((InvalidInput, AlreadyDone)):
            workflow.change_status(actor=product, idea=idea, new_status=new, note="x")

    assert Idea.objects.get(pk=idea.pk).status == old
    assert not StatusChange.objects.exists()


def _is_system(action: Action) -> bool:
    return any(m.who == SYSTEM for m in TABLE if m.action == action)


def test_a_member_outside_the_team_makes_no_move(charlie):
    ideas = {status: IdeaFactory(status=status) for status in STATUSES}

    for move in TABLE:
        if move.who == SYSTEM:
            continue
        with pytest.raises(NotAllowed):
            workflow.record(
                ideas[move.old],
                new_status=move.new,
                action=move.action,
                actor=charlie,
                note="x",
            )
    assert not StatusChange.objects.exists()


def test_the_sites_own_moves_are_not_made_by_hand(superuser):
    idea = IdeaFactory()

    for action in (Action.REACH_THRESHOLD, Action.HIDE_AFTER_REPORTS):
        new = lifecycle.targets(action, IdeaStatus.PUBLISHED)[0]
        with pytest.raises(NotAllowed, match="by the site itself"):
            workflow.record(
                idea, new_status=new, action=action, actor=superuser, note="x"
            )


def test_every_move_says_who_makes_it():
    for move in TABLE:
        assert move.who == SYSTEM or move.who.__module__ == "ideas.permissions"
        assert move.service.startswith("ideas.")


def test_designs_main_line_and_its_exits_are_in_the_table():
    main_line = [
        IdeaStatus.PENDING,
        IdeaStatus.PUBLISHED,
        IdeaStatus.UNDER_REVIEW,
        IdeaStatus.SHORTLISTED,
        IdeaStatus.IN_RND,
        IdeaStatus.SHIPPED,
    ]
    pairs = {(move.old, move.new) for move in TABLE}
    assert set(itertools.pairwise(main_line)) <= pairs
    for exit_status in (IdeaStatus.DECLINED, IdeaStatus.DUPLICATE):
        assert (IdeaStatus.PUBLISHED, exit_status) in pairs
    for status in lifecycle.RESTORABLE:
        assert (status, IdeaStatus.HIDDEN) in pairs
        assert (IdeaStatus.HIDDEN, status) in pairs


def test_a_plain_status_change_names_the_action_to_use(idea, product):
    with pytest.raises(InvalidInput, match="Promote into R&D"):
        workflow.change_status(actor=product, idea=idea, new_status="in_rnd", note="x")
    with pytest.raises(InvalidInput, match="Mark shipped"):
        workflow.change_status(actor=product, idea=idea, new_status="shipped", note="x")


def test_the_services_statuses_come_from_the_table():
    assert workflow.WORKFLOW_STATUSES == lifecycle.sources(Action.CHANGE_STATUS)
    assert rnd.PROMOTABLE == lifecycle.sources(Action.PROMOTE)
    assert merging.MERGEABLE == lifecycle.sources(Action.MERGE)
    assert set(shortlists.MAY_BECOME_SHORTLISTED) <= set(
        lifecycle.sources(Action.CHANGE_STATUS, IdeaStatus.SHORTLISTED)
    )


def test_a_refusal_reads_as_a_sentence(idea, moderator):
    with pytest.raises(IdeaError) as refused:
        workflow.record(
            idea,
            new_status=IdeaStatus.SHIPPED,
            action=Action.APPROVE,
            actor=moderator,
            note="",
        )
    assert str(refused.value) == (
        "“Approve” cannot move an idea that is published to shipped."
    )
