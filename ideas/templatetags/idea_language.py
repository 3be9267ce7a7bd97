"""``<h3{{ idea.language|lang_attr }}>``: marks an idea's title and text with its
language when it differs from the page's (``cocreate.i18n.lang_attribute``)."""

from __future__ import annotations

from django import template

from cocreate.i18n import lang_attribute

register = template.Library()


@register.filter
def lang_attr(code: str) -> str:
    return lang_attribute(code)
