"""Notifications about an idea of a private campaign reach only the members who
may see it: a mention, a reply or a status notice carries its title."""

from __future__ import annotations

import pytest

from cocreate.notifications.models import Notification
from ideas import discussion, following, voting, workflow
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def told(kind: str) -> set[int]:
    return set(
        Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True)
    )


def test_a_mention_on_a_panel_idea_reaches_panelists_only(private_idea, panel):
    outsider = UserFactory(display_name="Olga")
    insider = UserFactory(display_name="Ines")
    insider.groups.add(panel)

    discussion.post_comment(
        author=private_idea.author, idea=private_idea, body="@Olga and @Ines, look"
    )

    assert told("mention") == {insider.pk}
    assert outsider.pk not in set(
        Notification.objects.values_list("recipient_id", flat=True)
    )


def test_a_status_notice_skips_followers_who_left_the_panel(
    private_idea, panel, panelist, product, run_on_commit
):
    stays, leaves = UserFactory(), UserFactory()
    for member in (stays, leaves):
        member.groups.add(panel)
        voting.support(member=member, idea=private_idea)
    following.follow(member=leaves, idea=private_idea)
    leaves.groups.remove(panel)

    run_on_commit(
        lambda: workflow.change_status(
            actor=product, idea=private_idea, new_status="shortlisted", note="Yes"
        )
    )

    assert told("status_changed") == {panelist.pk, stays.pk}


def test_a_reply_is_not_told_to_an_author_who_left_the_panel(private_idea, panel):
    former = UserFactory()
    former.groups.add(panel)
    top = discussion.post_comment(author=former, idea=private_idea, body="Warm!")
    former.groups.remove(panel)

    discussion.post_comment(
        author=private_idea.author, idea=private_idea, parent=top, body="Thanks"
    )

    assert told("reply") == set()


def test_notices_of_open_campaigns_reach_everybody_as_before(open_idea, bob, charlie):
    top = discussion.post_comment(author=bob, idea=open_idea, body="Love it")
    discussion.post_comment(
        author=charlie, idea=open_idea, parent=top, body="Me too, @Alice"
    )

    assert told("reply") == {bob.pk}
    assert told("mention") == {open_idea.author_id}
