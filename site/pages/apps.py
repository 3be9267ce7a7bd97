from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "cocreate.pages"
    label = "pages"
    verbose_name = _("Pages")

    def ready(self) -> None:
        from cocreate.pages import receivers, retention

        receivers.connect_receivers()
        retention.register_policies()
