"""Back office for sign-in: social login providers are configured here, without code."""

from allauth.socialaccount.models import SocialApp
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
