"""The idea list a campaign page shows, built where the selectors are, and the
cards of a list.

A campaign is a Wagtail page (a model) and the list is a read of the selectors,
which import the models: the page's template asks for its list here, so the model
never imports the selectors. ``{% campaign_ideas page %}...{% endcampaign_ideas %}``
renders its body with the same variables as the idea list page (``ideas``,
``ideas_page``, ``filters``, ``supported_ids`` ...).

``{% idea_cards ideas %}`` renders a list's cards through ``ideas.fragments`` (shared
by every reader, rendered only when they changed) with the reader's supported
state from ``supported_ids``.
"""

from __future__ import annotations

from django import template

from ideas import fragments
from ideas.selectors import idea_list_context

register = template.Library()


class CampaignIdeasNode(template.Node):
    def __init__(self, campaign: template.base.FilterExpression, nodelist):
        self.campaign = campaign
        self.nodelist = nodelist

    def render(self, context) -> str:
        listing = idea_list_context(
            context["request"], campaign=self.campaign.resolve(context)
        )
        with context.push(**listing):
            return self.nodelist.render(context)


@register.tag
def campaign_ideas(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes one argument: the campaign page."
        )
    nodelist = parser.parse(("endcampaign_ideas",))
    parser.delete_first_token()
    return CampaignIdeasNode(parser.compile_filter(bits[1]), nodelist)


@register.simple_tag(takes_context=True)
def idea_cards(context, ideas):
    return fragments.render_cards(
        ideas,
        request=context.get("request"),
        supported_ids=context.get("supported_ids") or (),
    )


@register.simple_tag(takes_context=True)
def share_comment_heads(context, comments) -> str:
    """Gives each comment of the thread (and its replies) its shared head and
    text, ``comment.shared_head``; renders nothing."""
    fragments.share_comment_heads(comments, request=context.get("request"))
    return ""
