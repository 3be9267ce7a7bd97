"""Sanctions: warn, suspend, ban, lift; a suspension blocks each action."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cocreate.members.models import Sanction, User
from cocreate.members.sanctions import SanctionError, lift, sanction
from ideas import discussion, posting, voting
from ideas.errors import NotAllowed
from ideas.models import Comment, Support
from tests.factories import IdeaFactory


def test_a_suspension_is_recorded_and_logged(suspended, moderator):
    record = Sanction.objects.get(member=suspended)
    assert record.kind == "suspension" and record.is_active
    assert suspended.is_suspended and suspended.is_active
    assert ModelLogEntry.objects.filter(action="cocreate.member.suspension").exists()


@pytest.mark.parametrize(
    "action",
    [
        lambda member, idea: voting.support(member=member, idea=idea),
        lambda member, idea: discussion.post_comment(
            author=member, idea=idea, body="Hi"
        ),
        lambda member, idea: posting.create_idea(
            author=member, title="Mine", description="Text"
        ),
    ],
    ids=["support", "comment", "post"],
)
def test_a_suspended_member_cannot_act_and_is_told_until_when(suspended, action):
    idea = IdeaFactory()
    with pytest.raises(NotAllowed, match="suspended until"):
        action(suspended, idea)
    assert not Support.objects.filter(member=suspended).exists()
    assert not Comment.objects.filter(author=suspended).exists()


def test_lifting_the_suspension_lets_the_member_act_again(suspended, moderator):
    lift(actor=moderator, sanction_record=Sanction.objects.get(member=suspended))
    suspended.refresh_from_db()
    assert not suspended.is_suspended
    voting.support(member=suspended, idea=IdeaFactory())


def test_a_ban_closes_the_account_until_lifted(moderator, bob):
    record = sanction(actor=moderator, member=bob, kind="ban", reason="Abuse")
    assert not User.objects.get(pk=bob.pk).is_active
    lift(actor=moderator, sanction_record=record, note="Apologised")
    assert User.objects.get(pk=bob.pk).is_active


def test_a_warning_restricts_nothing(moderator, bob):
    sanction(actor=moderator, member=bob, kind="warning", reason="Be kind")
    bob.refresh_from_db()
    assert not bob.is_suspended and bob.is_active


def test_it_refuses_without_a_reason_members_and_past_dates(moderator, bob, charlie):
    with pytest.raises(SanctionError, match="reason"):
        sanction(actor=moderator, member=bob, kind="warning", reason=" ")
    with pytest.raises(SanctionError):
        sanction(actor=charlie, member=bob, kind="warning", reason="x")
    with pytest.raises(SanctionError, match="future"):
        sanction(
            actor=moderator,
            member=bob,
            kind="suspension",
            reason="x",
            until=timezone.now() - datetime.timedelta(minutes=1),
        )
    assert not Sanction.objects.exists()


def test_it_cannot_be_lifted_twice(suspended, moderator):
    record = Sanction.objects.get(member=suspended)
    lift(actor=moderator, sanction_record=record)
    with pytest.raises(SanctionError, match="already"):
        lift(actor=moderator, sanction_record=record)


def test_a_suspended_member_sees_why_and_until_when(client, suspended):
    client.force_login(suspended)
    html = client.get("/ideas/").content.decode()
    assert "Your account is suspended until" in html and "Spam in comments" in html
