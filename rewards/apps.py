from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RewardsConfig(AppConfig):
    name = "rewards"
    verbose_name = _("Rewards")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from cocreate.members import selectors as member_selectors
        from ideas.product import evaluation
        from rewards import achievements, earning, levels, selectors
        from rewards.models import Badge, Level

        earning.connect_receivers()
        # Names shown next to content carry the member's level: one join, no N+1.
        member_selectors.register_related("wallet__level")
        # The product team sees the supporters' mean level beside other signals.
        evaluation.register_signal(
            "supporters_level",
            label=_("Supporters' level"),
            annotate=selectors.annotate_supporters_level,
        )
        # Cached tables follow their rows; levels are reassigned to every wallet.
        for signal in (post_save, post_delete):
            signal.connect(
                levels.on_levels_changed, sender=Level, dispatch_uid=f"levels.{signal}"
            )
            signal.connect(
                lambda **kwargs: achievements.forget(),
                sender=Badge,
                weak=False,
                dispatch_uid=f"badges.{signal}",
            )
