"""Forms of the rewards back office. They check the shape of the input only; the
services decide whether it is allowed and say why not."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from cocreate.text import SingleLineCharField
from rewards.models import (
    OPEN_REDEMPTION_STATUSES,
    Redemption,
    RedemptionStatus,
    Reward,
    RewardKind,
    Wallet,
)

#: A pool of codes is a text file; past this size it is surely the wrong file.
MAX_CODES_FILE_BYTES = 2 * 1024 * 1024
#: No single correction moves more points than this (a typo guard, not a rule).
MAX_ADJUSTMENT = 1_000_000


class ImportVoucherCodesForm(forms.Form):
    codes_file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_(
            "One code per line, in the first column; a first line named “code” "
            "is skipped."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )
    codes_text = forms.CharField(
        label=_("Or paste the codes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )

    def clean_codes_file(self):
        upload = self.cleaned_data.get("codes_file")
        if not upload:
            return ""
        if upload.size > MAX_CODES_FILE_BYTES:
            raise forms.ValidationError(
                _("This file is larger than 2 MB; split it into smaller files.")
            )
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                _("This file is not UTF-8 text; save it from your spreadsheet as CSV.")
            ) from exc

    def clean(self):
        cleaned = super().clean()
        from_file = cleaned.get("codes_file") or ""
        pasted = cleaned.get("codes_text") or ""
        if self.errors:
            return cleaned
        if from_file.strip() and pasted.strip():
            raise forms.ValidationError(
                _("Upload a file or paste the codes, not both.")
            )
        if not from_file.strip() and not pasted.strip():
            raise forms.ValidationError(
                _("Choose a CSV file or paste the codes, one per line.")
            )
        cleaned["csv_text"] = from_file or pasted
        return cleaned


class RedemptionNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the member"),
        required=False,
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown to the member. Required to reject; a tracking number or a "
            "thank-you when you fulfil."
        ),
    )


class MarkPaidForm(forms.Form):
    redemptions = forms.TypedMultipleChoiceField(
        label=_("Payouts"), coerce=int, choices=()
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["redemptions"].choices = choices
        self.fields["redemptions"].error_messages["required"] = _(
            "Tick the payouts the bank has paid."
        )


class AdjustPointsForm(forms.Form):
    amount = forms.IntegerField(
        label=_("Points"),
        min_value=-MAX_ADJUSTMENT,
        max_value=MAX_ADJUSTMENT,
        help_text=_("Positive to give points, negative to take them back."),
    )
    memo = SingleLineCharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("Kept in the ledger and the audit log."),
        error_messages={
            "required": _("Please say why you adjust this member's points.")
        },
    )


class FreezeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why freeze?"),
        max_length=255,
        help_text=_(
            "The member keeps earning but cannot redeem; they see this reason."
        ),
        error_messages={
            "required": _("Please say why you freeze this member's points.")
        },
    )


# Listing filters --------------------------------------------------------------


class RedemptionFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            ("open", _("Open (waiting or approved)")),
            *RedemptionStatus.choices,
        ],
        method="filter_status",
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Reward kind"),
        field_name="reward__kind",
        choices=RewardKind.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    reward = django_filters.ModelChoiceFilter(
        label=_("Reward"), queryset=Reward.objects.order_by("title")
    )

    class Meta:
        model = Redemption
        fields = []

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_REDEMPTION_STATUSES)
        return queryset.filter(status=value)


class WalletFilterSet(WagtailFilterSet):
    frozen = django_filters.BooleanFilter(
        label=_("Frozen"),
        field_name="frozen_at",
        lookup_expr="isnull",
        exclude=True,
        widget=forms.RadioSelect(
            choices=[
                ("", _("All")),
                ("true", _("Frozen")),
                ("false", _("Not frozen")),
            ]
        ),
    )

    class Meta:
        model = Wallet
        fields = []
