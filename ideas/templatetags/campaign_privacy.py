"""``{% private_campaign_badge campaign_id %}``: tells whoever sees an idea or a
campaign that is not public who else sees it, so they know not to share it.

Renders nothing for open campaigns (and ideas without one). The campaigns' rules
are read once per request, however many cards a page shows."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from ideas.models import access

register = template.Library()

_RULES_ATTR = "_cocreate_campaign_rules"

PADLOCK = (
    '<svg class="icon-lock" aria-hidden="true" viewBox="0 0 24 24" width="14" '
    'height="14"><path fill="currentColor" d="M12 2a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 '
    "2v8a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-8a2 2 0 0 0-2-2h-1V7a5 5 0 0 0-5-5Zm-3 "
    '8V7a3 3 0 0 1 6 0v3Z"/></svg>'
)


def _rules(context) -> dict:
    request = context.get("request")
    if request is None:
        return access.campaign_rules()
    rules = getattr(request, _RULES_ATTR, None)
    if rules is None:
        rules = access.campaign_rules()
        setattr(request, _RULES_ATTR, rules)
    return rules


def audience_text(audience: access.Audience) -> str:
    if audience.kind == access.GROUPS:
        return _("Private campaign: only members of %(groups)s see it") % {
            "groups": get_text_list(list(audience.group_names), _("or"))
        }
    if audience.kind == access.LOGIN:
        return _("Private campaign: only signed-in members see it")
    return _("Private campaign: only the brand team sees its ideas")


@register.simple_tag(takes_context=True)
def private_campaign_badge(context, campaign_id) -> SafeString:
    audience = access.audience(campaign_id, _rules(context))
    if audience is None:
        return SafeString("")
    text = audience_text(audience)
    return format_html(
        '<span class="private-badge" title="{}">{}{}</span>',
        _("Please do not share it publicly."),
        SafeString(PADLOCK),
        text,
    )
