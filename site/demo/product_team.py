"""The product team's side of the demo: shortlists with notes and a manual order,
scores by two scorers, and the R&D record (ticket, owner, target date, product
link) of the ideas past shortlisting, written as rows dated in the past, as the
services would have written them."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth.models import Group
from django.utils.text import slugify

from cocreate.demo.context import in_language
from cocreate.members.models import ConsentRecord, ConsentSource, Purpose, User
from ideas.models import (
    Criterion,
    Idea,
    IdeaStatus,
    Promotion,
    Score,
    Shortlist,
    ShortlistEntry,
    StatusChange,
)
from ideas.product import scoring

#: The second scorer and R&D owner: in the Product team group, without a password
#: (the demo's product@ account is the one to log in with).
LAB_ACCOUNT = ("lab@example.com", "Demo R&D Lab")
SHORTLISTS = (
    (
        "Running shoes 2027",
        "Ideas for next year's road and trail shoes and what goes with them.",
        ("running", "hiking"),
    ),
    (
        "Next season's picks",
        "The ideas we take into design reviews this season.",
        (),
    ),
)
ENTRY_NOTES = (
    "Strong demand in the comments; ask the author for sketches.",
    "Check the cost of the material with our supplier.",
    "Could share a sole with the 2027 trail shoe.",
    "Similar request from our stores: worth a prototype.",
    "Needs a safety review before anything else.",
    "",
)
PRODUCT_LINK = "https://shop.example.com/products/{slug}"
TICKET_LINK = "https://rnd.example.com/browse/{key}"
#: The consent's wording, as the consent page records it (the migration's).
CONTACT_CONSENT = "The brand team may email me about my ideas."


def seed_product_team(
    *,
    accounts: dict[str, User],
    now: datetime.datetime,
    seed: int,
    language: str = "en",
) -> str:
    """Shortlists, scores and R&D records, in ``language``; skipped once a
    shortlist exists."""
    if Shortlist.objects.exists():
        return "Product team content was seeded before; none added."
    rng = random.Random(f"{seed}:product-team")
    product = User.objects.get(email="product@example.com")
    lab = _lab_account(product, language)
    public = list(
        Idea.objects.filter(
            status__in=[
                IdeaStatus.PUBLISHED,
                IdeaStatus.UNDER_REVIEW,
                IdeaStatus.SHORTLISTED,
                IdeaStatus.IN_RND,
                IdeaStatus.SHIPPED,
            ]
        )
        .select_related("category")
        # A brand's 100,000 ideas are held here: without their texts.
        .defer("description", "description_html")
        .order_by("-supports_count", "pk")
    )
    consenting = _contact_consent(public, rng, language)
    promotions = _promotions(product, lab, now)
    entries = _shortlists(product, public, now, rng, language)
    scored = _scores(product, lab, public, entries, now, rng)
    return (
        f"Product team: {Shortlist.objects.count()} shortlists with {len(entries)} "
        f"ideas, {scored} ideas scored, {promotions} R&D records; {consenting} "
        "authors agree to be contacted."
    )


def _lab_account(product: User, language: str) -> User:
    email, name = in_language(language, "LAB_ACCOUNT", LAB_ACCOUNT)
    lab = User.objects.filter(email=email).first()
    if lab is None:
        lab = User(
            email=email,
            display_name=name,
            language="" if language == "en" else language,
            is_staff=True,
            date_joined=product.date_joined,
        )
        lab.set_unusable_password()
        lab.save()
    lab.groups.add(Group.objects.get(name="Product team"))
    return lab


def _contact_consent(public: list[Idea], rng: random.Random, language: str) -> int:
    """About half the authors agree the brand team may email them."""
    authors = sorted({idea.author_id for idea in public})
    consenting = [pk for pk in authors if rng.random() < 0.5]
    members = User.objects.filter(
        pk__in=consenting, is_staff=False, contact_consent=False
    )
    # Recorded as the consent page records it (the migration's wording).
    ConsentRecord.objects.bulk_create(
        ConsentRecord(
            member_id=pk,
            purpose=Purpose.CONTACT,
            granted=True,
            text=in_language(language, "CONTACT_CONSENT", CONTACT_CONSENT),
            source=ConsentSource.SIGNUP,
        )
        for pk in members.values_list("pk", flat=True)
    )
    return User.objects.filter(pk__in=consenting, is_staff=False).update(
        contact_consent=True
    )


def _status_time(idea: Idea, status: str, now: datetime.datetime):
    change = (
        StatusChange.objects.filter(idea=idea, new_status=status)
        .order_by("-created_at")
        .first()
    )
    return change.created_at if change else now


def _promotions(product: User, lab: User, now: datetime.datetime) -> int:
    """The R&D record of every idea in R&D or shipped, dated by its timeline."""
    rows = []
    ideas = sorted(
        Idea.objects.filter(
            status__in=[IdeaStatus.IN_RND, IdeaStatus.SHIPPED], promotion__isnull=True
        ),
        key=lambda idea: (idea.status != IdeaStatus.IN_RND, idea.pk),
    )
    # In R&D until the first of the month four months from now.
    target = (now + datetime.timedelta(days=120)).date().replace(day=1)
    for number, idea in enumerate(ideas):
        key = f"RND-{142 - 17 * number}"
        shipped = idea.status == IdeaStatus.SHIPPED
        promotion = Promotion(
            idea=idea,
            ticket_key=key,
            ticket_url=TICKET_LINK.format(key=key),
            owner=lab,
            target_date=None if shipped else target,
            promoted_by=product,
            promoted_at=_status_time(idea, IdeaStatus.IN_RND, now),
        )
        if shipped:
            promotion.product_url = PRODUCT_LINK.format(slug=slugify(idea.title)[:60])
            promotion.shipped_at = _status_time(idea, IdeaStatus.SHIPPED, now)
            promotion.shipped_by = product
        rows.append(promotion)
    Promotion.objects.bulk_create(rows)
    return len(rows)


def _shortlists(
    product: User,
    public: list[Idea],
    now: datetime.datetime,
    rng: random.Random,
    language: str,
) -> list[ShortlistEntry]:
    """Two shortlists in a manual order; the most supported idea is on both."""
    shortlisted = [
        idea
        for idea in public
        if idea.status in (IdeaStatus.SHORTLISTED, IdeaStatus.IN_RND)
    ]
    candidates = [idea for idea in public if idea.status != IdeaStatus.SHIPPED]
    if not candidates:
        return []
    top = candidates[0]
    entries = []
    notes = in_language(language, "ENTRY_NOTES", ENTRY_NOTES)
    for name, description, categories in in_language(
        language, "SHORTLISTS", SHORTLISTS
    ):
        if categories:
            picked = [
                idea
                for idea in candidates
                if idea.category and idea.category.slug in categories
            ][:5]
        else:
            picked = (
                shortlisted
                + [idea for idea in candidates if idea not in shortlisted][
                    : max(2, 5 - len(shortlisted))
                ]
            )
        if top not in picked:
            picked = [top, *picked[:4]]
        if len(picked) < 3:  # a small demo set: the most supported ideas
            picked += [idea for idea in candidates if idea not in picked][
                : 3 - len(picked)
            ]
        # The team's own order: not simply by supports.
        rng.shuffle(picked)
        shortlist = Shortlist.objects.create(
            name=name,
            description=description,
            created_by=product,
            created_at=now - datetime.timedelta(days=21),
        )
        for position, idea in enumerate(picked):
            entries.append(
                ShortlistEntry(
                    shortlist=shortlist,
                    idea=idea,
                    note=rng.choice(notes),
                    position=position,
                    added_by=product,
                    added_at=max(
                        idea.created_at,
                        now - datetime.timedelta(days=rng.randint(2, 20)),
                    ),
                )
            )
    ShortlistEntry.objects.bulk_create(entries)
    return entries


def _scores(
    product: User,
    lab: User,
    public: list[Idea],
    entries: list[ShortlistEntry],
    now: datetime.datetime,
    rng: random.Random,
) -> int:
    """Both scorers score the shortlisted ideas on the criteria in use; the demo
    account also scores a few more, so some ideas have one scorer only."""
    criteria = list(Criterion.objects.filter(is_active=True))
    listed = list(dict.fromkeys(entry.idea for entry in entries))
    extra = [idea for idea in public if idea not in listed][:3]
    rows = []
    for scorer, ideas in ((product, listed + extra), (lab, listed)):
        for idea in ideas:
            # Popular ideas tend to score higher, with each scorer's own view.
            lean = min(idea.supports_count / 10, 1.5)
            when = now - datetime.timedelta(days=rng.randint(1, 14))
            for criterion in criteria:
                value = round(rng.uniform(1, criterion.scale) + lean)
                rows.append(
                    Score(
                        idea=idea,
                        criterion=criterion,
                        scorer=scorer,
                        value=max(1, min(criterion.scale, value)),
                        updated_at=max(when, idea.created_at),
                    )
                )
    Score.objects.bulk_create(rows)
    ids = [idea.pk for idea in listed + extra]
    scoring.rescore(ids)
    return len(ids)
