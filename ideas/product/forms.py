"""Forms of the product team's back office. They check shape only; the services
(``ideas.shortlists``, ``ideas.scoring``, ``ideas.rnd``) decide and explain."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cocreate.params import IdChoiceField
from cocreate.text import SingleLineCharField
from ideas.models import Criterion, Shortlist
from ideas.product import rnd


class OwnIdsMixin:
    """Several forms share one page: each gives its fields ids of its own."""

    id_prefix = "form"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AddToShortlistForm(OwnIdsMixin, forms.Form):
    id_prefix = "shortlist"
    shortlist = IdChoiceField(
        label=_("Shortlist"),
        queryset=Shortlist.objects.none(),
        empty_label=_("Choose a shortlist"),
        error_messages={
            "required": _("Choose the shortlist to add the idea to."),
            "invalid_choice": _("This shortlist no longer exists; choose another."),
        },
    )
    note = forms.CharField(
        label=_("Note for the team"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    mark_shortlisted = forms.BooleanField(
        label=_("Also move it to shortlisted"), required=False
    )
    status_note = forms.CharField(
        label=_("Public note on the status change"),
        required=False,
        max_length=2_000,
        help_text=_("Required when the idea moves to shortlisted: members read it."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, exclude_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shortlist"].queryset = Shortlist.objects.exclude(
            pk__in=list(exclude_ids)
        )


def criterion_field_name(criterion: Criterion) -> str:
    return f"criterion_{criterion.pk}"


class ScoreForm(OwnIdsMixin, forms.Form):
    """One field per criterion in use, 1..scale; blank means not scored."""

    id_prefix = "score"

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[criterion_field_name(criterion)] = forms.IntegerField(
                label=criterion.name,
                help_text=criterion.description,
                required=False,
                min_value=1,
                max_value=criterion.scale,
                error_messages={
                    "min_value": _("Score from 1 to %(scale)d.")
                    % {"scale": criterion.scale},
                    "max_value": _("Score from 1 to %(scale)d.")
                    % {"scale": criterion.scale},
                    "invalid": _("Write a whole number from 1 to %(scale)d.")
                    % {"scale": criterion.scale},
                },
                widget=forms.NumberInput(
                    attrs={"min": 1, "max": criterion.scale, "step": 1}
                ),
            )

    def values(self) -> dict[int, int | None]:
        return {
            criterion.pk: self.cleaned_data.get(criterion_field_name(criterion))
            for criterion in self.criteria
        }


class OwnerChoiceField(IdChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.public_name


class PromoteForm(OwnIdsMixin, forms.Form):
    id_prefix = "promote"
    ticket_key = SingleLineCharField(
        label=_("R&D ticket"),
        max_length=60,
        help_text=_("The key in the R&D tracker, e.g. RND-142."),
        error_messages={"required": _("Please give the R&D ticket, e.g. RND-142.")},
    )
    ticket_url = SingleLineCharField(
        label=_("Ticket link"), required=False, max_length=500
    )
    owner = OwnerChoiceField(
        label=_("Owner in R&D"),
        queryset=get_user_model().objects.none(),
        empty_label=_("Choose the owner"),
        error_messages={
            "required": _("Please choose who owns the idea in R&D."),
            "invalid_choice": _("This person is not in the brand team."),
        },
    )
    target_date = forms.DateField(
        label=_("Target date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Write the date as YYYY-MM-DD.")},
    )
    note = forms.CharField(
        label=_("Public note"),
        required=False,
        max_length=2_000,
        help_text=_("Tells the author, supporters and followers what happens next."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = rnd.possible_owners()


class ShipForm(OwnIdsMixin, forms.Form):
    id_prefix = "ship"
    product_url = SingleLineCharField(
        label=_("Product link"),
        max_length=500,
        error_messages={"required": _("Please give the link to the product.")},
    )
    note = forms.CharField(
        label=_("Public note"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
