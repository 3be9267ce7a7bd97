from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "cocreate.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from cocreate.privacy import account_data

        account_data.register()
