"""The ledger: wallets and their append-only entries.

The ledger is the truth: a wallet's balances are the sums of its entries, cached on
the wallet in the same transaction, and database constraints keep them from going
negative. Entries are never changed or deleted; a reversal is a new entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rewards.models.levels import Level
from rewards.models.rules import EarningRule


class Wallet(models.Model):
    """A member's points: cached sums of their entries, never negative."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="wallet",
    )
    available = models.IntegerField(_("available points"), default=0)
    held = models.IntegerField(_("held points"), default=0)
    lifetime_earned = models.IntegerField(_("lifetime points"), default=0)
    level = models.ForeignKey(
        Level,
        verbose_name=_("level"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    frozen_reason = models.CharField(_("why frozen"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("wallet")
        verbose_name_plural = _("wallets")
        constraints = [
            models.CheckConstraint(
                condition=Q(available__gte=0), name="wallet_available_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(held__gte=0), name="wallet_held_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(lifetime_earned__gte=0),
                name="wallet_lifetime_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return _("Wallet of %(member)s") % {"member": self.member}

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class EntryKind(models.TextChoices):
    EARN = "earn", _("Earned")
    REVERSAL = "reversal", _("Reversed")
    ADJUSTMENT = "adjustment", _("Adjustment")
    HOLD = "hold", _("Held for a redemption")
    RELEASE = "release", _("Released")
    SETTLE = "settle", _("Spent")


#: Kinds whose amounts count toward lifetime points (and so levels, leaderboards).
EARNING_KINDS = (EntryKind.EARN, EntryKind.REVERSAL)


class Entry(models.Model):
    """One line of the ledger. ``amount`` moves available points, ``held_amount``
    held points; a hold moves points from one to the other.
    """

    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    amount = models.IntegerField(_("points"), default=0)
    held_amount = models.IntegerField(_("held points"), default=0)
    rule = models.ForeignKey(
        EarningRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    redemption = models.ForeignKey(
        "Redemption",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    # What earned it, as plain ids: the ledger outlives and never follows content.
    source = models.CharField(_("source"), max_length=60, blank=True, db_index=True)
    idea_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    comment_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    campaign_id = models.BigIntegerField(null=True, blank=True)
    memo = models.CharField(_("reason"), max_length=255, blank=True)
    # The memo's untranslated message and arguments (rewards.reasons), so each
    # member reads their history in their own language; the memo stays the record.
    reason = models.JSONField(_("reason, untranslated"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["wallet", "-created_at", "-id"], name="entry_wallet"),
            models.Index(fields=["wallet", "rule", "created_at"], name="entry_cap"),
            models.Index(
                fields=["created_at", "kind", "wallet"], name="entry_leaderboard"
            ),
            models.Index(
                fields=["campaign_id", "created_at"], name="entry_campaign_board"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EntryKind.values), name="entry_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind=EntryKind.REVERSAL) | Q(reverses__isnull=True),
                name="entry_only_reversals_reverse",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.REVERSAL) | Q(reverses__isnull=False),
                name="entry_reversal_names_entry",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.ADJUSTMENT)
                | (Q(actor__isnull=False) & ~Q(memo="")),
                name="entry_adjustment_has_actor_and_memo",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["hold", "release", "settle"])
                | Q(redemption__isnull=False),
                name="entry_hold_names_redemption",
            ),
            # A redemption holds once and is then released or settled, once.
            models.UniqueConstraint(
                fields=["redemption"],
                condition=Q(kind="hold"),
                name="entry_one_hold_per_redemption",
            ),
            models.UniqueConstraint(
                fields=["redemption"],
                condition=Q(kind__in=["release", "settle"]),
                name="entry_hold_closed_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount:+d} ({self.key})"
