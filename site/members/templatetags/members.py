"""``{% member_badge member %}`` next to a name and ``{% member_profile member %}``
on a profile: what the apps registered with ``cocreate.members.display``."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from cocreate.members import display

register = template.Library()


@register.simple_tag
def member_badge(member) -> SafeString:
    return display.badges(member)


@register.simple_tag
def member_profile(member) -> SafeString:
    return display.profile_sections(member)
