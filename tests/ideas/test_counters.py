"""Denormalised counters can be rebuilt from the rows they count."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from ideas import discussion, following, voting
from ideas.counters import recount_ideas
from ideas.models import Idea
from ideas.ranking import hot_score
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_idea(idea, bob, charlie):
    voting.support(member=bob, idea=idea)
    voting.support(member=charlie, idea=idea)
    following.follow(member=bob, idea=idea)
    first = discussion.post_comment(author=bob, idea=idea, body="One")
    discussion.post_comment(author=charlie, idea=idea, body="Two")
    discussion.remove_comment(actor=bob, comment=first)
    return Idea.objects.get(pk=idea.pk)


def test_the_services_keep_the_counters_true(busy_idea):
    assert (busy_idea.supports_count, busy_idea.comments_count) == (2, 1)
    assert busy_idea.followers_count == 1
    assert recount_ideas() == 0


def test_recount_ideas_fixes_tampered_counters(busy_idea, capsys):
    untouched = IdeaFactory()
    Idea.objects.filter(pk=busy_idea.pk).update(
        supports_count=99, comments_count=42, followers_count=7, hot_score=0
    )

    out = io.StringIO()
    call_command("recount_ideas", stdout=out)

    fixed = Idea.objects.get(pk=busy_idea.pk)
    assert (fixed.supports_count, fixed.comments_count, fixed.followers_count) == (
        2,
        1,
        1,
    )
    assert fixed.hot_score == pytest.approx(hot_score(2, fixed.created_at), abs=1e-6)
    assert "ideas corrected: 1" in out.getvalue()
    assert Idea.objects.get(pk=untouched.pk).hot_score == untouched.hot_score


def test_recount_ideas_reports_nothing_when_all_is_well(busy_idea):
    out = io.StringIO()

    call_command("recount_ideas", stdout=out)

    assert "ideas corrected: 0" in out.getvalue()


def test_recount_handles_more_ideas_than_a_batch(bob):
    ideas = IdeaFactory.create_batch(5)
    for idea in ideas:
        voting.support(member=bob, idea=idea)
    Idea.objects.update(supports_count=0)

    assert recount_ideas(batch_size=2) == 5

    assert set(Idea.objects.values_list("supports_count", flat=True)) == {1}
