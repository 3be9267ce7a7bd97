"""Fixtures of the points economy: seasoned members (old enough, verified, so their
supports pay), rules at known values and a ledger checked after every test."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from cocreate import ratelimit
from rewards import earning, ledger, levels
from rewards.audit import run_audit
from rewards.models import EarningRule, Reward, RewardKind, Trigger, Wallet
from tests.factories import IdeaFactory, UserFactory

LONG_AGO = datetime.timedelta(days=30)


def seasoned(**fields):
    """A verified member whose account is old enough for supports to pay."""
    fields.setdefault("date_joined", timezone.now() - LONG_AGO)
    return UserFactory(**fields)


@pytest.fixture(autouse=True)
def _own_redis(private_redis):
    """Parallel workers must not share rate-limit counters or channel groups."""


@pytest.fixture(autouse=True)
def _steady_rate_limit_clock(monkeypatch):
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1.8e9))


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_caches():
    levels.forget()
    yield
    levels.forget()


@pytest.fixture
def no_rate_limits(settings):
    settings.COCREATE_RATE_LIMITS_ENABLED = False


@pytest.fixture
def alice(db):
    return seasoned(email="alice@example.com", display_name="Alice")


@pytest.fixture
def bob(db):
    return seasoned(email="bob@example.com", display_name="Bob")


@pytest.fixture
def charlie(db):
    return seasoned(email="charlie@example.com", display_name="Charlie")


@pytest.fixture
def staff(db):
    """Sam runs the community: a superuser, so every rewards permission is his."""
    return UserFactory(
        email="sam@example.com", display_name="Sam", is_staff=True, is_superuser=True
    )


@pytest.fixture
def idea(alice):
    return IdeaFactory(author=alice, title="Shoes that dry overnight")


@pytest.fixture
def rules(db):
    """The default rules, as the data migration installs them, by trigger."""
    return {rule.trigger: rule for rule in EarningRule.objects.all()}


def set_rule(trigger: str, **fields) -> EarningRule:
    EarningRule.objects.filter(trigger=trigger).update(**fields)
    earning.forget_tables()
    return EarningRule.objects.get(trigger=trigger)


def wallet(member) -> Wallet:
    """The member's wallet as stored now (an empty, unsaved one if none yet)."""
    return Wallet.objects.filter(member=member).first() or Wallet(member=member)


def points(member) -> int:
    return wallet(member).available


def give(member, amount: int, *, actor) -> None:
    """Fund a member's wallet through the ledger (a manual adjustment)."""
    ledger.adjust(member=member, amount=amount, memo="Test funds", actor=actor)


def make_reward(**fields) -> Reward:
    fields.setdefault("title", "Water bottle")
    fields.setdefault("kind", RewardKind.DONATION)
    fields.setdefault("cost", 10)
    return Reward.objects.create(**fields)


@pytest.fixture
def clean_audit(db):
    """Yields, then asserts that the ledger audits clean after the test."""
    yield
    report = run_audit()
    assert report.clean, [str(d) for d in report.discrepancies]


__all__ = [
    "Trigger",
    "give",
    "make_reward",
    "points",
    "seasoned",
    "set_rule",
    "wallet",
]
