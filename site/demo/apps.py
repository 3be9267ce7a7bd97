from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo content and its ``seed_demo`` command: an app of its own, so the
    pages it writes never import it back."""

    name = "cocreate.demo"
    label = "demo"
    verbose_name = _("Demo content")
