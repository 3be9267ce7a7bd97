"""The ledger: the only code that writes entries and moves wallet balances.

Every posting inserts append-only entries and moves the cached balances of their
wallets in the same transaction, under row locks taken in one global order
(ascending member id), so concurrent postings queue instead of deadlocking. The
database constraints on ``Wallet`` are the last guard against a negative balance.
It knows nothing of requests or pages: what they show of a posting (the "+5 points"
toast) listens to ``entries_posted``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from wagtail.log_actions import log

from rewards import levels, permissions
from rewards.errors import InvalidInput, NotAllowed, NotEnoughPoints
from rewards.models import (
    EARNING_KINDS,
    EarningRule,
    Entry,
    EntryKind,
    Redemption,
    Wallet,
)
from rewards.reasons import Reason

if TYPE_CHECKING:
    from cocreate.members.types import User

#: Entries were written (inside the posting's transaction). Arguments: ``entries``
#: (the new ``Entry`` rows, each with its ``wallet``).
entries_posted = Signal()


@dataclass
class Posting:
    """One entry to write; amounts are signed changes to available and held."""

    member_id: int
    kind: str
    key: str
    amount: int = 0
    held_amount: int = 0
    rule: EarningRule | None = None
    reverses: Entry | None = None
    redemption: Redemption | None = None
    source: str = ""
    idea_id: int | None = None
    comment_id: int | None = None
    campaign_id: int | None = None
    #: Why, in the site's language; a ``Reason`` also reads in members' languages.
    memo: str = ""
    actor: User | None = None
    #: When it happened; only imports of history (the demo seed) set it.
    created_at: datetime.datetime | None = None


def _lock(member_ids: Sequence[int]) -> dict[int, Wallet]:
    if not member_ids:
        return {}
    return {
        wallet.member_id: wallet
        for wallet in Wallet.objects.select_for_update(of=("self",))
        .select_related("member")
        .filter(member_id__in=member_ids)
        .order_by("member_id")
    }


def lock_wallets(member_ids: Iterable[int]) -> dict[int, Wallet]:
    """Lock the members' wallets, creating the missing ones; call inside a
    transaction. Locks are taken in ascending member id, the one global order.
    """
    ids = sorted(set(member_ids))
    wallets = _lock(ids)
    missing = [member_id for member_id in ids if member_id not in wallets]
    if missing:
        # A new wallet starts at the level 0 points reach, as the audit expects.
        level_id = levels.level_id_for(0)
        Wallet.objects.bulk_create(
            [Wallet(member_id=member_id, level_id=level_id) for member_id in missing],
            ignore_conflicts=True,
        )
        wallets.update(_lock(missing))
    return wallets


def post(wallets: dict[int, Wallet], postings: Sequence[Posting]) -> list[Entry]:
    """Write the postings and move the locked wallets' balances.

    Raises NotEnoughPoints, and writes nothing, when a wallet would go negative.
    """
    if not postings:
        return []
    totals = balance_changes(postings)
    for member_id, (available, held, _lifetime) in totals.items():
        wallet = wallets[member_id]
        if wallet.available + available < 0 or wallet.held + held < 0:
            raise NotEnoughPoints(
                _("You have %(points)d points available; this needs more.")
                % {"points": wallet.available}
            )
    entries = Entry.objects.bulk_create(
        [
            Entry(
                wallet=wallets[posting.member_id],
                kind=posting.kind,
                amount=posting.amount,
                held_amount=posting.held_amount,
                rule=posting.rule,
                reverses=posting.reverses,
                redemption=posting.redemption,
                key=posting.key,
                source=posting.source,
                idea_id=posting.idea_id,
                comment_id=posting.comment_id,
                campaign_id=posting.campaign_id,
                memo=str(posting.memo)[:255],
                reason=posting.memo.stored()
                if isinstance(posting.memo, Reason)
                else {},
                actor=posting.actor,
                created_at=posting.created_at or timezone.now(),
            )
            for posting in postings
        ]
    )
    move_balances(wallets, totals)
    entries_posted.send(sender=Entry, entries=entries)
    return entries


def balance_changes(postings: Sequence[Posting]) -> dict[int, list[int]]:
    """Per member: the change to available, held and lifetime points."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for posting in postings:
        total = totals[posting.member_id]
        total[0] += posting.amount
        total[1] += posting.held_amount
        if posting.kind in EARNING_KINDS:
            total[2] += posting.amount
    return totals


def move_balances(wallets: dict[int, Wallet], totals: dict[int, list[int]]) -> None:
    """Move the locked wallets' cached balances and levels by these changes, in one
    UPDATE however many wallets move (a support moves two)."""
    moved = []
    for member_id, (available, held, lifetime) in totals.items():
        wallet = wallets[member_id]
        wallet.available += available
        wallet.held += held
        wallet.lifetime_earned += lifetime
        wallet.level_id = levels.level_id_for(wallet.lifetime_earned)
        moved.append((wallet, available, held, lifetime))
    if not moved:
        return

    def per_wallet(values: list[tuple[Wallet, int | None]]) -> Value | Case:
        if len(values) == 1:
            return Value(values[0][1], output_field=IntegerField())
        return Case(
            *(When(pk=wallet.pk, then=Value(value)) for wallet, value in values),
            output_field=IntegerField(),
        )

    Wallet.objects.filter(pk__in=[wallet.pk for wallet, *_ in moved]).update(
        available=F("available") + per_wallet([(w, a) for w, a, _h, _l in moved]),
        held=F("held") + per_wallet([(w, h) for w, _a, h, _l in moved]),
        lifetime_earned=F("lifetime_earned")
        + per_wallet([(w, lt) for w, _a, _h, lt in moved]),
        level_id=per_wallet([(w, w.level_id) for w, *_ in moved]),
    )


def reverse(entries: Iterable[Entry], *, why: str, memo: str) -> list[Entry]:
    """Reverse earned entries that are not reversed yet, each by a new entry.

    Pass entries fetched with ``select_related("wallet")``.
    A reversal takes back at most what the wallet still has: points already spent
    are not clawed back below zero (the reversal says so in its memo). ``why`` is
    part of the key: ``removed`` reversals are paid back when content is restored.
    """
    entries = [entry for entry in entries if entry.kind == EntryKind.EARN]
    if not entries:
        return []
    wallets = lock_wallets({entry.wallet.member_id for entry in entries})
    by_wallet = {wallet.pk: wallet for wallet in wallets.values()}
    # Re-read under the lock: a concurrent reversal may have just taken one.
    open_ids = set(
        Entry.objects.filter(
            pk__in=[e.pk for e in entries], reversed_by__isnull=True
        ).values_list("pk", flat=True)
    )
    postings = []
    left = {wallet.pk: wallet.available for wallet in wallets.values()}
    for entry in entries:
        if entry.pk not in open_ids:
            continue
        wallet = by_wallet[entry.wallet_id]
        taken = min(entry.amount, left[wallet.pk])
        left[wallet.pk] -= taken
        note = memo
        if taken < entry.amount:
            note = Reason(
                gettext_noop("%(memo)s (%(spent)d points already spent)"),
                {"memo": memo, "spent": entry.amount - taken},
            )
        postings.append(
            Posting(
                member_id=wallet.member_id,
                kind=EntryKind.REVERSAL,
                key=f"reversal:{why}:{entry.pk}",
                amount=-taken,
                rule=entry.rule,
                reverses=entry,
                source=entry.source,
                idea_id=entry.idea_id,
                comment_id=entry.comment_id,
                campaign_id=entry.campaign_id,
                memo=note,
            )
        )
    return post(wallets, postings)


@transaction.atomic
def adjust(*, member: User, amount: int, memo: str, actor: User) -> Entry:
    """A manual correction by staff, with a memo that says why; audit-logged."""
    if not permissions.can_adjust_points(actor):
        raise NotAllowed(_("You may not adjust members' points."))
    if member.pk == actor.pk:
        raise NotAllowed(_("You cannot adjust your own points."))
    memo = (memo or "").strip()
    if not memo:
        raise InvalidInput(_("Please say why you adjust this member's points."))
    if amount == 0:
        raise InvalidInput(_("An adjustment of 0 points changes nothing."))
    wallets = lock_wallets([member.pk])
    wallet = wallets[member.pk]
    if wallet.available + amount < 0:
        raise NotEnoughPoints(
            _("%(member)s has only %(points)d points available to take back.")
            % {"member": member.public_name, "points": wallet.available}
        )
    count = Entry.objects.filter(wallet=wallet, kind=EntryKind.ADJUSTMENT).count()
    (entry,) = post(
        wallets,
        [
            Posting(
                member_id=member.pk,
                kind=EntryKind.ADJUSTMENT,
                key=f"adjustment:{wallet.pk}:{count + 1}",
                amount=amount,
                memo=memo,
                actor=actor,
            )
        ],
    )
    log(
        instance=wallet,
        action="cocreate.rewards.adjust",
        user=actor,
        data={"member": member.pk, "amount": amount, "memo": memo},
    )
    return entry
