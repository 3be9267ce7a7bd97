"""Fill a development site with a brand's demo content.

Pages, campaigns, members and eight weeks of ideas, supports and comments, so the
site looks lived in. Pictures are drawn with Pillow; every choice comes from a
seeded random.Random, so two empty databases seeded alike hold the same content.

The history lies in the past, which the services cannot write (they stamp "now" and
refuse closed campaigns), so this command writes the rows the services would write,
in bulk, then lets recount_ideas() set every counter and hot score. It sends no
domain events, so rewards.history.import_history() then pays the points the earning
rules would have paid, dated when each thing happened; the redemptions happen now,
through the services. Each part is skipped when it is already there, so a second
run changes nothing.
"""

from __future__ import annotations

import datetime
import io
import logging
import math
import random
import textwrap
import time
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont, ImageOps
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from cocreate.images import process_avatar, process_image
from cocreate.markup import render_markdown
from cocreate.members.models import User
from cocreate.pages.demo_brand_team import seed_brand_team
from cocreate.pages.demo_product_team import seed_product_team
from cocreate.pages.models import ContentPage, HomePage
from ideas.counters import recount_ideas
from ideas.models import (
    PUBLIC_STATUSES,
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
from rewards import history, ledger, redemptions, vouchers
from rewards.models import (
    Entry,
    EntryKind,
    Redemption,
    Reward,
    RewardKind,
    Wallet,
)

QUIET_EMAIL = "django.core.mail.backends.dummy.EmailBackend"
DEMO_PASSWORD = "cocreate-demo"  # noqa: S105 - published in the README on purpose
DEFAULT_SEED = 2027
DEFAULT_IDEAS = 120
SUPPORTS_PER_IDEA = 8
COMMENTS_PER_IDEA = 3
HISTORY_DAYS = 56
# Ideas this fresh in a pre-moderated campaign still wait for a moderator.
RECENT = datetime.timedelta(days=3)
# Past this many ideas, ideas share pictures, so benchmark sets stay quick to build.
UNIQUE_PICTURES = 200

# email, display name, role group (see the roles migration); the brand team is staff.
DEMO_ACCOUNTS = (
    ("member@example.com", "Demo Member", None),
    ("moderator@example.com", "Demo Moderator", "Moderators"),
    ("product@example.com", "Demo Product Team", "Product team"),
    ("editor@example.com", "Demo Editor", "Editors"),
)
MEMBER_NAMES = (
    "Amélie Laurent", "Jonas Becker", "Sofia Rossi", "Liam O'Brien", "Inès Moreau",
    "Mateo García", "Hanna Nilsson", "Noah Dubois", "Chloé Martin", "Lucas Fernandes",
    "Emma Visser", "Yusuf Demir", "Clara Schmidt", "Arthur Lefèvre", "Maya Cohen",
    "Elias Novak", "Léa Girard", "Oscar Lindqvist", "Zoé Bernard", "Karim Haddad",
    "Nina Kowalska", "Hugo Petit", "Aiko Tanaka", "Tomás Silva", "Freya Jensen",
    "Samuel Okafor", "Alice Marchand", "Pablo Ortega", "Julia Horváth", "Théo Roux",
)  # fmt: skip
CATEGORIES = (
    ("running", "Running", "Shoes, clothing and gear for road and trail."),
    ("hiking", "Hiking", "Boots, packs and everything for a day on the hills."),
    ("cycling", "Cycling", "Bikes, lights, bags and riding in any weather."),
    ("camping", "Camping", "Tents, sleeping, cooking and nights outside."),
    ("swimming", "Swimming", "Pool, lake and sea."),
    ("kids", "Kids & family", "Gear for the youngest and for going out together."),
)
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
COMMENTS = (
    "I would buy this tomorrow.",
    "Great idea, but how would it hold up in the mud?",
    "My kids would love this.",
    "Please make it in larger sizes too.",
    "We tried something similar with tape and it worked surprisingly well.",
    "It has to stay affordable, otherwise nobody will switch.",
    "This would fix my biggest annoyance on long rides.",
    "Could it be made **without plastic**?",
    "+1, especially the repair part.",
    "I'd pay a bit more if it lasts twice as long.",
    "Not sure about the weight, but I love the concept.",
    "Add a reflective strip and I'm in.",
    "This exists as a hack on forums, good to see it as a real product.",
    "How would you wash it?",
)
REPLIES = (
    "Agreed!",
    "Good point, I had not thought of that.",
    "A lighter version could work for racing.",
    "Same here, it happens to me every week.",
    "I hope the design team reads this thread.",
)
AUTHOR_REPLIES = (
    "Thanks! I'll add that to the description.",
    "Good question: I'd keep it simple at first.",
    "Yes, exactly what I had in mind.",
)
PALETTES = (
    ("#0b3d2e", "#7ccf9c"),
    ("#1d3557", "#a8dadc"),
    ("#5f0f40", "#fb8b24"),
    ("#22223b", "#c9ada7"),
    ("#003049", "#fcbf49"),
    ("#2b2d42", "#ef233c"),
    ("#264653", "#e9c46a"),
    ("#3c096c", "#ff9e00"),
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
# The demo member's own ideas: campaign, category, product, title, days ago, weight.
# The first gathers enough supports for review; the last awaits moderation.
DEMO_MEMBER_IDEAS = (
    ("trail-running-2027", "running", "trail shoe",
     "A trail shoe with a sole you can replace", 30, 12.0),
    (None, "hiking", "jacket", "Repair kits sold next to every jacket", 12, 5.0),
    ("zero-waste-camping", "camping", "gas canister",
     "A deposit scheme for camping gas canisters", 1, 3.0),
)  # fmt: skip

# The catalogue: what each reward is, costs and needs; "key" names it in this file.
REWARDS = (
    {
        "key": "voucher",
        "title": "10 € voucher",
        "kind": RewardKind.VOUCHER,
        "cost": 1000,
        "description": "A code worth 10 € in our shops and online, valid for a "
        "year. It appears in your wallet as soon as you redeem.",
        "codes": 20,
    },
    {
        "key": "repair",
        "title": "Free repair voucher",
        "kind": RewardKind.VOUCHER,
        "cost": 800,
        "description": "One free repair of any of our products at the workshop of "
        "your choice. New codes arrive at the start of each month; requests wait "
        "for them.",
        "codes": 0,
    },
    {
        "key": "bottle",
        "title": "Branded water bottle",
        "kind": RewardKind.GOODS,
        "cost": 1500,
        "description": "A 750 ml stainless steel bottle with the community's logo, "
        "shipped to your door.",
        "stock": 25,
        "limit_per_member": 1,
    },
    {
        "key": "trees",
        "title": "Plant 10 trees with our reforestation partner",
        "kind": RewardKind.DONATION,
        "cost": 500,
        "description": "We give the money for ten trees, planted and cared for "
        "by our reforestation partner in the Vosges mountains.",
        "cause": "Green Valleys Reforestation",
    },
    {
        "key": "cash",
        "title": "Cash out",
        "kind": RewardKind.MONEY,
        "cost": 1000,
        "description": "Points become money on your bank account: 100 points make "
        "1 €, from 1,000 points. Paid by bank transfer within two weeks.",
    },
)
WELCOME_BONUS = 4000
WELCOME_MEMO = "Welcome bonus for the demo"
TOP_UP_MEMO = "Prize for testing a prototype"
SHIPPING = {
    "shipping_address": "12 rue des Lilas",
    "shipping_postcode": "69003",
    "shipping_city": "Lyon",
    "shipping_country": "France",
}
# Steps of the lifecycle an idea passed to reach its status, and how many days
# after its campaign closed the product team took each.
LIFECYCLE = (
    (IdeaStatus.SHORTLISTED, 3),
    (IdeaStatus.IN_RND, 8),
    (IdeaStatus.SHIPPED, 12),
)


@dataclass
class IdeaPlan:
    """An idea before it is written: what it says, who wrote it, how liked it is."""

    title: str
    description: str
    author: User
    campaign: CampaignPage | None
    category: Category
    created_at: datetime.datetime
    tags: tuple[str, ...]
    palette: tuple[str, str]
    weight: float
    status: str = IdeaStatus.PUBLISHED
    supports: int = 0
    idea: Idea | None = None


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError, ImportError):  # Pillow without FreeType
        return ImageFont.load_default()


def draw_picture(
    rng: random.Random, size: tuple[int, int], text: str, palette: tuple[str, str]
) -> bytes:
    """A gradient with translucent shapes and a caption, as JPEG bytes."""
    width, height = size
    gradient = Image.linear_gradient("L").rotate(rng.choice((0, 90, 180, 270)))
    gradient = gradient.resize(size, Image.Resampling.BILINEAR)
    image = ImageOps.colorize(gradient, *palette).convert("RGBA")
    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    shapes = ImageDraw.Draw(overlay)
    for _ in range(rng.randint(3, 7)):
        radius = rng.randint(height // 10, height // 2)
        x, y = rng.randint(0, width), rng.randint(0, height)
        fill = (255, 255, 255, rng.randint(30, 90))
        if rng.random() < 0.5:
            shapes.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)
        else:
            box = (x - radius, y - radius // 2, x + radius, y + radius // 2)
            shapes.rounded_rectangle(box, radius=radius // 4, fill=fill)
    image = Image.alpha_composite(image, overlay).convert("RGB")
    draw = ImageDraw.Draw(image)
    font_size = max(height // 11, 14)
    font = _font(font_size)
    lines = textwrap.wrap(text, width=max(int(width / (font_size * 0.55)), 12))[:4]
    margin = width // 20
    y = height - margin - len(lines) * int(font_size * 1.25)
    for line in lines:
        draw.text(
            (margin, y),
            line,
            font=font,
            fill="white",
            stroke_width=2,
            stroke_fill="black",
        )
        y += int(font_size * 1.25)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def draw_avatar(name: str, colour: str) -> bytes:
    side = 256
    image = Image.new("RGB", (side, side), colour)
    draw = ImageDraw.Draw(image)
    initials = "".join(part[0] for part in name.replace(".", "").split()[:2]).upper()
    font = _font(110)
    left, top, right, bottom = draw.textbbox((0, 0), initials, font=font)
    position = ((side - (right - left)) / 2 - left, (side - (bottom - top)) / 2 - top)
    draw.text(position, initials, font=font, fill="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def public_name(full_name: str) -> str:
    """Show "Amélie Laurent" as "Amélie L.", the way members tend to sign."""
    first, _space, last = full_name.partition(" ")
    return f"{first} {last[0]}." if last else first


def email_for(full_name: str) -> str:
    return slugify(full_name).replace("-", ".") + "@example.com"


class Command(BaseCommand):
    help = (
        "Seed demo content: home, charter, FAQ and rules pages, 6 categories, "
        "3 campaigns, 30 members, 120 ideas with pictures, tags, supports and "
        "comments over eight weeks, the points that history earned (ledger, levels, "
        "badges), a reward catalogue with redemptions, and the accounts member@, "
        "moderator@, product@ and editor@example.com (password cocreate-demo), in "
        "the Moderators, Product team and Editors groups; status timelines, official "
        "answers and a moderation queue; shortlists, scores and R&D records. "
        "Idempotent: parts that exist are left alone. Runs only with DEBUG on, "
        "unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ideas", type=int, default=DEFAULT_IDEAS, help="ideas to create"
        )
        parser.add_argument(
            "--supports",
            type=int,
            default=None,
            help=f"supports in total (default {SUPPORTS_PER_IDEA} per idea); "
            "extra members are created when the set needs them",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="random seed"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="seed even with DEBUG off (never on a site people use)",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it runs "
                "only with DEBUG=true. Use --force to seed anyway, never on a site "
                "people use."
            )
        ideas = max(options["ideas"], 0)
        supports = options["supports"]
        supports = ideas * SUPPORTS_PER_IDEA if supports is None else max(supports, 0)
        self.seed = options["seed"]
        self.now = timezone.now()
        self.today = timezone.localdate()
        self._password_hash = None
        started = time.monotonic()
        # Wagtail logs every page it creates and publishes; the summary is enough.
        wagtail_log = logging.getLogger("wagtail")
        level = wagtail_log.level
        wagtail_log.setLevel(logging.WARNING)
        try:
            # The notifications the seed sends would flood the console; the demo
            # shows them in the bell instead.
            with override_settings(EMAIL_BACKEND=QUIET_EMAIL):
                self.seed_all(ideas=ideas, supports=supports)
        finally:
            wagtail_log.setLevel(level)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready in {time.monotonic() - started:.1f} s: "
                f"{Idea.objects.count()} ideas, {Support.objects.count()} supports, "
                f"{Comment.objects.count()} comments, "
                f"{User.objects.count()} members, "
                f"{CampaignPage.objects.count()} campaigns."
            )
        )
        self.stdout.write(
            "Log in as member@, moderator@, product@ or editor@example.com "
            f"with the password {DEMO_PASSWORD}."
        )

    @transaction.atomic
    def seed_all(self, *, ideas: int, supports: int) -> None:
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("There is no home page: run manage.py migrate.")
        categories = self.seed_categories()
        pages = self.seed_content_pages(home)
        self.seed_home(home, pages["charter"])
        campaigns = self.seed_campaigns(home, categories)
        accounts = self.seed_accounts()
        members = self.seed_members()
        demo_member = accounts["member@example.com"]
        # Everything commits together, so the demo member's ideas mark a full seed.
        if Idea.objects.filter(author=demo_member).exists():
            self.stdout.write("Ideas were seeded before; none added.")
        else:
            self.seed_ideas(
                count=ideas,
                supports=supports,
                campaigns=campaigns,
                categories=categories,
                demo_member=demo_member,
                members=members,
            )
        # Apart from the ideas, so a site seeded before rewards existed gains them.
        self.seed_rewards(accounts)
        self.stdout.write(
            seed_brand_team(accounts=accounts, now=self.now, seed=self.seed)
        )
        # After the timelines: the R&D records are dated by them.
        self.stdout.write(
            seed_product_team(accounts=accounts, now=self.now, seed=self.seed)
        )

    def rng(self, part: str) -> random.Random:
        """One generator per part, so a part seeded later looks the same."""
        return random.Random(f"{self.seed}:{part}")

    @property
    def password_hash(self) -> str:
        # Hashed once: hashing per member would take a quarter second each.
        if self._password_hash is None:
            self._password_hash = make_password(DEMO_PASSWORD)
        return self._password_hash

    # Editorial content

    def seed_categories(self) -> dict[str, Category]:
        categories = {}
        for slug, name, description in CATEGORIES:
            categories[slug], _created = Category.objects.get_or_create(
                slug=slug, defaults={"name": name, "description": description}
            )
        return categories

    def wagtail_image(self, caption: str, size: tuple[int, int], palette):
        """A banner in the image library, titled (and so described) by its caption."""
        image_model = get_image_model()
        existing = image_model.objects.filter(title=caption).first()
        if existing is not None:
            return existing
        data = draw_picture(self.rng(caption), size, caption, palette)
        image = image_model(
            title=caption, file=ContentFile(data, name=f"{slugify(caption)}.jpg")
        )
        image.save()
        return image

    def seed_content_pages(self, home: HomePage) -> dict[str, ContentPage]:
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

    def seed_home(self, home: HomePage, charter: ContentPage) -> None:
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
        home.hero_image = self.wagtail_image(
            "Ideas from the outside", (1280, 840), PALETTES[0]
        )
        home.save_revision().publish()

    def seed_campaigns(
        self, home: HomePage, categories: dict[str, Category]
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
                    starts_on=self.today + datetime.timedelta(days=spec["starts"]),
                    ends_on=self.today + datetime.timedelta(days=spec["ends"]),
                    premoderate=spec["premoderate"],
                    support_threshold=spec["threshold"],
                    hero_image=self.wagtail_image(
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

    # People

    def seed_accounts(self) -> dict[str, User]:
        accounts = {}
        joined = self.now - datetime.timedelta(days=HISTORY_DAYS + 14)
        for email, display_name, group in DEMO_ACCOUNTS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create(
                    email=email,
                    display_name=display_name,
                    password=self.password_hash,
                    is_staff=group is not None,
                    date_joined=joined,
                )
                EmailAddress.objects.create(
                    user=user, email=email, verified=True, primary=True
                )
                if email == "member@example.com":
                    self.give_avatar(user, display_name, PALETTES[2][0])
                    user.save(update_fields=["avatar"])
            if group:
                # Also on existing accounts: roles are groups, created by a migration.
                user.groups.add(Group.objects.get(name=group))
            accounts[email] = user
        return accounts

    def give_avatar(self, user: User, name: str, colour: str) -> None:
        upload = ContentFile(draw_avatar(name, colour), name="avatar.png")
        avatar = process_avatar(upload, name=f"avatar-{user.pk}")
        user.avatar.save(avatar.name, avatar, save=False)

    def seed_members(self, extra: int = 0) -> list[User]:
        """The community: 30 named members, and numbered ones when a set needs more."""
        rng = self.rng(f"members:{extra}")
        wanted = [(email_for(name), public_name(name)) for name in MEMBER_NAMES]
        wanted += [
            (f"demo-member-{n:05d}@example.com", f"Member {n}")
            for n in range(len(MEMBER_NAMES) + 1, len(MEMBER_NAMES) + extra + 1)
        ]
        emails = [email for email, _name in wanted]
        existing = set(
            User.objects.filter(email__in=emails).values_list("email", flat=True)
        )
        new = [
            User(
                email=email,
                display_name=name,
                password=self.password_hash,
                date_joined=self.now
                - datetime.timedelta(days=HISTORY_DAYS + rng.randint(1, 60)),
            )
            for email, name in wanted
            if email not in existing
        ]
        if new:
            new = User.objects.bulk_create(new, batch_size=500)
            EmailAddress.objects.bulk_create(
                [
                    EmailAddress(
                        user=user, email=user.email, verified=True, primary=True
                    )
                    for user in new
                ],
                batch_size=500,
            )
            named = {email_for(name) for name in MEMBER_NAMES}
            with_avatar = [
                user for user in new if user.email in named and rng.random() < 0.65
            ]
            for user in with_avatar:
                self.give_avatar(user, user.display_name, rng.choice(PALETTES)[0])
            User.objects.bulk_update(with_avatar, ["avatar"])
        return list(User.objects.filter(email__in=emails).order_by("pk"))

    # Ideas and what members do with them

    def seed_ideas(
        self,
        *,
        count: int,
        supports: int,
        campaigns: dict[str, CampaignPage],
        categories: dict[str, Category],
        demo_member: User,
        members: list[User],
    ) -> None:
        rng = self.rng("ideas")
        plans = self.plan_ideas(rng, count, campaigns, categories, demo_member, members)
        supportable = [plan for plan in plans if plan.status != IdeaStatus.PENDING]
        community = [demo_member, *members]
        # Keep supports under half of what is possible, so the popular few stand out.
        if supportable and supports * 2 > len(supportable) * (len(community) - 1):
            needed = math.ceil(supports * 2 / len(supportable)) + 1
            members = self.seed_members(extra=needed - len(community))
            community = [demo_member, *members]
        self.allocate_supports(supportable, supports, cap=len(community) - 1)
        self.set_statuses(plans, campaigns["city-cycling"])

        plans.sort(key=lambda plan: plan.created_at)
        ideas = Idea.objects.bulk_create(
            [
                Idea(
                    title=plan.title,
                    description=plan.description,
                    description_html=render_markdown(plan.description),
                    author=plan.author,
                    campaign=plan.campaign,
                    category=plan.category,
                    status=plan.status,
                    created_at=plan.created_at,
                )
                for plan in plans
            ],
            batch_size=500,
        )
        for plan, idea in zip(plans, ideas, strict=True):
            plan.idea = idea
        pictures = self.write_pictures(rng, plans)
        self.write_tags_and_revisions(plans)
        support_rows, follow_rows = self.write_supports_and_follows(
            rng, supportable, community
        )
        comment_rows = self.write_comments(rng, supportable, community)
        ids = [idea.pk for idea in ideas]
        Idea.objects.filter(pk__in=ids).update(updated_at=F("created_at"))
        recount_ideas()
        get_search_backend().add_bulk(Idea, list(Idea.objects.filter(pk__in=ids)))
        self.stdout.write(
            f"Seeded {len(ideas)} ideas with {pictures} pictures, {support_rows} "
            f"supports, {comment_rows} comments and {follow_rows} follows."
        )

    def plan_ideas(
        self,
        rng: random.Random,
        count: int,
        campaigns: dict[str, CampaignPage],
        categories: dict[str, Category],
        demo_member: User,
        members: list[User],
    ) -> list[IdeaPlan]:
        campaign_categories = {
            page.pk: [categories[c.slug] for c in page.categories.all()]
            for page in campaigns.values()
        }
        choices = [*campaigns.values(), None]
        titles: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
        used: dict[str, int] = {}
        plans = []
        for number in range(count):
            if number < len(DEMO_MEMBER_IDEAS):
                slug, category_slug, product, title, days, weight = DEMO_MEMBER_IDEAS[
                    number
                ]
                campaign = campaigns[slug] if slug else None
                category = categories[category_slug]
                created = self.now - datetime.timedelta(days=days, hours=3)
                author, tags = demo_member, ("repair", category_slug)
            else:
                campaign = rng.choices(choices, weights=(32, 26, 20, 22))[0]
                category = rng.choice(
                    campaign_categories[campaign.pk]
                    if campaign
                    else list(categories.values())
                )
                pool = titles.setdefault(
                    category.slug,
                    rng.sample(
                        [
                            (product, feature, feature_tags)
                            for product in PRODUCTS[category.slug]
                            for feature, feature_tags in FEATURES
                        ],
                        len(PRODUCTS[category.slug]) * len(FEATURES),
                    ),
                )
                taken = used.get(category.slug, 0)
                used[category.slug] = taken + 1
                product, feature, feature_tags = pool[taken % len(pool)]
                article = "An" if product[0] in "aeiou" else "A"
                title = f"{article} {product} {feature}"
                if taken >= len(pool):
                    title = f"{title} (take {taken // len(pool) + 1})"
                created = self.created_within(rng, campaign)
                author = rng.choice(members)
                tags = tuple(sorted({*feature_tags, category.slug}))
                weight = min(rng.paretovariate(1.5), 20.0)
            status = IdeaStatus.PUBLISHED
            if campaign and campaign.premoderate and self.now - created < RECENT:
                status = IdeaStatus.PENDING
            plans.append(
                IdeaPlan(
                    title=title[:140],
                    description=self.describe(rng, product, title),
                    author=author,
                    campaign=campaign,
                    category=category,
                    created_at=created,
                    tags=tags,
                    palette=PALETTES[number % len(PALETTES)],
                    weight=weight,
                    status=status,
                )
            )
        return plans

    def created_within(
        self, rng: random.Random, campaign: CampaignPage | None
    ) -> datetime.datetime:
        """A moment in the last eight weeks while the campaign was open."""
        start = self.now - datetime.timedelta(days=HISTORY_DAYS)
        end = self.now - datetime.timedelta(hours=1)
        if campaign is not None:
            opened = datetime.datetime.combine(
                campaign.starts_on, datetime.time(9), tzinfo=datetime.UTC
            )
            start = max(start, opened)
            if campaign.ends_on and campaign.ends_on < self.today:
                end = datetime.datetime.combine(
                    campaign.ends_on, datetime.time(18), tzinfo=datetime.UTC
                )
        return start + (end - start) * rng.random()

    def describe(self, rng: random.Random, product: str, title: str) -> str:
        benefits = rng.sample(BENEFITS, 2)
        return (
            f"{rng.choice(OPENINGS).format(product=product)}\n\n"
            f"Imagine this: **{title[0].lower()}{title[1:]}**.\n\n"
            f"- {benefits[0]}\n- {benefits[1]}\n\n"
            f"{rng.choice(CLOSINGS)}"
        )

    def allocate_supports(self, plans: list[IdeaPlan], total: int, cap: int) -> None:
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

    def set_statuses(self, plans: list[IdeaPlan], closed: CampaignPage) -> None:
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

    def write_pictures(self, rng: random.Random, plans: list[IdeaPlan]) -> int:
        """One or two pictures per idea, re-encoded like members' uploads."""
        field = IdeaImage._meta.get_field("image")
        drawn: list[tuple[str, str, int, int]] = []
        rows = []
        for plan in plans:
            for position in range(2 if rng.random() < 0.2 else 1):
                if len(drawn) < UNIQUE_PICTURES:
                    caption = plan.title if position == 0 else plan.category.name
                    data = draw_picture(rng, (640, 480), caption, plan.palette)
                    processed = process_image(
                        ContentFile(data, name="sketch.jpg"),
                        name=f"idea-{plan.idea.pk}-{position}",
                    )
                    probe = IdeaImage(idea=plan.idea)
                    names = [
                        field.storage.save(
                            field.generate_filename(probe, content.name), content
                        )
                        for content in (processed.full, processed.thumbnail)
                    ]
                    drawn.append((*names, processed.width, processed.height))
                    image, thumbnail, width, height = drawn[-1]
                else:
                    image, thumbnail, width, height = rng.choice(drawn)
                rows.append(
                    IdeaImage(
                        idea=plan.idea,
                        image=image,
                        thumbnail=thumbnail,
                        width=width,
                        height=height,
                        alt_text=f"Sketch of the idea: {plan.title}"[:200],
                        position=position,
                    )
                )
        IdeaImage.objects.bulk_create(rows, batch_size=500)
        return len(rows)

    def write_tags_and_revisions(self, plans: list[IdeaPlan]) -> None:
        """What posting writes besides the idea: tags, first revision, own follow."""
        tags = {}
        for name in sorted({tag for plan in plans for tag in plan.tags}):
            tags[name], _created = Tag.objects.get_or_create(name=name)
        TaggedIdea.objects.bulk_create(
            [
                TaggedIdea(content_object=plan.idea, tag=tags[name])
                for plan in plans
                for name in plan.tags
            ],
            batch_size=500,
        )
        IdeaRevision.objects.bulk_create(
            [
                IdeaRevision(
                    idea=plan.idea,
                    editor=plan.author,
                    title=plan.title,
                    description=plan.description,
                    category_name=plan.category.name,
                    tag_names=sorted(plan.tags),
                    created_at=plan.created_at,
                )
                for plan in plans
            ],
            batch_size=500,
        )
        Follow.objects.bulk_create(
            [
                Follow(idea=plan.idea, member=plan.author, created_at=plan.created_at)
                for plan in plans
            ],
            batch_size=500,
        )

    def write_supports_and_follows(
        self, rng: random.Random, plans: list[IdeaPlan], community: list[User]
    ) -> tuple[int, int]:
        supports, follows = [], []
        for plan in plans:
            candidates = [member for member in community if member != plan.author]
            span = self.now - plan.created_at
            for member in rng.sample(candidates, plan.supports):
                when = plan.created_at + span * rng.random()
                supports.append(Support(idea=plan.idea, member=member, created_at=when))
                if rng.random() < 0.25:
                    follows.append(
                        Follow(idea=plan.idea, member=member, created_at=when)
                    )
        Support.objects.bulk_create(supports, batch_size=1000)
        Follow.objects.bulk_create(follows, batch_size=1000)
        return len(supports), len(follows) + len(plans)

    def write_comments(
        self, rng: random.Random, plans: list[IdeaPlan], community: list[User]
    ) -> int:
        """Comments where the supports are, and replies, some by the idea's author."""
        if not plans:
            return 0
        html = {text: render_markdown(text) for text in COMMENTS + REPLIES}
        html.update({text: render_markdown(text) for text in AUTHOR_REPLIES})
        picks = rng.choices(
            plans,
            weights=[plan.weight**0.7 for plan in plans],
            k=len(plans) * COMMENTS_PER_IDEA,
        )
        threads: dict[int, list[Comment]] = {}
        top_level, replies = [], []
        for plan in picks:
            thread = threads.setdefault(plan.idea.pk, [])
            if thread and rng.random() < 0.3:
                parent = rng.choice(thread)
                if rng.random() < 0.4:
                    author, body = plan.author, rng.choice(AUTHOR_REPLIES)
                else:
                    author, body = rng.choice(community), rng.choice(REPLIES)
                since, target = parent.created_at, replies
            else:
                author, body = rng.choice(community), rng.choice(COMMENTS)
                since, target, parent = plan.created_at, top_level, None
            comment = Comment(
                idea=plan.idea,
                author=author,
                parent=parent,
                body=body,
                body_html=html[body],
                created_at=since + (self.now - since) * rng.random(),
            )
            target.append(comment)
            if parent is None:
                thread.append(comment)
        Comment.objects.bulk_create(top_level, batch_size=500)
        for reply in replies:
            reply.parent = reply.parent  # now saved: copies its id
        Comment.objects.bulk_create(replies, batch_size=500)
        return len(top_level) + len(replies)

    # Points and rewards

    def seed_rewards(self, accounts: dict[str, User]) -> None:
        """The catalogue, the points the seeded history earned, and redemptions."""
        rewards = self.seed_catalogue(accounts["editor@example.com"])
        demo_member = accounts["member@example.com"]
        # The welcome bonus is written with the rest, so it marks a full seed.
        if Entry.objects.filter(
            wallet__member=demo_member, kind=EntryKind.ADJUSTMENT, memo=WELCOME_MEMO
        ).exists():
            self.stdout.write("Points were seeded before; none added.")
            return
        imported = self.import_points_history()
        self.seed_redemptions(accounts, rewards)
        self.stdout.write(
            f"Paid {imported.points} points in {imported.entries} entries to "
            f"{imported.wallets} members for their history, with {imported.badges} "
            f"badges; {Redemption.objects.count()} redemptions."
        )

    def seed_catalogue(self, editor: User) -> dict[str, Reward]:
        rewards = {}
        for number, spec in enumerate(REWARDS):
            reward = Reward.objects.filter(title=spec["title"]).first()
            if reward is None:
                reward = Reward.objects.create(
                    title=spec["title"],
                    kind=spec["kind"],
                    cost=spec["cost"],
                    description=spec["description"],
                    stock=spec.get("stock"),
                    limit_per_member=spec.get("limit_per_member"),
                    cause=spec.get("cause", ""),
                    image=self.wagtail_image(
                        spec["title"], (800, 600), PALETTES[(number + 4) % 8]
                    ),
                )
                if spec.get("codes"):
                    rng = self.rng(f"codes:{spec['title']}")
                    codes = [
                        f"CC{spec['cost'] // 100:02d}-"
                        f"{rng.getrandbits(16):04X}-{rng.getrandbits(16):04X}"
                        for _ in range(spec["codes"])
                    ]
                    vouchers.import_voucher_codes(
                        actor=editor, reward=reward, csv_text="\n".join(codes)
                    )
            rewards[spec["key"]] = reward
        return rewards

    def import_points_history(self) -> history.Imported:
        """The points, levels and badges the community's past would have earned."""
        supports = [
            history.SupportFacts._make(row)
            for row in Support.objects.values_list(
                "pk", "idea_id", "member_id", "created_at"
            ).iterator(chunk_size=5000)
        ]
        comments = [
            history.CommentFacts._make(row)
            for row in Comment.objects.filter(removed_at__isnull=True)
            .values_list("pk", "idea_id", "author_id", "created_at")
            .iterator(chunk_size=5000)
        ]
        by_idea: dict[int, list[datetime.datetime]] = {}
        for support in supports:
            by_idea.setdefault(support.idea_id, []).append(support.created_at)
        pages = {page.pk: page for page in CampaignPage.objects.all()}
        ideas = []
        for (
            pk,
            author_id,
            campaign_id,
            title,
            status,
            created_at,
        ) in Idea.objects.values_list(
            "pk", "author_id", "campaign_id", "title", "status", "created_at"
        ).iterator(chunk_size=5000):
            if status not in PUBLIC_STATUSES:
                ideas.append(history.IdeaFacts(pk, author_id, campaign_id, title, None))
                continue
            campaign = pages.get(campaign_id)
            ideas.append(
                history.IdeaFacts(
                    pk,
                    author_id,
                    campaign_id,
                    title,
                    created_at,
                    self.status_steps(
                        status, created_at, campaign, sorted(by_idea.get(pk, ()))
                    ),
                )
            )
        return history.import_history(ideas=ideas, supports=supports, comments=comments)

    def status_steps(
        self,
        status: str,
        published_at: datetime.datetime,
        campaign: CampaignPage | None,
        supported_at: list[datetime.datetime],
    ) -> tuple[tuple[str, datetime.datetime], ...]:
        """The steps an idea in this status went through, and when: its review
        when its campaign's threshold was reached, then the product team's calls.
        """
        steps = []
        threshold = campaign.support_threshold if campaign else None
        if (
            status in (IdeaStatus.UNDER_REVIEW, *(step for step, _days in LIFECYCLE))
            and threshold
            and len(supported_at) >= threshold
        ):
            steps.append((IdeaStatus.UNDER_REVIEW, supported_at[threshold - 1]))
        reached = [step for step, _days in LIFECYCLE]
        if status in reached:
            closed = published_at
            if (
                campaign is not None
                and campaign.ends_on
                and (campaign.ends_on < self.today)
            ):
                closed = datetime.datetime.combine(
                    campaign.ends_on, datetime.time(18), tzinfo=datetime.UTC
                )
            latest = self.now - datetime.timedelta(hours=1)
            for step, days in LIFECYCLE[: reached.index(status) + 1]:
                when = max(closed + datetime.timedelta(days=days), published_at)
                steps.append((step, min(when, latest)))
        return tuple(steps)

    def seed_redemptions(
        self, accounts: dict[str, User], rewards: dict[str, Reward]
    ) -> None:
        """The demo member's voucher and bottle; a queue for the moderator."""
        # Fresh from the database: the role group was just given to the account.
        moderator = User.objects.get(email="moderator@example.com")
        demo_member = accounts["member@example.com"]
        ledger.adjust(
            member=demo_member, amount=WELCOME_BONUS, memo=WELCOME_MEMO, actor=moderator
        )
        redemptions.redeem(member=demo_member, reward=rewards["voucher"])
        redemptions.redeem(
            member=demo_member,
            reward=rewards["bottle"],
            details=redemptions.Details(
                shipping_name=demo_member.display_name, **SHIPPING
            ),
        )
        # The community's best earners ask for the rest.
        others = list(
            User.objects.filter(is_staff=False, is_superuser=False, is_active=True)
            .exclude(pk=demo_member.pk)
            .order_by(F("wallet__available").desc(nulls_last=True), "pk")[:5]
        )
        if len(others) < 5:
            return
        full_names = {email_for(name): name for name in MEMBER_NAMES}
        requests = (
            (
                rewards["cash"],
                redemptions.Details(points=1500, iban="DE89370400440532013000"),
            ),
            (
                rewards["cash"],
                redemptions.Details(points=1000, iban="FR7630006000011234567890189"),
            ),
            (rewards["repair"], None),
            (rewards["trees"], None),
            (rewards["bottle"], redemptions.Details(**SHIPPING)),
        )
        made = []
        for member, (reward, details) in zip(others, requests, strict=True):
            points = details.points if details and details.points else reward.cost
            wallet = Wallet.objects.filter(member=member).first()
            short = points - (wallet.available if wallet else 0)
            if short > 0:
                ledger.adjust(
                    member=member, amount=short, memo=TOP_UP_MEMO, actor=moderator
                )
            name = full_names.get(member.email, member.display_name)
            if details is not None:
                details.account_holder = name if details.iban else ""
                details.shipping_name = "" if details.iban else name
            made.append(
                redemptions.redeem(member=member, reward=reward, details=details)
            )
        redemptions.fulfil(
            actor=moderator,
            redemption=made[3],
            note="Your ten trees are planted in the Vosges. Thank you!",
        )
        redemptions.reject(
            actor=moderator,
            redemption=made[4],
            note="We cannot ship to this address; your points are back in your wallet.",
        )
