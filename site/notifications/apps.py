from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "cocreate.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from cocreate.notifications import integrations, privacy, receivers, retention

        receivers.connect_receivers()
        integrations.connect_receivers()
        privacy.register()
        retention.register_policies()
