from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")

    def ready(self) -> None:
        from ideas import live
        from ideas.integrations import retention, webhooks

        live.connect_receivers()
        webhooks.connect_receivers()
        retention.register_policies()
