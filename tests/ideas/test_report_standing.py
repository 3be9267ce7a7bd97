"""Reports weigh by the reporter's standing: a burst of new or related accounts
brings an item to the queue but hides nothing; established members still do."""

from __future__ import annotations

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from ideas.errors import AlreadyDone
from ideas.models import Idea, IdeaStatus, ModerationSettings, Report
from ideas.moderation import services as moderation
from ideas.moderation.admin_views import moderation_queue
from ideas.moderation.standing import (
    Standing,
    related_groups,
    report_weight,
    standings,
)
from tests.factories import IdeaFactory, UserFactory
from tests.ideas.reporters import age, established, fresh

NOW = timezone.now()
QUEUE = "/admin/brand-team/queue/"


def ago(**delta) -> datetime.datetime:
    return NOW - datetime.timedelta(**delta)


def weight(standing: Standing) -> float:
    return report_weight(standing, at=NOW, min_account_days=7)


@pytest.fixture
def config(db):
    return ModerationSettings.load()


def status(idea: Idea) -> str:
    return Idea.objects.get(pk=idea.pk).status


# The rule, pure ------------------------------------------------------------------


def test_a_new_or_unverified_account_weighs_nothing():
    assert weight(Standing(joined=ago(days=6), verified=True)) == 0
    assert weight(Standing(joined=ago(days=400), verified=False, upheld=9)) == 0


def test_an_established_member_weighs_one_until_moderators_judge_their_reports():
    assert weight(Standing(joined=ago(days=8), verified=True)) == 1
    reliable = weight(Standing(joined=ago(days=90), verified=True, upheld=3))
    careless = weight(Standing(joined=ago(days=90), verified=True, dismissed=3))
    assert 1.5 < reliable < 2
    assert 0 < careless < 0.5


def test_accounts_made_within_the_window_of_each_other_form_one_group():
    joined = {
        1: ago(days=30),
        2: ago(days=30, minutes=-20),  # 20 minutes after 1
        3: ago(days=30, minutes=-70),  # 50 minutes after 2: chained to 1 through 2
        4: ago(days=10),
    }
    groups = related_groups(joined, window=datetime.timedelta(minutes=60))
    assert groups == [[1, 2, 3], [4]]


# Reporting ------------------------------------------------------------------------


def test_twenty_fresh_accounts_do_not_hide_an_idea_but_bring_it_to_the_queue(config):
    idea = IdeaFactory(title="The most supported idea")
    for reporter in fresh(20):
        moderation.report(reporter=reporter, idea=idea, reason="spam")

    assert status(idea) == IdeaStatus.PUBLISHED
    [item] = [i for i in moderation_queue() if i.content.pk == idea.pk]
    assert item.why == "reported"
    assert len(item.reports) == 20 and item.weight == 0


def test_three_established_verified_members_hide_an_idea(config):
    idea = IdeaFactory()
    first, second, third = established(3)
    moderation.report(reporter=first, idea=idea, reason="spam")
    moderation.report(reporter=second, idea=idea, reason="spam")
    assert status(idea) == IdeaStatus.PUBLISHED

    moderation.report(reporter=third, idea=idea, reason="spam")

    assert status(idea) == IdeaStatus.HIDDEN
    [item] = [i for i in moderation_queue() if i.content.pk == idea.pk]
    assert item.why == "hidden" and item.weight == 3


def test_old_accounts_without_a_confirmed_email_hide_nothing(config):
    idea = IdeaFactory()
    for reporter in established(3, verified=False):
        moderation.report(reporter=reporter, idea=idea, reason="spam")
    assert status(idea) == IdeaStatus.PUBLISHED
    assert not EmailAddress.objects.filter(user__reports_made__idea=idea).exists()


def test_a_burst_of_related_accounts_counts_once(config):
    idea = IdeaFactory()
    burst = UserFactory.create_batch(3)
    for n, member in enumerate(burst):  # old, but all made within minutes
        age(member, days=90 - n / (24 * 60))
    for reporter in burst:
        moderation.report(reporter=reporter, idea=idea, reason="spam")
    assert status(idea) == IdeaStatus.PUBLISHED

    for reporter in established(2):  # joined weeks apart from the burst
        moderation.report(reporter=reporter, idea=idea, reason="spam")

    assert status(idea) == IdeaStatus.HIDDEN  # 1 (the burst) + 1 + 1


def test_moderators_verdicts_make_a_reporters_next_reports_weigh_more_or_less(
    config, moderator
):
    careless, reliable = established(2)
    for _ in range(3):
        kept = IdeaFactory()
        moderation.report(reporter=careless, idea=kept, reason="spam")
        moderation.approve(actor=moderator, content=kept)
        spam = IdeaFactory()
        moderation.report(reporter=reliable, idea=spam, reason="spam")
        moderation.hide(actor=moderator, content=spam, reason="Spam")

    found = standings([careless.pk, reliable.pk])

    assert (found[careless.pk].upheld, found[careless.pk].dismissed) == (0, 3)
    assert (found[reliable.pk].upheld, found[reliable.pk].dismissed) == (3, 0)
    assert weight(found[careless.pk]) < 1 < weight(found[reliable.pk])


def test_a_threshold_of_one_lets_one_established_member_hide(config):
    config.report_threshold = 1
    config.save()
    idea = IdeaFactory()
    moderation.report(reporter=fresh(1)[0], idea=idea, reason="spam")
    assert status(idea) == IdeaStatus.PUBLISHED
    moderation.report(reporter=established(1)[0], idea=idea, reason="spam")
    assert status(idea) == IdeaStatus.HIDDEN


# The queue ---------------------------------------------------------------------


def test_a_moderator_confirms_a_report_hidden_idea_once(config, moderator, sent):
    idea = IdeaFactory()
    for reporter in established(3):
        moderation.report(reporter=reporter, idea=idea, reason="spam")
    assert [c["provisional"] for c in sent["content_removed"]] == [True]

    moderation.hide(actor=moderator, content=idea, reason="Advertising")

    idea.refresh_from_db()
    assert idea.status == IdeaStatus.HIDDEN and idea.hidden_reason == "Advertising"
    assert [c["provisional"] for c in sent["content_removed"]] == [True, False]
    assert sent["content_removed"][-1]["actor"] == moderator
    assert set(Report.objects.values_list("resolution", flat=True)) == {"hidden"}
    with pytest.raises(AlreadyDone):
        moderation.hide(actor=moderator, content=idea, reason="Again")
    assert len(sent["content_removed"]) == 2


def test_the_queue_offers_to_confirm_what_reports_hid(config, mod_client):
    idea = IdeaFactory(title="Buy cheap watches")
    for reporter in established(3):
        moderation.report(reporter=reporter, idea=idea, reason="spam")

    html = mod_client.get(QUEUE).content.decode()
    assert "Confirm hiding" in html and "Weight 3.0 of 3" in html

    response = mod_client.post(
        QUEUE, {"do": f"hide|idea:{idea.pk}", "reason": "Advertising"}, follow=True
    )
    assert "1 item done" in response.content.decode()
    assert Idea.objects.get(pk=idea.pk).hidden_reason == "Advertising"
    assert "Buy cheap watches" not in mod_client.get(QUEUE).content.decode()


def test_the_report_view_answers_as_before_for_a_new_account(config, client):
    idea = IdeaFactory()
    client.force_login(fresh(1)[0])
    response = client.post(f"/ideas/{idea.pk}/report/", {"reason": "spam"})
    assert response.status_code == 302
    assert Report.objects.filter(idea=idea).count() == 1
    assert status(idea) == IdeaStatus.PUBLISHED
