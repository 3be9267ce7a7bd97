"""ideas.ranking: the stored hot score."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ideas.ranking import HOT_GRAVITY_SECONDS, hot_score

NOW = timezone.now()


def test_zero_and_one_support_score_the_same():
    assert hot_score(0, NOW) == hot_score(1, NOW)


def test_ten_times_the_supports_adds_one_point():
    assert round(hot_score(10, NOW) - hot_score(1, NOW), 6) == 1
    assert round(hot_score(1000, NOW) - hot_score(100, NOW), 6) == 1


def test_an_idea_posted_12_5_hours_later_matches_ten_times_the_supports():
    later = NOW + datetime.timedelta(seconds=HOT_GRAVITY_SECONDS)

    assert round(hot_score(1, later) - hot_score(10, NOW), 6) == 0


def test_newer_ideas_rank_higher_at_equal_supports():
    assert hot_score(5, NOW) > hot_score(5, NOW - datetime.timedelta(hours=1))
