"""A redemption's transitions: approve, fulfil, reject and cancel."""

from __future__ import annotations

import pytest
from wagtail.models import ModelLogEntry

from rewards import redemptions
from rewards.errors import (
    InvalidInput,
    NotAllowed,
    WrongState,
)
from rewards.models import (
    Entry,
    Redemption,
    RedemptionStatus,
)
from tests.rewards.redemptions.helpers import balances, stock

pytestmark = pytest.mark.usefixtures("clean_audit")


def test_approve_then_fulfil_spends_the_held_points(pending, funded, staff):
    redemptions.approve(actor=staff, redemption=pending, note="Ships Monday")
    assert Redemption.objects.get().status == RedemptionStatus.APPROVED
    assert balances(funded) == (60, 40)

    redemptions.fulfil(actor=staff, redemption=pending, note="Shipped")

    stored = Redemption.objects.get()
    assert (stored.status, stored.note, stored.decided_by) == (
        RedemptionStatus.FULFILLED,
        "Shipped",
        staff,
    )
    assert stored.closed_at is not None
    assert balances(funded) == (60, 0)
    assert stock(pending.reward) == 2
    assert (
        ModelLogEntry.objects.filter(
            action__in=["cocreate.rewards.approve", "cocreate.rewards.fulfil"]
        ).count()
        == 2
    )


def test_a_pending_redemption_can_be_fulfilled_directly(pending, funded, staff):
    redemptions.fulfil(actor=staff, redemption=pending)

    assert Redemption.objects.get().status == RedemptionStatus.FULFILLED
    assert balances(funded) == (60, 0)


def test_reject_needs_a_note(pending, staff):
    with pytest.raises(InvalidInput, match="why"):
        redemptions.reject(actor=staff, redemption=pending, note="  ")

    assert Redemption.objects.get().status == RedemptionStatus.PENDING


def test_reject_releases_the_points_and_restocks(pending, funded, staff):
    redemptions.reject(actor=staff, redemption=pending, note="Address abroad")

    stored = Redemption.objects.get()
    assert (stored.status, stored.note) == (RedemptionStatus.REJECTED, "Address abroad")
    assert balances(funded) == (100, 0)
    assert stock(pending.reward) == 3


def test_an_approved_redemption_can_still_be_rejected(pending, funded, staff):
    redemptions.approve(actor=staff, redemption=pending)

    redemptions.reject(actor=staff, redemption=pending, note="Lost in transit")

    assert balances(funded) == (100, 0)


def test_the_member_cancels_a_waiting_request(pending, funded):
    redemptions.cancel(actor=funded, redemption=pending)

    assert Redemption.objects.get().status == RedemptionStatus.CANCELLED
    assert balances(funded) == (100, 0)
    assert stock(pending.reward) == 3


def test_the_member_cannot_cancel_an_approved_request(pending, funded, staff):
    redemptions.approve(actor=staff, redemption=pending)

    with pytest.raises(WrongState, match="approved and can no longer"):
        redemptions.cancel(actor=funded, redemption=pending)

    assert balances(funded) == (60, 40)


def test_staff_may_cancel_an_approved_request(pending, funded, staff):
    redemptions.approve(actor=staff, redemption=pending)

    redemptions.cancel(actor=staff, redemption=pending)

    assert balances(funded) == (100, 0)
    assert ModelLogEntry.objects.filter(action="cocreate.rewards.cancel").exists()


def test_another_member_cannot_cancel(pending, charlie, funded):
    with pytest.raises(NotAllowed, match="your own"):
        redemptions.cancel(actor=charlie, redemption=pending)

    assert Redemption.objects.get().status == RedemptionStatus.PENDING


def test_members_cannot_manage_redemptions(pending, funded, charlie):
    for action in (redemptions.approve, redemptions.fulfil):
        with pytest.raises(NotAllowed):
            action(actor=funded, redemption=pending)
    with pytest.raises(NotAllowed):
        redemptions.reject(actor=charlie, redemption=pending, note="No")
    assert Redemption.objects.get().status == RedemptionStatus.PENDING


@pytest.mark.parametrize("closing", ["fulfil", "reject", "cancel"])
def test_a_closed_redemption_refuses_every_transition(pending, funded, staff, closing):
    if closing == "reject":
        redemptions.reject(actor=staff, redemption=pending, note="No")
    else:
        getattr(redemptions, closing)(actor=staff, redemption=pending)
    before = (balances(funded), stock(pending.reward), Entry.objects.count())

    with pytest.raises(WrongState):
        redemptions.approve(actor=staff, redemption=pending)
    with pytest.raises(WrongState):
        redemptions.fulfil(actor=staff, redemption=pending)
    with pytest.raises(WrongState):
        redemptions.reject(actor=staff, redemption=pending, note="Again")
    with pytest.raises(WrongState):
        redemptions.cancel(actor=staff, redemption=pending)
    with pytest.raises(WrongState):
        redemptions.cancel(actor=funded, redemption=pending)

    assert (balances(funded), stock(pending.reward), Entry.objects.count()) == before


def test_approving_twice_is_refused(pending, staff):
    redemptions.approve(actor=staff, redemption=pending)

    with pytest.raises(WrongState, match="Only waiting"):
        redemptions.approve(actor=staff, redemption=pending)
