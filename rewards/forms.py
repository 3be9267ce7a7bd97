"""Forms validate shape only; the services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cocreate.text import MultiLineCharField, SingleLineCharField
from rewards.iban import validate_iban
from rewards.models import Reward, RewardKind
from rewards.redemptions import Details
from rewards.selectors import MoneyTerms


class RedeemForm(forms.Form):
    """What a redemption asks for, by the reward's kind: an address for goods, an
    account and an amount for money, nothing for vouchers and donations."""

    def __init__(self, *args, reward: Reward, terms: MoneyTerms | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.reward = reward
        if reward.kind == RewardKind.GOODS:
            self._add_shipping_fields()
        elif reward.kind == RewardKind.MONEY and terms is not None:
            self._add_money_fields(terms)

    def _add_shipping_fields(self) -> None:
        self.fields["shipping_name"] = SingleLineCharField(
            label=_("Name"),
            max_length=120,
            widget=forms.TextInput(attrs={"autocomplete": "name"}),
        )
        self.fields["shipping_address"] = MultiLineCharField(
            label=_("Address"),
            max_length=500,
            widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        )
        self.fields["shipping_postcode"] = SingleLineCharField(
            label=_("Postcode"),
            max_length=20,
            widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
        )
        self.fields["shipping_city"] = SingleLineCharField(
            label=_("City"),
            max_length=80,
            widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
        )
        self.fields["shipping_country"] = SingleLineCharField(
            label=_("Country"),
            max_length=80,
            widget=forms.TextInput(attrs={"autocomplete": "country-name"}),
        )

    def _add_money_fields(self, terms: MoneyTerms) -> None:
        self.fields["points"] = forms.IntegerField(
            label=_("Points to convert"),
            min_value=1,
            initial=terms.minimum,
            help_text=_("At least %(minimum)d points.") % {"minimum": terms.minimum},
            widget=forms.NumberInput(
                attrs={
                    "min": terms.minimum,
                    "step": 1,
                    "inputmode": "numeric",
                    "data-points-rate": terms.rate,
                    "data-points-currency": terms.currency,
                }
            ),
        )
        self.fields["account_holder"] = SingleLineCharField(
            label=_("Account holder"),
            max_length=120,
            widget=forms.TextInput(attrs={"autocomplete": "name"}),
        )
        self.fields["iban"] = SingleLineCharField(
            label=_("IBAN"),
            max_length=42,
            help_text=_("Shown masked once saved: only its last four characters."),
            widget=forms.TextInput(
                attrs={
                    "autocomplete": "off",
                    "spellcheck": "false",
                    "autocapitalize": "characters",
                }
            ),
        )

    def clean_iban(self) -> str:
        try:
            return validate_iban(self.cleaned_data.get("iban", ""))
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages[0]) from exc

    def details(self) -> Details:
        data = self.cleaned_data
        return Details(
            points=data.get("points"),
            shipping_name=data.get("shipping_name", ""),
            shipping_address=data.get("shipping_address", ""),
            shipping_postcode=data.get("shipping_postcode", ""),
            shipping_city=data.get("shipping_city", ""),
            shipping_country=data.get("shipping_country", ""),
            account_holder=data.get("account_holder", ""),
            iban=data.get("iban", ""),
        )
