"""A private campaign: the brand's customer test panel trying winter prototypes.

The group *Winter test panel* holds the demo member and five community members;
the campaign's Wagtail privacy setting admits that group only, so everyone else
(visitors, ``jonas.becker@example.com`` and the rest of the community) sees
neither the campaign nor its ideas, and the brand team sees everything. Its four
ideas, supports and comments come from panelists, dated in the last three weeks.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from cocreate.demo import pages
from cocreate.demo.activity import write_pictures, write_tags_and_revisions
from cocreate.demo.context import Demo, IdeaPlan, render_markdown
from cocreate.demo.counts import count_ideas
from cocreate.demo.ideas import TAGS, describe, write_ideas
from cocreate.demo.pictures import PALETTES
from cocreate.demo.search_index import index_ideas
from cocreate.members.models import User
from cocreate.pages.models import HomePage
from ideas.models import CampaignPage, Category, Comment, Follow, Idea, Support

PANEL_GROUP = "Winter test panel"
PANEL_CAMPAIGN = {
    "slug": "winter-trail-prototypes",
    "title": "Prototype panel: winter trail shoes",
    "summary": "Our test panel wears the winter prototypes and tells us what to fix.",
    "brief": pages._rich(
        "You received a pair of our winter trail prototypes. Tell us what works on "
        "snow, ice and slush, and what does not. Only the members of our test "
        "panel see this campaign: please keep what you read here to yourself "
        "until the shoes are in the shop.",
    ),
    "categories": ("running", "hiking"),
    "starts": -21,
    "ends": 28,
    "premoderate": False,
    "threshold": None,
}
#: Who is on the panel (the demo member first); every other member is not.
PANELISTS = (
    "member@example.com",
    "amelie.laurent@example.com",
    "sofia.rossi@example.com",
    "hanna.nilsson@example.com",
    "noah.dubois@example.com",
    "freya.jensen@example.com",
)
#: A community member outside the panel, to compare with the demo member.
OUTSIDER = "jonas.becker@example.com"
# Author, category, product, title, days ago, supporters, tags.
PANEL_IDEAS = (
    ("amelie.laurent@example.com", "running", "winter trail shoe",
     "Screw-in studs for the prototype's winter sole", 18,
     ("member@example.com", "sofia.rossi@example.com", "hanna.nilsson@example.com",
      "noah.dubois@example.com"), ("winter", "running")),
    ("sofia.rossi@example.com", "running", "winter trail shoe",
     "A removable lining that dries overnight", 14,
     ("member@example.com", "amelie.laurent@example.com",
      "freya.jensen@example.com"), ("winter", "comfort")),
    ("hanna.nilsson@example.com", "hiking", "winter trail shoe",
     "A gaiter collar that zips onto the shoe", 9,
     ("amelie.laurent@example.com", "noah.dubois@example.com"), ("winter", "rain")),
    ("noah.dubois@example.com", "running", "winter trail shoe",
     "Reflective heel tabs for dark winter mornings", 4,
     ("member@example.com",), ("winter", "night", "safety")),
)  # fmt: skip
# Idea (by position), author, days after the idea, text.
PANEL_COMMENTS = (
    (0, "member@example.com", 2,
     "Tested the prototype on an icy forest trail: the grip was fine on snow but "
     "not on ice. Studs would fix it."),
    (0, "hanna.nilsson@example.com", 3, "Same here. Four studs at the front would do."),
    (1, "freya.jensen@example.com", 1,
     "My pair was still damp the next morning after a slushy run."),
    (1, "member@example.com", 4, "+1, a lining I can put on the radiator."),
    (2, "noah.dubois@example.com", 2, "Snow got in at the ankle on every run."),
    (3, "sofia.rossi@example.com", 1, "Yes please, it is dark until eight here."),
)  # fmt: skip


def seed_panel(
    demo: Demo, home: HomePage, categories: dict[str, Category]
) -> tuple[CampaignPage, bool]:
    """The panel group and its private campaign, then its ideas once; whether
    ideas were added (so the caller pays the points they earned)."""
    group, _created = Group.objects.get_or_create(
        name=demo.text("PANEL_GROUP", PANEL_GROUP)
    )
    panelists = demo.text("PANELISTS", PANELISTS)
    members = {user.email: user for user in User.objects.filter(email__in=panelists)}
    group.user_set.add(*members.values())
    campaign = pages.seed_campaign(
        demo, home, categories, demo.text("PANEL_CAMPAIGN", PANEL_CAMPAIGN), 3
    )
    restriction = PageViewRestriction.objects.filter(page=campaign).first()
    if restriction is None:
        restriction = PageViewRestriction.objects.create(
            page=campaign, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set([group])
    if Idea.objects.filter(campaign=campaign).exists() or len(members) < len(panelists):
        return campaign, False
    write_panel_ideas(demo, campaign, categories, members)
    return campaign, True


def write_panel_ideas(
    demo: Demo,
    campaign: CampaignPage,
    categories: dict[str, Category],
    members: dict[str, User],
) -> None:
    rng = demo.rng("panel")
    panel_ideas = demo.text("PANEL_IDEAS", PANEL_IDEAS)
    comments = demo.text("PANEL_COMMENTS", PANEL_COMMENTS)
    tag_names = demo.text("TAGS", TAGS)
    plans = []
    for number, (author, category, product, title, days, _fans, tags) in enumerate(
        panel_ideas
    ):
        plans.append(
            IdeaPlan(
                title=title,
                description=describe(rng, product, title, demo.language),
                author=members[author],
                campaign=campaign,
                category=categories[category],
                created_at=demo.now - datetime.timedelta(days=days, hours=5),
                tags=tuple(tag_names.get(tag, tag) for tag in tags),
                palette=PALETTES[(number + 4) % len(PALETTES)],
                weight=1.0,
                language=demo.language,
            )
        )
    ideas = write_ideas(plans)
    write_pictures(rng, plans)
    write_tags_and_revisions(plans)
    supports = []
    for plan, (*_spec, fans, _tags) in zip(plans, panel_ideas, strict=True):
        span = demo.now - plan.created_at
        for number, email in enumerate(fans, start=1):
            when = plan.created_at + span * number / (len(fans) + 1)
            supports.append(
                Support(idea_id=plan.idea_id, member=members[email], created_at=when)
            )
    Support.objects.bulk_create(supports)
    Follow.objects.bulk_create(
        [
            Follow(
                idea_id=support.idea_id,
                member=support.member,
                created_at=support.created_at,
            )
            for support in supports
            if support.member.email == "member@example.com"
        ]
    )
    Comment.objects.bulk_create(
        [
            Comment(
                idea_id=plans[index].idea_id,
                author=members[email],
                body=text,
                body_html=render_markdown(text),
                created_at=min(
                    plans[index].created_at + datetime.timedelta(days=days),
                    demo.now - datetime.timedelta(hours=2),
                ),
            )
            for index, email, days, text in comments
        ]
    )
    count_ideas(ideas[0], ideas[-1])
    index_ideas(ideas[0], ideas[-1])
    demo.write(
        f"Seeded the private campaign '{campaign.title}' for the group "
        f"'{demo.text('PANEL_GROUP', PANEL_GROUP)}': {len(ideas)} ideas, "
        f"{len(supports)} supports, "
        f"{len(comments)} comments."
    )
