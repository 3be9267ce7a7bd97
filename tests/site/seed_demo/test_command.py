"""seed_demo's command: debug only, sizes, and the history it pays."""

from __future__ import annotations

import datetime
import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cocreate.demo.points import PastAction, PastIdea, pay_history
from cocreate.members.models import User
from cocreate.page_translations import in_default_language
from ideas.counters import recount_ideas
from ideas.models import (
    CampaignPage,
    Support,
)
from rewards.audit import run_audit
from rewards.models import (
    Entry,
    Wallet,
)
from rewards.rules import IdeaFacts
from tests.site.seed_demo.helpers import community_ideas, counts, seed


def test_it_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", "--ideas", "5")
    assert not User.objects.exists()


def test_it_runs_with_debug_on_without_force(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--ideas", "5", stdout=io.StringIO())
    assert community_ideas().count() == 5


def test_it_seeds_under_the_default_staff_policy(db, settings):
    """Staff must set up a second factor before they act (the default); the seed
    acts for them before anyone signs in."""
    from ideas.models import Merge

    settings.DEBUG = True
    settings.COCREATE_STAFF_MFA = "all"
    call_command("seed_demo", "--ideas", "20", stdout=io.StringIO())
    assert Merge.objects.exists()


def test_large_sets_get_extra_members(db):
    seed("--ideas", "10", "--supports", "400")
    assert Support.objects.filter(idea__in=community_ideas()).count() == 400
    assert User.objects.filter(is_staff=False).count() > 31
    assert recount_ideas() == 0


@pytest.mark.slow
def test_the_default_set(db, client):
    seed()
    assert community_ideas().count() == 120
    assert Support.objects.filter(idea__in=community_ideas()).count() == 960
    assert User.objects.filter(is_staff=False).count() == 31
    # The three public campaigns and the test panel's private one.
    assert in_default_language(CampaignPage.objects.all()).count() == 4
    assert recount_ideas() == 0
    assert run_audit().clean
    assert client.get("/").status_code == 200
    before = counts()
    seed()
    assert counts() == before


def _member(days: int, **fields) -> User:
    user = User.objects.create(
        email=fields.pop("email"),
        date_joined=timezone.now() - datetime.timedelta(days=days),
        **fields,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True)
    return user


def test_the_history_pays_guards_caps_and_only_once(db):
    author = _member(90, email="author@example.com")
    fan = _member(90, email="fan@example.com")
    young = _member(1, email="young@example.com")
    staff = _member(90, email="staff@example.com", is_staff=True)
    day = timezone.now() - datetime.timedelta(days=10)
    ideas = [
        PastIdea(IdeaFacts(n, author.pk, None, f"Idea {n}"), day) for n in range(1, 8)
    ] + [PastIdea(IdeaFacts(8, staff.pk, None, "Staff idea"), day)]
    supports = [
        PastAction(100 + n, n, fan.pk, day + datetime.timedelta(minutes=n))
        for n in range(1, 8)
    ] + [
        PastAction(200, 1, young.pk, timezone.now()),
        PastAction(201, 8, fan.pk, day),
    ]
    result = pay_history(ideas=ideas, supports=supports)
    wallet = Wallet.objects.get(member=author)
    # Seven ideas the same day: 10 each, capped at 50; 20 for the first one;
    # seven paying supports at 2 each. The young account's support pays nobody.
    assert wallet.lifetime_earned == wallet.available == 50 + 20 + 14
    assert Wallet.objects.get(member=fan).available == 8  # 7 + 1 on the staff idea
    assert not Entry.objects.filter(wallet__member__in=[young, staff]).exists()
    assert not Entry.objects.filter(key="support-given:200").exists()
    assert result.entries == Entry.objects.count()
    assert author.badges.count() == 2  # first idea, first support received
    assert not staff.badges.exists()
    again = pay_history(ideas=ideas, supports=supports)
    assert (again.entries, again.badges) == (0, 0)
    assert run_audit().clean
