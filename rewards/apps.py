from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from ideas import events


class RewardsConfig(AppConfig):
    name = "rewards"
    verbose_name = _("Rewards")

    def ready(self) -> None:
        from cocreate.members import display
        from cocreate.members import selectors as member_selectors
        from rewards import earning, privacy, selectors
        from rewards.templatetags import rewards_tags

        earning.connect_receivers()
        # Every support reads the rules and multipliers from the cache.
        for name in ("EarningRule", "CampaignMultiplier"):
            model = self.get_model(name)
            for change, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(
                    earning.forget_tables,
                    sender=model,
                    dispatch_uid=f"rewards.forget_tables.{name}.{change}",
                )
        # The member's download and erasure (cocreate.privacy).
        privacy.register()
        # Names shown next to content carry the member's level: one join, no N+1.
        member_selectors.register_related("wallet__level")
        # Pages show the level next to names and the rewards on profiles.
        display.register_badge(rewards_tags.member_level)
        display.register_profile_section(rewards_tags.member_rewards_html)
        # The product team sees the supporters' mean level beside other signals.
        # A campaign made private leaves the leaderboards' campaign list at once.
        events.campaign_access_changed.connect(
            selectors.forget_campaigns, dispatch_uid="rewards.forget_campaigns"
        )
        events.register_evaluation_signals.connect(
            supporters_level_signal, dispatch_uid="rewards.supporters_level"
        )


def supporters_level_signal(sender, **kwargs):
    """The supporters' mean level, a column of the product team's evaluation."""
    from rewards.selectors import annotate_supporters_level

    return events.EvaluationSignal(
        name="supporters_level",
        label=_("Supporters' level"),
        annotate=annotate_supporters_level,
    )
