from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")

    def ready(self) -> None:
        from ideas import live, privacy
        from ideas.integrations import webhooks

        live.connect_receivers()
        webhooks.connect_receivers()
        privacy.register()
