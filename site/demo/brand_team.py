"""The brand team's side of the demo: status timelines with public notes, official
answers, a moderation queue with pending and reported items, a merge, a warning,
hiding reasons and notifications for the demo member (the product team's tools are
in ``product_team``).

History (timelines, answers) is written as rows
dated in the past, as the services would have written them; what happens "now"
(reports, the merge, the warning, the notifications) goes through the services, so
their events and points follow.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import F

from cocreate.demo.context import french_columns, in_language
from cocreate.markup import render_markdown
from cocreate.members.models import Sanction, User
from cocreate.members.sanctions import sanction
from cocreate.notifications import services as notifications
from ideas.models import (
    Comment,
    Idea,
    IdeaStatus,
    ModerationReason,
    Report,
    StatusChange,
)
from ideas.moderation import merging
from ideas.moderation import services as moderation

LIFECYCLE = (
    IdeaStatus.UNDER_REVIEW,
    IdeaStatus.SHORTLISTED,
    IdeaStatus.IN_RND,
    IdeaStatus.SHIPPED,
)
NOTES = {
    IdeaStatus.UNDER_REVIEW: (
        "Many of you asked for this: our product team is studying it now.",
        "This idea reached the campaign's threshold. We review it this month.",
    ),
    IdeaStatus.SHORTLISTED: (
        "On the shortlist for next season's range. Thank you for the details!",
        "Our designers picked it for a first sketch.",
    ),
    IdeaStatus.IN_RND: (
        "Our lab builds the first prototypes; testers will be needed soon.",
    ),
    IdeaStatus.SHIPPED: ("It is in stores now. Thank you to everyone who helped!",),
    IdeaStatus.DECLINED: (
        "We looked closely, but we cannot make it at a fair price. Thank you!",
        "A similar product already exists in our range; we link it below.",
    ),
}
ANSWERS = (
    "Thank you for this idea! Our product team read it and likes the direction. "
    "Could you tell us when you would use it most?",
    "Great suggestion. We are checking what it would cost to build; we will post "
    "news here.",
    "We have tested something close in the past. What would make yours different?",
)
REASONS = (
    ("Spam or advertising", "Your contribution advertised a product or a site. "
     "Cocreate is for ideas: please share yours without links to shops."),
    ("Off-topic", "Your contribution is not about our products. Please keep the "
     "discussion on ideas for the brand."),
    ("Personal data", "Your contribution showed personal data (an address, a phone "
     "number). We hid it to protect you and others."),
    ("Disrespectful", "Your contribution was disrespectful to other members. "
     "Please read our community charter."),
)  # fmt: skip
#: How official answers are signed (``ideas.permissions.official_role``): stored
#: untranslated, in every demo, and translated for each reader.
ROLES = {"product": "Product team", "moderator": "Community manager"}
#: What the reporters wrote, by reason.
REPORTS = {"spam": "An ad.", "off_topic": "Off-topic.", "offensive": "Rude."}
NEWCOMER_COMMENT = "First time here! Would this come in other sizes?"
WARNING = "Please keep comments about the idea, not about other members."
#: The demo member's notifications: (kind, title with {title}, body).
NOTICES = (
    ("official_answer", "Official answer on “{title}”", None),
    (
        "reply",
        "Amélie replied to your comment on “{title}”",
        "Good point, I had not thought of the weight.",
    ),
    (
        "moderation",
        "Your idea “{title}” is published",
        "A moderator approved it: everybody can see and support it now.",
    ),
)


def seed_brand_team(
    *,
    accounts: dict[str, User],
    now: datetime.datetime,
    seed: int,
    language: str = "en",
):
    """Everything the brand team's screens show, in ``language``; skipped once
    reasons exist."""
    if ModerationReason.objects.exists():
        return "Brand team content was seeded before; none added."
    rng = random.Random(f"{seed}:brand-team")
    moderator = User.objects.get(email="moderator@example.com")
    product = User.objects.get(email="product@example.com")
    demo_member = accounts["member@example.com"]
    reasons = in_language(language, "REASONS", REASONS)
    ModerationReason.objects.bulk_create(
        [
            ModerationReason(
                title=title, message=text, title_fr=title_fr, message_fr=text_fr
            )
            for (title, text), (title_fr, text_fr) in zip(
                reasons,
                french_columns(language, "REASONS", REASONS),
                strict=True,
            )
        ]
    )
    timelines = _timelines(product, now, rng, language)
    answers = _official_answers(product, moderator, now, rng, language)
    queue = _queue(moderator, demo_member, now, rng, language)
    _notify_demo_member(demo_member, language)
    return (
        f"Brand team: {timelines} status changes, {answers} official answers, "
        f"{queue} items in the moderation queue."
    )


def _timelines(
    product: User, now: datetime.datetime, rng: random.Random, language: str
) -> int:
    notes = in_language(language, "NOTES", NOTES)
    changes = []
    for idea in Idea.objects.filter(
        status__in=[*LIFECYCLE, IdeaStatus.DECLINED]
    ).select_related("campaign"):
        steps = (
            [IdeaStatus.UNDER_REVIEW, IdeaStatus.DECLINED]
            if idea.status == IdeaStatus.DECLINED
            else list(LIFECYCLE[: LIFECYCLE.index(idea.status) + 1])
        )
        span = (now - idea.created_at) / (len(steps) + 1)
        old = IdeaStatus.PUBLISHED
        for number, status in enumerate(steps, start=1):
            note = rng.choice(notes[status])
            by_threshold = (
                status == IdeaStatus.UNDER_REVIEW
                and idea.campaign
                and idea.campaign.support_threshold
            )
            changes.append(
                StatusChange(
                    idea=idea,
                    old_status=old,
                    new_status=status,
                    actor=None if by_threshold else product,
                    note=note,
                    note_html=render_markdown(note),
                    created_at=idea.created_at + span * number,
                )
            )
            old = status
        Idea.objects.filter(pk=idea.pk).update(status_changed_at=changes[-1].created_at)
    StatusChange.objects.bulk_create(changes)
    return len(changes)


def _official_answers(
    product: User,
    moderator: User,
    now: datetime.datetime,
    rng: random.Random,
    language: str,
) -> int:
    roles = ROLES
    texts = in_language(language, "ANSWERS", ANSWERS)
    answered = list(
        Idea.objects.filter(status__in=[*LIFECYCLE, IdeaStatus.DECLINED])
    ) + list(
        Idea.objects.filter(status=IdeaStatus.PUBLISHED).order_by("-supports_count")[:8]
    )
    comments = []
    for idea in answered:
        author, role = rng.choice(
            [(product, roles["product"]), (moderator, roles["moderator"])]
        )
        body = rng.choice(texts)
        when = idea.created_at + (now - idea.created_at) * rng.uniform(0.05, 0.4)
        comments.append(
            Comment(
                idea=idea,
                author=author,
                body=body,
                body_html=render_markdown(body),
                is_official=True,
                official_role=role,
                created_at=when,
            )
        )
        Idea.objects.filter(pk=idea.pk).update(
            first_answered_at=when, comments_count=F("comments_count") + 1
        )
    Comment.objects.bulk_create(comments)
    return len(comments)


def _queue(
    moderator: User,
    demo_member: User,
    now: datetime.datetime,
    rng: random.Random,
    language: str,
) -> int:
    reports = in_language(language, "REPORTS", REPORTS)
    members = list(
        User.objects.filter(is_staff=False, is_active=True)
        .exclude(pk=demo_member.pk)
        .order_by("pk")[:12]
    )
    public = list(
        Idea.objects.filter(status=IdeaStatus.PUBLISHED)
        .exclude(author=demo_member)
        .order_by("created_at")
    )
    if len(members) < 6 or len(public) < 6:
        return 0
    # One idea reported by three members: hidden until a moderator reviews it.
    spam = public[0]
    for reporter in [m for m in members if m.pk != spam.author_id][:3]:
        moderation.report(
            reporter=reporter, idea=spam, reason="spam", text=reports["spam"]
        )
    # Two ideas and a comment reported once each.
    if members[3].pk != public[1].author_id:
        moderation.report(
            reporter=members[3],
            idea=public[1],
            reason="duplicate",
            duplicate_of=public[2],
        )
    if members[4].pk != public[3].author_id:
        moderation.report(
            reporter=members[4],
            idea=public[3],
            reason="off_topic",
            text=reports["off_topic"],
        )
    comment = (
        Comment.objects.filter(is_official=False, idea__status=IdeaStatus.PUBLISHED)
        .exclude(author=members[5])
        .order_by("created_at")
        .first()
    )
    if comment is not None:
        moderation.report(
            reporter=members[5],
            comment=comment,
            reason="offensive",
            text=reports["offensive"],
        )
    # A new member's first comment waits for approval.
    newcomer = members[-1]
    body = in_language(language, "NEWCOMER_COMMENT", NEWCOMER_COMMENT)
    Comment.objects.create(
        idea=public[4],
        author=newcomer,
        body=body,
        body_html=render_markdown(body),
        moderation="pending",
        created_at=now - datetime.timedelta(hours=5),
    )
    # Two near-identical ideas merged, and a warning on record.
    merging.merge(actor=moderator, source=public[5], target=public[2])
    if not Sanction.objects.exists():
        sanction(
            actor=moderator,
            member=members[6],
            kind="warning",
            reason=in_language(language, "WARNING", WARNING),
        )
    pending = Idea.objects.filter(status=IdeaStatus.PENDING).count()
    return pending + Report.objects.filter(resolved_at__isnull=True).count() + 1


def _notify_demo_member(demo_member: User, language: str) -> None:
    idea = (
        Idea.objects.filter(author=demo_member)
        .exclude(status=IdeaStatus.PENDING)
        .first()
    )
    if idea is None:
        return
    url = idea.get_absolute_url()
    answer = in_language(language, "ANSWERS", ANSWERS)[0]
    for kind, title, body in in_language(language, "NOTICES", NOTICES):
        notifications.notify(
            [demo_member.pk],
            notifications.Message(
                kind, title.format(title=idea.title), body or answer, url
            ),
        )
