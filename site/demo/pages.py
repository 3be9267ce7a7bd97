"""The brand's pages: home, charter, FAQ and rules, its categories and campaigns."""

from __future__ import annotations

import datetime

from wagtail.models import Page

from cocreate.demo.context import HISTORY_DAYS, Demo
from cocreate.demo.pictures import PALETTES, wagtail_image
from cocreate.pages.models import ContentPage, HomePage
from ideas.models import CampaignPage, Category

CATEGORIES = (
    ("running", "Running", "Shoes, clothing and gear for road and trail."),
    ("hiking", "Hiking", "Boots, packs and everything for a day on the hills."),
    ("cycling", "Cycling", "Bikes, lights, bags and riding in any weather."),
    ("camping", "Camping", "Tents, sleeping, cooking and nights outside."),
    ("swimming", "Swimming", "Pool, lake and sea."),
    ("kids", "Kids & family", "Gear for the youngest and for going out together."),
)


def _rich(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _question(question: str, answer: str) -> dict:
    return {"type": "question", "value": {"question": question, "answer": answer}}


CONTENT_PAGES = (
    {
        "slug": "charter",
        "title": "Community charter",
        "intro": "How we build products together, and what we promise in return.",
        "body": [
            {"type": "heading", "value": "Why this community exists"},
            {
                "type": "paragraph",
                "value": _rich(
                    "The people who use our products know best what they need. "
                    "Here you propose ideas, support the ones you want to see and "
                    "discuss them with our designers.",
                ),
            },
            {"type": "heading", "value": "What we promise"},
            {
                "type": "paragraph",
                "value": "<ul><li>Every idea is read by a person.</li>"
                "<li>We explain our decisions in public.</li>"
                "<li>We credit the members whose ideas we build.</li></ul>",
            },
            {
                "type": "callout",
                "value": {
                    "title": "Be kind",
                    "text": "Criticise ideas, never people. Everyone here wants "
                    "better products.",
                },
            },
        ],
    },
    {
        "slug": "faq",
        "title": "Frequently asked questions",
        "intro": "Everything about ideas, supports and campaigns.",
        "body": [
            _question(
                "Who can propose an idea?",
                _rich("Any member with a confirmed email address."),
            ),
            _question(
                "What does supporting an idea do?",
                _rich(
                    "It tells our product teams that you want it. Some campaigns "
                    "set a number of supports after which the brand team reviews "
                    "an idea."
                ),
            ),
            _question(
                "Why is my idea not visible yet?",
                _rich(
                    "Some campaigns check each idea before it is published. "
                    "You can see yours in the meantime, with a notice."
                ),
            ),
            _question(
                "Can I change my idea after posting it?",
                _rich(
                    "Yes, until somebody supports it, and in any case during the "
                    "first half hour."
                ),
            ),
        ],
    },
    {
        "slug": "rules",
        "title": "Rules of participation",
        "intro": "Short rules, so that everyone enjoys taking part.",
        "body": [
            {
                "type": "paragraph",
                "value": "<ol><li>One idea per post, with a clear title.</li>"
                "<li>Post only pictures you took or may share.</li>"
                "<li>No advertising and no personal data of others.</li>"
                "<li>Search before posting: support an existing idea rather than "
                "repeating it.</li></ol>",
            },
            {
                "type": "paragraph",
                "value": _rich(
                    "Moderators may hide content that breaks these rules and will "
                    "tell you why."
                ),
            },
        ],
    },
)
CAMPAIGNS = (
    {
        "slug": "trail-running-2027",
        "title": "Trail running, reinvented",
        "summary": "Shoes, vests, lights: what would make your next trail run better?",
        "brief": _rich(
            "Our trail team is designing the 2027 range. Tell us what gets in "
            "your way on the trail, and support the ideas you want in the shop.",
        ),
        "categories": ("running", "hiking"),
        "starts": -HISTORY_DAYS,
        "ends": 35,
        "premoderate": False,
        "threshold": 20,
    },
    {
        "slug": "zero-waste-camping",
        "title": "Zero-waste camping",
        "summary": "Help us leave nothing behind but footprints.",
        "brief": _rich(
            "Packaging, fuel, food, repairs: how should camping gear change so "
            "that a weekend outside leaves no waste? Ideas are checked by our "
            "moderators before they are published.",
        ),
        "categories": ("camping", "hiking", "kids"),
        "starts": -42,
        "ends": 56,
        "premoderate": True,
        "threshold": None,
    },
    {
        "slug": "city-cycling",
        "title": "Cycling in the city",
        "summary": "Commuting, errands and school runs by bike.",
        "brief": _rich(
            "This campaign is closed. Thank you for your ideas: the product team "
            "is reviewing the best of them."
        ),
        "categories": ("cycling", "kids"),
        "starts": -98,
        "ends": -14,
        "premoderate": False,
        "threshold": None,
    },
)


def seed_categories() -> dict[str, Category]:
    categories = {}
    for slug, name, description in CATEGORIES:
        categories[slug], _created = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
    return categories


def seed_content_pages(home: HomePage) -> dict[str, ContentPage]:
    pages = {}
    for spec in CONTENT_PAGES:
        page = ContentPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if page is None:
            page = ContentPage(
                title=spec["title"],
                slug=spec["slug"],
                intro=spec["intro"],
                body=spec["body"],
                show_in_menus=True,
            )
            Page.objects.get(pk=home.pk).add_child(instance=page)
            page.save_revision().publish()
        pages[spec["slug"]] = page
    return pages


def seed_home(demo: Demo, home: HomePage, charter: ContentPage) -> None:
    """Dress the home page once; a hero image means someone already did."""
    # Fresh from the database: a stale numchild would be saved back by publish().
    home = HomePage.objects.get(pk=home.pk)
    if home.hero_image_id is not None:
        return
    home.hero_title = "Shape the gear you take outside"
    home.hero_text = (
        "<p>Propose ideas for the products you use, support the ones you want "
        "to see and talk them through with our designers. Read our "
        f'<a linktype="page" id="{charter.pk}">community charter</a>.</p>'
    )
    home.hero_cta_label = "Propose an idea"
    home.hero_image = wagtail_image(
        demo, "Ideas from the outside", (1280, 840), PALETTES[0]
    )
    home.save_revision().publish()


def seed_campaigns(
    demo: Demo, home: HomePage, categories: dict[str, Category]
) -> dict[str, CampaignPage]:
    campaigns = {}
    for number, spec in enumerate(CAMPAIGNS):
        page = CampaignPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if page is None:
            page = CampaignPage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                brief=spec["brief"],
                starts_on=demo.today + datetime.timedelta(days=spec["starts"]),
                ends_on=demo.today + datetime.timedelta(days=spec["ends"]),
                premoderate=spec["premoderate"],
                support_threshold=spec["threshold"],
                hero_image=wagtail_image(
                    demo,
                    spec["title"],
                    (1600, 600),
                    PALETTES[(number + 1) % len(PALETTES)],
                ),
            )
            page.categories = [categories[slug] for slug in spec["categories"]]
            Page.objects.get(pk=home.pk).add_child(instance=page)
            page.save_revision().publish()
        campaigns[spec["slug"]] = page
    return campaigns
