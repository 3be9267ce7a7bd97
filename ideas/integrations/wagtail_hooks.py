"""The integrations' back office: webhooks, personal API tokens and their audit
log actions."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks

from ideas.integrations.admin_views import WebhookViewSet
from ideas.integrations.api.admin import NAMESPACE, ApiTokenViewSet, may_manage_tokens


@hooks.register("register_admin_viewset")
def register_webhooks():
    return WebhookViewSet()


@hooks.register("register_log_actions")
def register_webhook_log_actions(actions):
    for action, label, message in [
        ("test", gettext_lazy("Send test"), gettext_lazy("Test delivery sent")),
        ("redeliver", gettext_lazy("Redeliver"), gettext_lazy("Delivery sent again")),
        ("secret", gettext_lazy("New secret"), gettext_lazy("Signing secret replaced")),
        (
            "disable",
            gettext_lazy("Switched off"),
            gettext_lazy("Switched off after failed deliveries"),
        ),
        ("enable", gettext_lazy("Switched on"), gettext_lazy("Switched on again")),
    ]:
        actions.register_action(f"cocreate.webhook.{action}", label, message)


@hooks.register("register_admin_viewset")
def register_api_tokens():
    return ApiTokenViewSet()


@hooks.register("register_account_menu_item")
def api_tokens_account_item(request):
    if not may_manage_tokens(request.user):
        return None
    return {
        "url": reverse(f"{NAMESPACE}:index"),
        "label": _("API tokens"),
        "help_text": _("Create and revoke your personal tokens for the API."),
    }
