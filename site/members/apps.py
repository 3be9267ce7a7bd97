from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "cocreate.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from cocreate.members import (
            receivers,  # noqa: F401 (connects them)
            retention,
        )

        retention.register_policies()
