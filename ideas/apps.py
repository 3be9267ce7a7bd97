from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")

    def ready(self) -> None:
        from ideas import events, live, page_cache, permissions, privacy
        from ideas.integrations import retention, webhooks
        from ideas.models import access

        access.connect_receivers()
        events.idea_viewers.connect(
            permissions.idea_viewers, dispatch_uid="ideas.permissions.idea_viewers"
        )
        live.connect_receivers()
        page_cache.connect_receivers()
        webhooks.connect_receivers()
        privacy.register()
        retention.register_policies()
