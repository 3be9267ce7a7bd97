"""What other apps show beside a member: a badge next to their name (a byline, a
comment) and a section of their profile. Apps register a provider in their
``AppConfig.ready`` (rewards shows the level); templates render them with
``{% load members %}``, so pages stay free of those apps. A provider takes the
member and returns safe HTML, or ``""`` to show nothing; a badge provider must
cost no query (read what ``selectors.register_related`` joined).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

Provider = Callable[[object], str]

_BADGES: list[Provider] = []
_PROFILE_SECTIONS: list[Provider] = []


def register_badge(provider: Provider) -> None:
    if provider not in _BADGES:
        _BADGES.append(provider)


def register_profile_section(provider: Provider) -> None:
    if provider not in _PROFILE_SECTIONS:
        _PROFILE_SECTIONS.append(provider)


def _render(providers: list[Provider], member) -> SafeString:
    shown = [html for html in (provider(member) for provider in providers) if html]
    return format_html_join(" ", "{}", ((html,) for html in shown))


def badges(member) -> SafeString:
    """What the registered apps show next to the member's name."""
    return _render(_BADGES, member)


def profile_sections(member) -> SafeString:
    """What the registered apps add to the member's profile."""
    return _render(_PROFILE_SECTIONS, member)
