from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cocreate.images import ImageRejected, validate_image
from cocreate.members.models import User
from cocreate.uploads import RefusedUploadsMixin

_consent_field = User._meta.get_field("contact_consent")


class SignupDetailsForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        help_text=_("Shown next to your ideas and comments."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please choose a display name."))
        return name

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class ProfileForm(RefusedUploadsMixin, forms.Form):
    upload_field = "avatar"
    display_name = forms.CharField(label=_("Display name"), max_length=60)
    avatar = forms.ImageField(
        label=_("Avatar"),
        required=False,
        help_text=_("JPEG, PNG, GIF or WebP; it is cropped to a square."),
    )
    # Label and help text come from the model, so the form says what is stored.
    contact_consent = forms.BooleanField(
        label=capfirst(_consent_field.verbose_name),
        help_text=_consent_field.help_text,
        required=False,
        widget=forms.CheckboxInput(
            attrs={"aria-describedby": "id_contact_consent-help"}
        ),
    )

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please choose a display name."))
        return name

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar:
            try:
                validate_image(avatar)
            except ImageRejected as exc:
                raise forms.ValidationError(str(exc)) from exc
        return avatar
