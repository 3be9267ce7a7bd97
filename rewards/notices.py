"""Tell members about their points and their requests in the bell (and by email,
as they choose). Rewards knows the site's notification service, not the reverse."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext as _

from cocreate.i18n import in_site_language
from cocreate.notifications import services
from cocreate.notifications.models import Kind
from rewards import feedback, reasons
from rewards.models import Entry, Redemption


@in_site_language()
def points_earned(entries: list[Entry], *, actor_id: int | None) -> None:
    """Points others made a member earn (a support received, a status reached);
    the member who acted sees their own points on the page instead."""
    totals: dict[int, list[Entry]] = defaultdict(list)
    for entry in entries:
        member_id = entry.wallet.member_id
        if member_id != actor_id and entry.amount > 0:
            totals[member_id].append(entry)
    for member_id, earned in totals.items():
        services.notify([member_id], services.localized(_points_message(earned)))


def _points_message(earned: list[Entry]) -> Callable[[], services.Message]:
    """The notice of these entries, to build in each language: the reason reads
    in the member's (the ledger's memo stays in the site's)."""
    points = sum(entry.amount for entry in earned)

    def message() -> services.Message:
        return services.Message(
            Kind.POINTS,
            feedback.summary(points) + ": " + reasons.reason_text(earned[0]),
            "",
            reverse("rewards:wallet"),
        )

    return message


TOLD = ("approved", "fulfilled", "rejected", "cancelled")


@in_site_language()
def redemption_changed(redemption: Redemption) -> None:
    if redemption.status not in TOLD:
        return

    def message() -> services.Message:
        titles = {
            "approved": _("Your request for “%s” is approved"),
            "fulfilled": _("Your request for “%s” is fulfilled"),
            "rejected": _("Your request for “%s” was refused; your points are back"),
            "cancelled": _("Your request for “%s” was cancelled; your points are back"),
        }
        body = redemption.note
        if redemption.status == "fulfilled" and hasattr(redemption, "voucher"):
            body = _("Your code: %s") % redemption.voucher.code
        return services.Message(
            Kind.REDEMPTION,
            titles[redemption.status] % redemption.reward.i18n.title,
            body,
            reverse("rewards:wallet"),
        )

    services.notify([redemption.member_id], services.localized(message))
