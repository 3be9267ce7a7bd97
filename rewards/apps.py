from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RewardsConfig(AppConfig):
    name = "rewards"
    verbose_name = _("Rewards")

    def ready(self) -> None:
        from cocreate.members import selectors as member_selectors
        from ideas.product import evaluation
        from rewards import earning, selectors

        earning.connect_receivers()
        # Names shown next to content carry the member's level: one join, no N+1.
        member_selectors.register_related("wallet__level")
        # The product team sees the supporters' mean level beside other signals.
        evaluation.register_signal(
            "supporters_level",
            label=_("Supporters' level"),
            annotate=selectors.annotate_supporters_level,
        )
