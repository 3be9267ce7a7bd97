"""The brand's pages: home, charter, FAQ and rules, its categories and campaigns."""

from __future__ import annotations

import datetime

from wagtail.models import Page

from cocreate.demo.context import HISTORY_DAYS, Demo, french_columns
from cocreate.demo.pictures import PALETTES, wagtail_image
from cocreate.members.models import LegalKind
from cocreate.pages.models import ContentPage, HomePage, LegalPage
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
LEGAL_PAGES = (
    {
        "slug": "terms",
        "kind": LegalKind.TERMS,
        "title": "Terms of use",
        "intro": "The agreement between you and us when you take part in the "
        "community.",
        "body": [
            {"type": "heading", "value": "1. Who we are"},
            {
                "type": "paragraph",
                "value": _rich(
                    "This community is run by the brand whose products it is "
                    "about. By creating an account you agree to these terms; if "
                    "you do not agree, you can still read everything without one."
                ),
            },
            {"type": "heading", "value": "2. Your account"},
            {
                "type": "paragraph",
                "value": _rich(
                    "You need a confirmed email address and must be at least 16 "
                    "years old. Keep your password to yourself and turn on "
                    "two-factor sign-in if you can. One person, one account.",
                ),
            },
            {"type": "heading", "value": "3. Your ideas and comments"},
            {
                "type": "paragraph",
                "value": _rich(
                    "You keep the rights to what you post. You give us a free, "
                    "worldwide, non-exclusive licence to publish it here and to "
                    "use, adapt and build on your ideas in our products, without "
                    "any payment beyond the reward points this site offers.",
                    "Post only what you may share: your own words and pictures, "
                    "no personal data of others, nothing confidential.",
                ),
            },
            {"type": "heading", "value": "4. Reward points"},
            {
                "type": "paragraph",
                "value": _rich(
                    "Points have no cash value until you redeem them through the "
                    "catalogue. We may cancel points earned by abuse (several "
                    "accounts, bought supports) and change the catalogue with "
                    "thirty days' notice."
                ),
            },
            {"type": "heading", "value": "5. Moderation and ending"},
            {
                "type": "paragraph",
                "value": _rich(
                    "Our moderators apply the rules of participation and tell you "
                    "why they hide content or suspend an account. You may close "
                    "your account at any time from your settings."
                ),
            },
        ],
    },
    {
        "slug": "privacy",
        "kind": LegalKind.PRIVACY,
        "title": "Privacy policy",
        "intro": "What we collect, why, for how long, and your rights.",
        "body": [
            {"type": "heading", "value": "What we collect"},
            {
                "type": "paragraph",
                "value": "<ul><li>Your email address, display name and avatar."
                "</li><li>What you post, support, follow and report.</li>"
                "<li>Your reward points and, when you redeem them, the details "
                "needed to deliver (an address, a bank account for a payout)."
                "</li><li>Technical logs kept for security, deleted on a "
                "schedule.</li></ul>",
            },
            {"type": "heading", "value": "Why"},
            {
                "type": "paragraph",
                "value": _rich(
                    "To run the community (our contract with you), to keep it "
                    "safe (our legitimate interest) and, only if you opt in, to "
                    "contact you about your ideas, invite you to product research "
                    "or send you our news. You change these choices at any time "
                    "under Consents in your account."
                ),
            },
            {"type": "heading", "value": "How long"},
            {
                "type": "paragraph",
                "value": _rich(
                    "Your account data as long as you keep your account. Read "
                    "notifications for 90 days, accounts never confirmed for 14 "
                    "days, technical logs for 30 days. Records of points and "
                    "payouts are kept as accounting law requires, without your "
                    "name once you close your account."
                ),
            },
            {"type": "heading", "value": "Your rights"},
            {
                "type": "paragraph",
                "value": _rich(
                    "You may access, download, correct and erase your data, object "
                    "to its use and withdraw any consent, from your account or by "
                    "writing to our data protection officer. You may also complain "
                    "to your data protection authority.",
                    "We use no third-party trackers and set no cookie beyond the "
                    "session, security and language cookies.",
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


HOME = {
    "hero_title": "Shape the gear you take outside",
    # {charter} is the charter page's id.
    "hero_text": "<p>Propose ideas for the products you use, support the ones you "
    "want to see and talk them through with our designers. Read our "
    '<a linktype="page" id="{charter}">community charter</a>.</p>',
    "hero_cta_label": "Propose an idea",
    "hero_image": "Ideas from the outside",
}


def seed_categories(demo: Demo) -> dict[str, Category]:
    categories = {}
    for (slug, name, description), (_slug, name_fr, description_fr) in zip(
        demo.text("CATEGORIES", CATEGORIES),
        french_columns(demo.language, "CATEGORIES", CATEGORIES),
        strict=True,
    ):
        categories[slug], _created = Category.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "name_fr": name_fr,
                "description_fr": description_fr,
            },
        )
    return categories


def seed_content_pages(demo: Demo, home: HomePage) -> dict[str, ContentPage]:
    pages = {}
    for spec in demo.text("CONTENT_PAGES", CONTENT_PAGES):
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


def seed_legal_pages(demo: Demo, home: HomePage) -> dict[str, LegalPage]:
    """The terms and the privacy policy, version 1, in force since the demo's
    history began; publishing them records the versions members accept."""
    pages = {}
    for spec in demo.text("LEGAL_PAGES", LEGAL_PAGES):
        page = LegalPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if page is None:
            page = LegalPage(
                title=spec["title"],
                slug=spec["slug"],
                kind=spec["kind"],
                version="1.0",
                requires_acceptance=True,
                effective_on=demo.today - datetime.timedelta(days=HISTORY_DAYS + 90),
                intro=spec["intro"],
                body=spec["body"],
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
    texts = demo.text("HOME", HOME)
    home.hero_title = texts["hero_title"]
    home.hero_text = texts["hero_text"].format(charter=charter.pk)
    home.hero_cta_label = texts["hero_cta_label"]
    home.hero_image = wagtail_image(demo, texts["hero_image"], (1280, 840), PALETTES[0])
    home.save_revision().publish()


def seed_campaigns(
    demo: Demo, home: HomePage, categories: dict[str, Category]
) -> dict[str, CampaignPage]:
    return {
        spec["slug"]: seed_campaign(demo, home, categories, spec, number)
        for number, spec in enumerate(demo.text("CAMPAIGNS", CAMPAIGNS))
    }


def seed_campaign(
    demo: Demo,
    home: HomePage,
    categories: dict[str, Category],
    spec: dict,
    number: int,
) -> CampaignPage:
    """The campaign of this spec under the home page, created once."""
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
    return page
