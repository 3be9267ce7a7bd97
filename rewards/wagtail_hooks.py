"""Back office of the points economy: its viewsets (``rewards.admin.viewsets``),
the permissions without a viewset and the audit log's actions."""

from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

# Permission policies ------------------------------------------------------------
from rewards.admin.viewsets import RewardsGroup


@hooks.register("register_admin_viewset")
def register_viewsets():
    return RewardsGroup()


@hooks.register("register_permissions")
def register_ledger_permissions():
    """Permissions without a viewset of their own, so groups can be given them:
    adjusting points (and freezing), reading the ledger, importing voucher codes."""
    return Permission.objects.filter(
        content_type__app_label="rewards",
        codename__in=["add_entry", "view_entry", "add_vouchercode"],
    )


# Audit log ----------------------------------------------------------------------


class DataCommentFormatter(LogFormatter):
    """Shows the reason or note the staff member gave as the entry's comment."""

    comment_key = ""

    def format_comment(self, log_entry):
        return (log_entry.data or {}).get(self.comment_key, "")


@hooks.register("register_log_actions")
def register_rewards_log_actions(actions):
    @actions.register_action("cocreate.rewards.adjust")
    class AdjustFormatter(DataCommentFormatter):
        label = _("Points adjusted")
        comment_key = "memo"

        def format_message(self, log_entry):
            amount = (log_entry.data or {}).get("amount")
            if amount is None:
                return _("Points adjusted")
            return _("Points adjusted by %(amount)+d") % {"amount": amount}

    @actions.register_action("cocreate.rewards.freeze")
    class FreezeFormatter(DataCommentFormatter):
        label = _("Points frozen")
        message = _("Points frozen")
        comment_key = "reason"

    actions.register_action(
        "cocreate.rewards.unfreeze", _("Points unfrozen"), _("Points unfrozen")
    )
    actions.register_action(
        "cocreate.rewards.approve", _("Redemption approved"), _("Redemption approved")
    )
    actions.register_action(
        "cocreate.rewards.fulfil", _("Redemption fulfilled"), _("Redemption fulfilled")
    )

    @actions.register_action("cocreate.rewards.reject")
    class RejectFormatter(DataCommentFormatter):
        label = _("Redemption rejected")
        message = _("Redemption rejected")
        comment_key = "note"

    actions.register_action(
        "cocreate.rewards.cancel", _("Redemption cancelled"), _("Redemption cancelled")
    )

    @actions.register_action("cocreate.rewards.import_codes")
    class ImportFormatter(LogFormatter):
        label = _("Voucher codes imported")

        def format_message(self, log_entry):
            added = (log_entry.data or {}).get("added")
            if added is None:
                return _("Voucher codes imported")
            return _("Voucher codes imported: %(added)d added") % {"added": added}

    actions.register_action(
        "cocreate.rewards.export_payout",
        _("Payout exported"),
        _("Payout exported for payment"),
    )
