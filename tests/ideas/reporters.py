"""Reporters of every standing, for the tests of reports and what they hide."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tests.factories import UserFactory


def age(member, *, days: float) -> None:
    """Date a member's account back, as if they had signed up ``days`` ago."""
    member.date_joined = timezone.now() - datetime.timedelta(days=days)
    type(member).objects.filter(pk=member.pk).update(date_joined=member.date_joined)


def established(count: int, **fields) -> list:
    """Verified members who joined months ago, weeks apart: each report weighs 1."""
    members = UserFactory.create_batch(count, **fields)
    for n, member in enumerate(members):
        age(member, days=60 + 14 * n)
    return members


def fresh(count: int, **fields) -> list:
    """Accounts made a moment ago, as a burst of sign-ups would be."""
    return UserFactory.create_batch(count, **fields)
