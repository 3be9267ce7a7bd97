"""The points economy: rules, an append-only ledger, wallets, levels, badges and a
catalogue of rewards that members redeem their points for."""

from rewards.models.catalogue import (
    OPEN_REDEMPTION_STATUSES,
    Redemption,
    RedemptionStatus,
    Reward,
    RewardKind,
    VoucherCode,
)
from rewards.models.ledger import EARNING_KINDS, Entry, EntryKind, Wallet
from rewards.models.levels import Badge, Level, MemberBadge, Milestone
from rewards.models.rules import CampaignMultiplier, EarningRule, Trigger
from rewards.models.settings import RewardSettings

__all__ = [
    "EARNING_KINDS",
    "OPEN_REDEMPTION_STATUSES",
    "Badge",
    "CampaignMultiplier",
    "EarningRule",
    "Entry",
    "EntryKind",
    "Level",
    "MemberBadge",
    "Milestone",
    "Redemption",
    "RedemptionStatus",
    "Reward",
    "RewardKind",
    "RewardSettings",
    "Trigger",
    "VoucherCode",
    "Wallet",
]
