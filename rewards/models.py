"""The points economy: rules, an append-only ledger, wallets, levels, badges and a
catalogue of rewards that members redeem their points for.

The ledger is the truth: a wallet's balances are the sums of its entries, cached on
the wallet in the same transaction, and database constraints keep them from going
negative. Entries are never changed or deleted; a reversal is a new entry.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class Trigger(models.TextChoices):
    """What a member did (or what happened to their idea) that may earn points."""

    IDEA_PUBLISHED = "idea_published", _("Idea published (author)")
    FIRST_IDEA = "first_idea", _("First idea published (author, once)")
    SUPPORT_RECEIVED = "support_received", _("Support received (idea's author)")
    SUPPORT_GIVEN = "support_given", _("Support given (supporter)")
    COMMENT_POSTED = "comment_posted", _("Comment posted (commenter)")
    THRESHOLD_REACHED = (
        "threshold_reached",
        _("Idea reached its campaign's support threshold (author)"),
    )
    SHORTLISTED = "shortlisted", _("Idea shortlisted (author)")
    PROMOTED = "promoted", _("Idea promoted into R&D (author)")
    SHIPPED = "shipped", _("Idea shipped (author)")


class EarningRule(models.Model):
    """How many points one trigger pays, with a daily cap per member."""

    trigger = models.CharField(
        _("when"), max_length=30, choices=Trigger.choices, unique=True
    )
    points = models.PositiveIntegerField(_("points"))
    daily_cap = models.PositiveIntegerField(
        _("daily cap"),
        null=True,
        blank=True,
        help_text=_(
            "Most points one member earns from this rule in a day. Empty: no cap."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    panels = [
        FieldPanel("trigger"),
        FieldPanel("points"),
        FieldPanel("daily_cap"),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = _("earning rule")
        verbose_name_plural = _("earning rules")
        ordering = ["trigger"]

    def __str__(self) -> str:
        return str(self.get_trigger_display())


class CampaignMultiplier(models.Model):
    """Points earned on a campaign's ideas count this many times (a promotion)."""

    campaign = models.OneToOneField(
        "ideas.CampaignPage",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="points_multiplier",
    )
    multiplier = models.DecimalField(
        _("multiplier"),
        max_digits=4,
        decimal_places=2,
        default=1,
        help_text=_("2 doubles every point earned on this campaign's ideas."),
    )

    panels = [FieldPanel("campaign"), FieldPanel("multiplier")]

    class Meta:
        verbose_name = _("campaign multiplier")
        verbose_name_plural = _("campaign multipliers")
        constraints = [
            models.CheckConstraint(
                condition=Q(multiplier__gte=0) & Q(multiplier__lte=10),
                name="multiplier_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} × {self.multiplier}"


class Level(models.Model):
    """A step of lifetime points, shown next to members' names."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    threshold = models.PositiveIntegerField(
        _("lifetime points"),
        unique=True,
        help_text=_("Members reach this level once they have earned this many."),
    )

    panels = [FieldPanel("name"), FieldPanel("threshold")]

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["threshold"]

    def __str__(self) -> str:
        return self.name


class Milestone(models.TextChoices):
    FIRST_IDEA = "first_idea", _("First idea published")
    FIRST_SUPPORT_RECEIVED = "first_support_received", _("First support received")
    FIRST_COMMENT = "first_comment", _("First comment")
    TEN_IDEAS = "ten_ideas", _("Ten ideas published")
    HUNDRED_SUPPORTS_GIVEN = "hundred_supports_given", _("100 supports given")
    IDEA_SHORTLISTED = "idea_shortlisted", _("An idea shortlisted")
    IDEA_IN_RND = "idea_in_rnd", _("An idea promoted into R&D")
    IDEA_SHIPPED = "idea_shipped", _("An idea shipped")


class Badge(models.Model):
    """A milestone badge, awarded once per member; name and text are editable."""

    milestone = models.CharField(
        _("milestone"), max_length=40, choices=Milestone.choices, unique=True
    )
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=255, blank=True)
    symbol = models.CharField(
        _("symbol"), max_length=8, default="★", help_text=_("An emoji or a letter.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    panels = [
        FieldPanel("milestone"),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("symbol"),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class MemberBadge(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badges"
    )
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="awards")
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("awarded badge")
        constraints = [
            models.UniqueConstraint(fields=["member", "badge"], name="badge_once")
        ]

    def __str__(self) -> str:
        return f"{self.badge} → {self.member_id}"


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


class RewardKind(models.TextChoices):
    VOUCHER = "voucher", _("Voucher")
    GOODS = "goods", _("Goods")
    DONATION = "donation", _("Donation")
    MONEY = "money", _("Money")


class Reward(models.Model):
    """Something in the catalogue that points convert into."""

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RewardKind.choices)
    cost = models.PositiveIntegerField(
        _("cost in points"),
        help_text=_("For money, the smallest payout in points; members choose more."),
    )
    stock = models.PositiveIntegerField(
        _("stock"), null=True, blank=True, help_text=_("Empty: unlimited.")
    )
    available_from = models.DateTimeField(_("available from"), null=True, blank=True)
    available_until = models.DateTimeField(_("available until"), null=True, blank=True)
    limit_per_member = models.PositiveIntegerField(
        _("limit per member"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    cause = models.CharField(
        _("cause"),
        max_length=120,
        blank=True,
        help_text=_("For donations: who receives the money."),
    )
    is_active = models.BooleanField(_("shown in the catalogue"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    panels = [
        FieldPanel("title"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("image"),
        FieldPanel("cost"),
        FieldPanel("cause"),
        MultiFieldPanel(
            [
                FieldPanel("stock"),
                FieldPanel("limit_per_member"),
                FieldPanel("available_from"),
                FieldPanel("available_until"),
                FieldPanel("is_active"),
            ],
            heading=_("Availability"),
        ),
    ]

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["cost", "title"]

    def __str__(self) -> str:
        return self.title

    def is_available(self, now=None) -> bool:
        now = now or timezone.now()
        if not self.is_active:
            return False
        if self.available_from and now < self.available_from:
            return False
        return not (self.available_until and now > self.available_until)

    @property
    def in_stock(self) -> bool:
        return self.stock is None or self.stock > 0


class RedemptionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    FULFILLED = "fulfilled", _("Fulfilled")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_REDEMPTION_STATUSES = (RedemptionStatus.PENDING, RedemptionStatus.APPROVED)


class Redemption(models.Model):
    """A member's request to convert points; its points are held until it closes."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="redemptions",
    )
    reward = models.ForeignKey(
        Reward,
        verbose_name=_("reward"),
        on_delete=models.PROTECT,
        related_name="redemptions",
    )
    points = models.PositiveIntegerField(_("points"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RedemptionStatus.choices,
        default=RedemptionStatus.PENDING,
    )
    # Goods
    shipping_name = models.CharField(_("name"), max_length=120, blank=True)
    shipping_address = models.TextField(_("address"), blank=True)
    shipping_postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    shipping_city = models.CharField(_("city"), max_length=80, blank=True)
    shipping_country = models.CharField(_("country"), max_length=80, blank=True)
    # Money
    account_holder = models.CharField(_("account holder"), max_length=120, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"), default=0)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    exported_at = models.DateTimeField(_("exported for payment"), null=True, blank=True)
    # The team's answer
    note = models.CharField(_("note to the member"), max_length=255, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="redemption_queue"),
            models.Index(fields=["member", "reward"], name="redemption_member"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RedemptionStatus.values),
                name="redemption_status_valid",
            ),
            models.CheckConstraint(condition=Q(points__gt=0), name="redemption_paid"),
        ]

    def __str__(self) -> str:
        return f"{self.reward} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REDEMPTION_STATUSES

    @property
    def masked_iban(self) -> str:
        from rewards.iban import mask_iban

        return mask_iban(self.iban)


class VoucherCode(models.Model):
    """One code of a voucher reward's pool, imported by the brand, issued once."""

    reward = models.ForeignKey(
        Reward, on_delete=models.CASCADE, related_name="voucher_codes"
    )
    code = models.CharField(_("code"), max_length=120)
    redemption = models.OneToOneField(
        Redemption,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voucher",
    )
    imported_at = models.DateTimeField(default=timezone.now)
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("voucher code")
        verbose_name_plural = _("voucher codes")
        constraints = [
            models.UniqueConstraint(fields=["reward", "code"], name="voucher_unique")
        ]
        indexes = [
            models.Index(fields=["reward", "redemption"], name="voucher_pool"),
        ]

    def __str__(self) -> str:
        return f"{self.reward}: …{self.code[-4:]}"


@register_setting(icon="pick")
class RewardSettings(BaseGenericSetting):
    """Rates and guards of the points economy, editable by the brand."""

    points_per_currency_unit = models.PositiveIntegerField(
        _("points per euro"),
        default=100,
        validators=[MinValueValidator(1)],
        help_text=_("Money rewards pay one euro for this many points."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    money_minimum_points = models.PositiveIntegerField(
        _("smallest money payout, in points"), default=1000
    )
    supporter_min_account_days = models.PositiveIntegerField(
        _("days before a new account's supports pay points"),
        default=2,
        help_text=_("Supports from younger accounts still count but earn nothing."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("points_per_currency_unit"),
                FieldPanel("currency"),
                FieldPanel("money_minimum_points"),
            ],
            heading=_("Money payouts"),
        ),
        FieldPanel("supporter_min_account_days"),
    ]

    class Meta:
        verbose_name = _("rewards")
