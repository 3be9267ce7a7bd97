from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cocreate.i18n import supported
from cocreate.images import ImageRejected, validate_image
from cocreate.members import consents
from cocreate.members.models import ConsentSource, LegalVersion, Purpose, User
from cocreate.text import SingleLineCharField
from cocreate.uploads import RefusedUploadsMixin


def _opt_in_field(purpose: str) -> forms.BooleanField:
    """A checkbox whose label and help text come from the model, so the form says
    what is stored (and the consent record keeps those words)."""
    model_field = User._meta.get_field(consents.OPT_IN_FIELDS[purpose])
    return forms.BooleanField(
        label=capfirst(model_field.verbose_name),
        help_text=model_field.help_text,
        required=False,
        label_suffix="",  # the box comes first: no colon after its words
    )


def _legal_links(versions: list[LegalVersion]):
    return format_html_join(
        gettext(" and "),
        '<a href="{}" target="_blank" rel="noopener">{}</a>',
        ((version.url, version.title) for version in versions),
    )


def language_choices() -> list[tuple[str, str]]:
    """Each language in its own words ("Français"), and "as my browser says"."""
    return [
        ("", _("As my browser says")),
        *(
            (code, translation.get_language_info(code)["name_local"])
            for code, _name in settings.LANGUAGES
        ),
    ]


class OptInsMixin:
    """The three opt-ins, as fields named after their purpose."""

    OPT_INS = (Purpose.CONTACT, Purpose.RESEARCH, Purpose.MARKETING)

    def opt_in_fields(self) -> None:
        for purpose in self.OPT_INS:
            self.fields[f"consent_{purpose}"] = _opt_in_field(purpose)

    def save_opt_ins(self, member: User, *, source: str) -> None:
        for purpose in self.OPT_INS:
            field = self.fields[f"consent_{purpose}"]
            consents.set_consent(
                member=member,
                purpose=purpose,
                granted=bool(self.cleaned_data.get(f"consent_{purpose}")),
                source=source,
                text=f"{field.label}. {field.help_text}",
            )


class SignupDetailsForm(OptInsMixin, forms.Form):
    """Extra fields on allauth's sign-up form (the social sign-up form too): the
    display name, the acceptance of the current terms and privacy policy, and
    the opt-ins, all unticked."""

    display_name = SingleLineCharField(
        label=_("Display name"),
        max_length=60,
        help_text=_("Shown next to your ideas and comments."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.legal_versions = consents.current_legal_versions()
        if self.legal_versions:
            self.fields["accept_terms"] = forms.BooleanField(
                label=format_html(
                    gettext("I have read and accept the {}."),
                    _legal_links(self.legal_versions),
                ),
                label_suffix="",
                error_messages={
                    "required": _(
                        "Please accept the terms of use and the privacy policy "
                        "to create your account."
                    )
                },
            )
        self.opt_in_fields()

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please choose a display name."))
        return name

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        # The language the sign-up page was shown in: emails start in it.
        user.language = supported(translation.get_language())
        user.save(update_fields=["display_name", "language"])
        if self.legal_versions:
            consents.accept_legal(
                member=user, source=ConsentSource.SIGNUP, versions=self.legal_versions
            )
        self.save_opt_ins(user, source=ConsentSource.SIGNUP)


class ConsentsForm(OptInsMixin, forms.Form):
    """The member's opt-ins, in one place."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.opt_in_fields()


class AcceptTermsForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read and accept the updated documents."),
        error_messages={
            "required": _("Please tick the box to accept the updated documents.")
        },
    )


class ProfileForm(RefusedUploadsMixin, forms.Form):
    upload_field = "avatar"
    display_name = SingleLineCharField(label=_("Display name"), max_length=60)
    avatar = forms.ImageField(
        label=_("Avatar"),
        required=False,
        help_text=_("JPEG, PNG, GIF or WebP; it is cropped to a square."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        help_text=_("The site, your emails and your notifications use it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()

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
