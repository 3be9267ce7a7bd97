"""An erased member's wallet and entries stay: every total, the leaderboard's sums
and ``manage.py rewards_audit`` stay right, whatever the member chose for their
content."""

from __future__ import annotations

import pytest
from django.db.models import Sum
from django.test import TestCase
from django.utils import timezone

from cocreate.privacy import erasure
from cocreate.privacy.models import Erasure
from ideas import discussion, voting
from rewards.models import Entry, RedemptionStatus, Wallet
from tests.rewards.test_audit import audit, busy_ledger  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def erase(member, *, keep_content: bool) -> None:
    scheduled = erasure.request_erasure(
        member=member, actor=member, keep_content=keep_content
    )
    Erasure.objects.filter(pk=scheduled.pk).update(due_at=timezone.now())
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert erasure.apply_due() == (1, 0)


@pytest.mark.parametrize("keep_content", [True, False])
@pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
def test_the_audit_stays_clean_after_an_erasure(
    busy_ledger,  # noqa: F811
    request,
    who,
    keep_content,
    clean_audit,
):
    member = request.getfixturevalue(who)
    total = Entry.objects.aggregate(total=Sum("amount"))["total"]
    wallets = Wallet.objects.count()
    erase(member, keep_content=keep_content)
    code, out, _err = audit()
    assert code == 0, out
    assert Wallet.objects.count() == wallets
    # Only the release of an open request is added: it moves held to available.
    released = Entry.objects.filter(kind="release", redemption__note__contains="erased")
    added = released.aggregate(total=Sum("amount"))["total"] or 0
    assert Entry.objects.aggregate(total=Sum("amount"))["total"] == total + added


def test_the_earned_points_of_removed_content_stay(idea, alice, bob, clean_audit):
    voting.support(member=bob, idea=idea)
    discussion.post_comment(author=alice, idea=idea, body="Thanks!")
    earned = Wallet.objects.get(member=alice).lifetime_earned
    assert earned > 0
    erase(alice, keep_content=False)
    assert Wallet.objects.get(member=alice).lifetime_earned == earned


def test_an_open_request_is_cancelled_and_released(busy_ledger, charlie, clean_audit):  # noqa: F811
    open_requests = charlie.redemptions.filter(status=RedemptionStatus.PENDING)
    assert open_requests.exists()
    erase(charlie, keep_content=True)
    assert not charlie.redemptions.filter(status=RedemptionStatus.PENDING).exists()
    assert Wallet.objects.get(member=charlie).held == 0
