"""Levels, badges and points next to members' names, and small formatting helpers.

Names shown next to content come with ``wallet__level`` already joined (rewards
registers it with ``cocreate.members.selectors.member_related``), so
``{% member_level %}`` costs no query on lists.
"""

from __future__ import annotations

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext as _

from cocreate.money import money_from_cents
from rewards import reasons
from rewards.models import Level, Wallet
from rewards.selectors import member_badges

register = template.Library()

MINUS = "\u2212"


def level_of(member) -> Level | None:
    """The member's level, read from the joined wallet; None without a wallet."""
    if member is None or getattr(member, "pk", None) is None:
        return None
    try:
        wallet = member.wallet
    except ObjectDoesNotExist:
        return None
    return wallet.level


@register.simple_tag
def member_level(member) -> str:
    """A small pill with the member's level name, or nothing."""
    level = level_of(member)
    if level is None:
        return ""
    return format_html(
        '<span class="level-pill" title="{}">{}</span>', _("Level"), level.i18n.name
    )


@register.inclusion_tag("rewards/_member_rewards.html")
def member_rewards(member) -> dict:
    """Level and badges for a profile: two queries."""
    wallet = Wallet.objects.filter(member=member).select_related("level").first()
    return {
        "member": member,
        "level": wallet.level if wallet else None,
        "lifetime": wallet.lifetime_earned if wallet else 0,
        "awards": member_badges(member),
    }


def member_rewards_html(member) -> str:
    """The profile's rewards section, for ``cocreate.members.display``: the same
    HTML as ``{% member_rewards member %}``."""
    return render_to_string("rewards/_member_rewards.html", member_rewards(member))


@register.simple_tag
def wallet_points(user) -> int:
    """The member's available points: one query."""
    if not getattr(user, "is_authenticated", False):
        return 0
    points = (
        Wallet.objects.filter(member=user).values_list("available", flat=True).first()
    )
    return points or 0


@register.filter
def signed(points) -> str:
    """+5, −5 (a true minus sign) or 0."""
    points = int(points or 0)
    if points > 0:
        return f"+{formats.number_format(points, force_grouping=True)}"
    if points < 0:
        return f"{MINUS}{formats.number_format(-points, force_grouping=True)}"
    return "0"


@register.simple_tag
def money(cents, currency: str = "") -> str:
    """An amount stored in cents, as the reader's language writes money
    (``cocreate.money``): ``€12.50``, ``12,50 €``."""
    return money_from_cents(cents, currency)


@register.filter
def entry_reason(entry) -> str:
    """Why the entry moved points, in the reader's language (rewards.reasons)."""
    return reasons.reason_text(entry)


@register.filter
def entry_url(entry) -> str:
    """Where an entry came from: the idea or comment that earned it, or the
    redemption it holds points for, on the wallet page. Ids only: the ledger
    never follows content."""
    if entry.idea_id:
        url = reverse("ideas:detail", args=[entry.idea_id])
        if entry.comment_id:
            url += f"#comment-{entry.comment_id}"
        return url
    if entry.redemption_id:
        return f"#redemption-{entry.redemption_id}"
    return ""
