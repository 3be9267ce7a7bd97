"""The ideas: planned from a seeded generator, then written in bulk in the past.

The history lies in the past, which the services cannot write (they stamp "now" and
refuse closed campaigns), so this writes the rows the services would write, then
lets recount_ideas() set every counter and hot score.
"""

from __future__ import annotations

import datetime
import math
import random

from cocreate.demo.activity import (
    write_comments,
    write_pictures,
    write_supports_and_follows,
    write_tags_and_revisions,
)
from cocreate.demo.bulk import loading, reserve_ids, write_rows
from cocreate.demo.context import (
    HISTORY_DAYS,
    Demo,
    IdeaPlan,
    in_language,
    render_markdown,
)
from cocreate.demo.counts import count_ideas
from cocreate.demo.members import member_names, seed_members, writes_in
from cocreate.demo.pages import CATEGORIES
from cocreate.demo.pictures import PALETTES
from cocreate.demo.search_index import index_ideas
from cocreate.members.models import User
from ideas.models import (
    CampaignPage,
    Category,
    Comment,
    Follow,
    Idea,
    IdeaImage,
    IdeaRevision,
    IdeaStatus,
    Support,
    TaggedIdea,
)

DEFAULT_IDEAS = 120
SUPPORTS_PER_IDEA = 8
#: A brand's community: 5,000 members for 100,000 ideas (the named 30 at least).
IDEAS_PER_MEMBER = 20
# Ideas this fresh in a pre-moderated campaign still wait for a moderator.
RECENT = datetime.timedelta(days=3)


PRODUCTS = {
    "running": ("trail shoe", "running vest", "headlamp", "rain jacket",
                "running sock", "soft flask", "running cap", "armband"),
    "hiking": ("hiking boot", "day pack", "trekking pole", "rain poncho",
               "map case", "fleece", "gaiter", "sit mat"),
    "cycling": ("bike light", "pannier", "helmet", "rain cape", "bike lock",
                "saddle bag", "cargo trailer", "reflective vest"),
    "camping": ("tent", "sleeping bag", "camp stove", "water filter", "camp chair",
                "food box", "lantern", "tarp"),
    "swimming": ("swim goggle", "swim cap", "wetsuit", "beach towel", "dry bag",
                 "pull buoy"),
    "kids": ("kids' backpack", "child bike seat", "kids' rain suit", "baby carrier",
             "balance bike", "kids' headlamp"),
}  # fmt: skip
FEATURES = (
    ("that dries overnight", ("rain", "comfort")),
    ("made from recycled fishing nets", ("recycled",)),
    ("with parts you can replace", ("repair", "durable")),
    ("that packs into its own pocket", ("packable",)),
    ("with a built-in light", ("night", "safety")),
    ("you can repair yourself", ("repair",)),
    ("that weighs under 200 g", ("lightweight",)),
    ("with a lifetime repair service", ("repair", "durable")),
    ("sized for small hands", ("kids",)),
    ("in a refill-and-return scheme", ("zero-waste",)),
    ("with a magnetic buckle", ("comfort",)),
    ("without any plastic", ("plastic-free", "zero-waste")),
    ("with glow-in-the-dark details", ("night", "safety")),
    ("that grows with your child", ("kids", "durable")),
    ("for very cold mornings", ("winter",)),
    ("that stays cool in a heatwave", ("summer", "comfort")),
)
OPENINGS = (
    "I have used the same {product} for years and there is one thing I would change.",
    "On our last trip in the rain, this is what I wished I had.",
    "Most {product}s I buy end up in a drawer after one season.",
    "My club talked about this after a long weekend out.",
    "A small change that would make a big difference, hear me out.",
    "I keep bodging this with tape and string; it should just exist.",
)
BENEFITS = (
    "Less waste: the part that wears out is replaced, not the whole thing.",
    "Lighter to carry on long days.",
    "Easier to see and to be seen after dark.",
    "Works for beginners and experts alike.",
    "Cheaper to keep going than to replace.",
    "One adjustment and it fits the whole family.",
    "Packs down small enough for a bike bag.",
    "Could be made close to home from recycled material.",
)
CLOSINGS = (
    "Would you use it? Tell me in the comments.",
    "Support it if you would buy it!",
    "Happy to test a prototype.",
    "What would you add?",
)
IMAGINE = "Imagine this: **{title}**."
#: Appended to a title the pool has already given out.
TAKE = " (take {n})"
#: Tags are the site's vocabulary, so they follow the demo's language (a tag is
#: named by its English name here; ``content_fr`` maps it to French).
TAGS: dict[str, str] = {}


# The demo member's own ideas: campaign, category, product, title, days ago, weight.
# The first gathers enough supports for review; the last awaits moderation.
DEMO_MEMBER_IDEAS = (
    ("trail-running-2027", "running", "trail shoe",
     "A trail shoe with a sole you can replace", 30, 12.0),
    (None, "hiking", "jacket", "Repair kits sold next to every jacket", 12, 5.0),
    ("zero-waste-camping", "camping", "gas canister",
     "A deposit scheme for camping gas canisters", 1, 3.0),
)  # fmt: skip


def seed_ideas(
    demo: Demo,
    *,
    count: int,
    supports: int,
    campaigns: dict[str, CampaignPage],
    categories: dict[str, Category],
    demo_member: User,
    members: list[User],
) -> None:
    rng = demo.rng("ideas")
    with demo.phase("ideas planned"):
        plans = plan_ideas(
            demo, rng, count, campaigns, categories, demo_member, members
        )
        supportable = [plan for plan in plans if plan.status != IdeaStatus.PENDING]
        community = [demo_member, *members]
        # Keep supports under half of what is possible, so the popular few
        # stand out.
        if supportable and supports * 2 > len(supportable) * (len(community) - 1):
            needed = math.ceil(supports * 2 / len(supportable)) + 1
            named = len(member_names(demo.language))
            members = seed_members(demo, extra=needed - 1 - named)
            community = [demo_member, *members]
        allocate_supports(supportable, supports, cap=len(community) - 1)
        set_statuses(plans, campaigns["city-cycling"])
        plans.sort(key=lambda plan: plan.created_at)
    # The ideas' indexes are built once their counters are set; those of the
    # rows that count them, before they are counted.
    rows = (IdeaImage, TaggedIdea, IdeaRevision, Support, Follow, Comment)
    with loading(Idea, write=demo.write):
        with loading(*rows, write=demo.write):
            with demo.phase("ideas written"):
                ideas = write_ideas(plans)
            with demo.phase("pictures, tags and revisions"):
                pictures = write_pictures(rng, plans)
                write_tags_and_revisions(plans)
            with demo.phase("supports and follows"):
                support_rows, follow_rows = write_supports_and_follows(
                    demo, rng, supportable, community
                )
            with demo.phase("comments"):
                comment_rows = write_comments(demo, rng, supportable, community)
        if ideas:
            # The seed's ideas are the last written: their ids are a range.
            with demo.phase("counters"):
                count_ideas(ideas[0], ideas[-1])
            with demo.phase("search index"):
                index_ideas(ideas[0], ideas[-1])
    demo.write(
        f"Seeded {len(ideas)} ideas with {pictures} pictures, {support_rows} "
        f"supports, {comment_rows} comments and {follow_rows} follows."
    )


def write_ideas(plans: list[IdeaPlan]) -> list[int]:
    """The planned ideas, written in bulk; each plan gets its idea's id."""
    first = reserve_ids(Idea, len(plans))
    for number, plan in enumerate(plans):
        plan.idea_id = first + number
    write_rows(
        Idea,
        (
            "id",
            "title",
            "description",
            "description_html",
            "language",
            "author",
            "campaign",
            "category",
            "status",
            "created_at",
        ),
        (
            (
                plan.idea_id,
                plan.title,
                plan.description,
                render_markdown(plan.description, inert=plan.inert),
                plan.language,
                plan.author.pk,
                plan.campaign.pk if plan.campaign else None,
                plan.category.pk,
                plan.status,
                plan.created_at,
            )
            for plan in plans
        ),
    )
    return [plan.idea_id for plan in plans]


def plan_ideas(
    demo: Demo,
    rng: random.Random,
    count: int,
    campaigns: dict[str, CampaignPage],
    categories: dict[str, Category],
    demo_member: User,
    members: list[User],
) -> list[IdeaPlan]:
    # In the order of the English names (categories list by name), so every
    # language draws the same categories.
    english = {slug: name for slug, name, _description in CATEGORIES}
    campaign_categories = {
        page.pk: [
            categories[slug]
            for slug in sorted(
                (c.slug for c in page.categories.all()),
                key=lambda slug: english.get(slug, slug),
            )
        ]
        for page in campaigns.values()
    }
    choices = [*campaigns.values(), None]
    # Indices into PRODUCTS and FEATURES, so every language draws the same ideas.
    titles: dict[str, list[tuple[int, int]]] = {}
    used: dict[str, int] = {}
    plans = []
    demo_member_ideas = demo.text("DEMO_MEMBER_IDEAS", DEMO_MEMBER_IDEAS)
    for number in range(count):
        if number < len(demo_member_ideas):
            slug, category_slug, product, title, days, weight = demo_member_ideas[
                number
            ]
            campaign = campaigns[slug] if slug else None
            category = categories[category_slug]
            created = demo.now - datetime.timedelta(days=days, hours=3)
            author, tags = demo_member, ("repair", category_slug)
            language = writes_in(author)
        else:
            campaign = rng.choices(choices, weights=(32, 26, 20, 22))[0]
            category = rng.choice(
                campaign_categories[campaign.pk]
                if campaign
                else list(categories.values())
            )
            products = PRODUCTS[category.slug]
            pool = titles.setdefault(
                category.slug,
                rng.sample(
                    [
                        (product, feature)
                        for product in range(len(products))
                        for feature in range(len(FEATURES))
                    ],
                    len(products) * len(FEATURES),
                ),
            )
            taken = used.get(category.slug, 0)
            used[category.slug] = taken + 1
            product_index, feature_index = pool[taken % len(pool)]
            created = created_within(demo, rng, campaign)
            author = rng.choice(members)
            # Written in its author's language: the English demo's French
            # speakers post in French.
            language = writes_in(author)
            product, title = idea_title(
                language, category.slug, product_index, feature_index
            )
            if taken >= len(pool):
                take = in_language(language, "TAKE", TAKE)
                title += take.format(n=taken // len(pool) + 1)
            tags = tuple(sorted({*FEATURES[feature_index][1], category.slug}))
            weight = min(rng.paretovariate(1.5), 20.0)
        tag_names = demo.text("TAGS", TAGS)
        tags = tuple(tag_names.get(tag, tag) for tag in tags)
        status = IdeaStatus.PUBLISHED
        if campaign and campaign.premoderate and demo.now - created < RECENT:
            status = IdeaStatus.PENDING
        plans.append(
            IdeaPlan(
                title=title[:140],
                description=describe(rng, product, title, language),
                inert=(product, title[0].lower() + title[1:]),
                author=author,
                campaign=campaign,
                category=category,
                created_at=created,
                tags=tags,
                palette=PALETTES[number % len(PALETTES)],
                weight=weight,
                status=status,
                language=language,
            )
        )
    return plans


def created_within(
    demo: Demo, rng: random.Random, campaign: CampaignPage | None
) -> datetime.datetime:
    """A moment in the last eight weeks while the campaign was open."""
    start = demo.now - datetime.timedelta(days=HISTORY_DAYS)
    end = demo.now - datetime.timedelta(hours=1)
    if campaign is not None:
        opened = datetime.datetime.combine(
            campaign.starts_on, datetime.time(9), tzinfo=datetime.UTC
        )
        start = max(start, opened)
        if campaign.ends_on and campaign.ends_on < demo.today:
            end = datetime.datetime.combine(
                campaign.ends_on, datetime.time(18), tzinfo=datetime.UTC
            )
    return start + (end - start) * rng.random()


def idea_title(
    language: str, category: str, product: int, feature: int
) -> tuple[str, str]:
    """The product (as the description names it) and the title of a drawn idea.

    French products carry their article ("une tente"), since its gender is the
    noun's; the description names the product without it."""
    products = in_language(language, "PRODUCTS", PRODUCTS)[category]
    phrase = in_language(language, "FEATURES", FEATURES)[feature][0]
    name = products[product]
    if language == "en":
        article = "An" if name[0] in "aeiou" else "A"
        return name, f"{article} {name} {phrase}"
    title = f"{name} {phrase}"
    return name.partition(" ")[2], title[0].upper() + title[1:]


def describe(rng: random.Random, product: str, title: str, language: str = "en") -> str:
    """An idea's description in ``language``; every language draws alike, so the
    English demo's ideas are the same whichever language the others are in."""
    benefits = rng.sample(in_language(language, "BENEFITS", BENEFITS), 2)
    opening = rng.choice(in_language(language, "OPENINGS", OPENINGS))
    imagine = in_language(language, "IMAGINE", IMAGINE)
    closing = rng.choice(in_language(language, "CLOSINGS", CLOSINGS))
    return (
        f"{opening.format(product=product)}\n\n"
        f"{imagine.format(title=title[0].lower() + title[1:])}\n\n"
        f"- {benefits[0]}\n- {benefits[1]}\n\n"
        f"{closing}"
    )


def allocate_supports(plans: list[IdeaPlan], total: int, cap: int) -> None:
    """Share supports by weight, at most `cap` per idea (all but the author)."""
    total = min(total, len(plans) * cap)
    if total <= 0:
        return
    weights = sum(plan.weight for plan in plans)
    for plan in plans:
        plan.supports = min(int(total * plan.weight / weights), cap)
    given = sum(plan.supports for plan in plans)
    order = sorted(plans, key=lambda plan: -plan.weight)
    while given < total:
        for plan in order:
            if given < total and plan.supports < cap:
                plan.supports += 1
                given += 1


def set_statuses(plans: list[IdeaPlan], closed: CampaignPage) -> None:
    """Ideas past a threshold are under review; the closed campaign has results."""
    for plan in plans:
        threshold = plan.campaign.support_threshold if plan.campaign else None
        if threshold and plan.supports >= threshold:
            plan.status = IdeaStatus.UNDER_REVIEW
    ranked = sorted(
        (plan for plan in plans if plan.campaign == closed),
        key=lambda plan: -plan.supports,
    )
    outcomes = (
        IdeaStatus.SHIPPED,
        IdeaStatus.IN_RND,
        IdeaStatus.SHORTLISTED,
        IdeaStatus.SHORTLISTED,
        IdeaStatus.UNDER_REVIEW,
    )
    for plan, status in zip(ranked, outcomes, strict=False):
        plan.status = status
    for plan in ranked[len(outcomes) :: 4]:
        plan.status = IdeaStatus.DECLINED
