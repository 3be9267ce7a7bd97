from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from cocreate.text import SingleLineCharField

# Members without a password type this word, in their own language or English.
CONFIRMATION_WORD = "ERASE"


def confirmation_word() -> str:
    return pgettext("the word typed, in capitals, to confirm an erasure", "ERASE")


class ErasureForm(forms.Form):
    """Shape only: the password check, against the member, is in ``clean``."""

    content = forms.ChoiceField(
        label=_("My ideas and comments"),
        choices=[
            ("keep", _("Keep them, signed “Former member”")),
            (
                "remove",
                _("Remove them: their text and images go, the others’ replies stay"),
            ),
        ],
        widget=forms.RadioSelect,
        initial="keep",
    )
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
        strip=False,
        error_messages={"required": _("Please enter your password to confirm.")},
    )
    # Its label and message name the word in the reader's language (``__init__``).
    confirmation = SingleLineCharField(required=False, max_length=20)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        # Members who signed up through a social account have no password.
        if member.has_usable_password():
            del self.fields["confirmation"]
            self.fields["password"].required = True
        else:
            del self.fields["password"]
            confirmation = self.fields["confirmation"]
            confirmation.required = True
            confirmation.label = _("Type %(word)s to confirm") % {
                "word": confirmation_word()
            }
            confirmation.error_messages["required"] = self.retype_message()

    @staticmethod
    def retype_message() -> str:
        return _("Please type %(word)s to confirm.") % {"word": confirmation_word()}

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if not self.member.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password

    def clean_confirmation(self):
        typed = self.cleaned_data.get("confirmation", "")
        if typed.strip().upper() not in {
            confirmation_word().upper(),
            CONFIRMATION_WORD,
        }:
            raise forms.ValidationError(self.retype_message())
        return typed

    @property
    def keep_content(self) -> bool:
        return self.cleaned_data["content"] == "keep"


class StaffErasureForm(forms.Form):
    content = forms.ChoiceField(
        label=_("The member's ideas and comments"),
        choices=ErasureForm.base_fields["content"].choices,
        widget=forms.RadioSelect,
        initial="keep",
    )
    at_once = forms.BooleanField(
        label=_("Erase at once, without the grace period"),
        required=False,
        help_text=_(
            "Only for a request whose sender you checked is the member; otherwise "
            "the member is emailed and can cancel during the grace period."
        ),
    )
    reference = SingleLineCharField(
        label=_("Reference of the request"),
        max_length=120,
        help_text=_("The ticket or email it came with, kept in the audit log."),
    )

    @property
    def keep_content(self) -> bool:
        return self.cleaned_data["content"] == "keep"
