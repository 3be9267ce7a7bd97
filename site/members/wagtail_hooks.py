"""Back office for sign-in: social login providers are configured here, without code."""

from allauth.socialaccount.models import SocialApp
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet


class SocialAppViewSet(ModelViewSet):
    model = SocialApp
    name = "social-login"
    icon = "key"
    menu_label = _("Social login")
    add_to_settings_menu = True
    form_fields = [
        "provider",
        "provider_id",
        "name",
        "client_id",
        "secret",
        "key",
        "settings",
    ]
    list_display = ["name", "provider", "client_id"]
    search_fields = ["name", "provider"]
    search_backend_name = None
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_social_apps():
    return SocialAppViewSet()


@hooks.register("register_log_actions")
def register_sanction_log_actions(actions):
    actions.register_action("cocreate.member.warning", _("Warn"), _("Member warned"))
    actions.register_action(
        "cocreate.member.suspension", _("Suspend"), _("Member suspended")
    )
    actions.register_action("cocreate.member.ban", _("Ban"), _("Member banned"))
    actions.register_action(
        "cocreate.member.lift", _("Lift sanction"), _("Sanction lifted")
    )
    actions.register_action(
        "cocreate.member.contact_consent",
        _("Consent to be contacted"),
        _("Consent to be contacted about their ideas changed"),
    )
    actions.register_action(
        "cocreate.member.consent", _("Consent"), _("A consent changed")
    )


@hooks.register("register_account_menu_item")
def password_account_item(request):
    # Wagtail's own password and email forms are off (settings): these are the
    # one place to change them, with reauthentication and a security email.
    return {
        "url": reverse("account_change_password"),
        "label": _("Password"),
        "help_text": _("Change your password."),
    }


@hooks.register("register_account_menu_item")
def email_addresses_account_item(request):
    return {
        "url": reverse("account_email"),
        "label": _("Email addresses"),
        "help_text": _("Add, verify or remove the addresses you sign in with."),
    }


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("mfa_index"),
        "label": _("Two-factor authentication"),
        "help_text": _("Manage your authenticator app, security keys and codes."),
    }
