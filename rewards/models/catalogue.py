"""The catalogue: rewards, the redemptions members ask for and voucher codes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from cocreate.i18n import Translatable, translated_panels, translation_of
from rewards.iban import EncryptedIBANField, mask_iban


class RewardKind(models.TextChoices):
    VOUCHER = "voucher", _("Voucher")
    GOODS = "goods", _("Goods")
    DONATION = "donation", _("Donation")
    MONEY = "money", _("Money")


class Reward(Translatable, models.Model):
    """Something in the catalogue that points convert into."""

    title = models.CharField(_("title"), max_length=120)
    title_fr = translation_of(title)
    description = models.TextField(_("description"), blank=True)
    description_fr = translation_of(description)
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
    cause_fr = translation_of(cause)
    is_active = models.BooleanField(_("shown in the catalogue"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    translated_fields = ("title", "description", "cause")
    panels = [
        *translated_panels("title"),
        FieldPanel("kind"),
        *translated_panels("description"),
        FieldPanel("image"),
        FieldPanel("cost"),
        *translated_panels("cause"),
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
        return self.i18n.title

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
    # Encrypted at rest; erased when the payout closes, leaving its masked form.
    iban = EncryptedIBANField(_("IBAN"), max_length=255, blank=True)
    iban_masked = models.CharField(_("IBAN (masked)"), max_length=24, blank=True)
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
        """The account shown to people: from the IBAN while kept, then as kept."""
        return mask_iban(self.iban) if self.iban else self.iban_masked


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
