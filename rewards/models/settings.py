"""The brand's settings for the points economy."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


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
