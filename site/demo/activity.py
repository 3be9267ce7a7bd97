"""What posting an idea writes besides the idea (pictures, tags, the first revision,
the author's follow), and what the community did with it since: supports, follows,
comments and replies, dated when they happened."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from taggit.models import Tag

from cocreate.demo.bulk import reserve_ids, write_rows
from cocreate.demo.context import Demo, IdeaPlan, in_language, render_markdown
from cocreate.demo.members import writes_in
from cocreate.demo.pictures import draw_picture
from cocreate.images import process_image
from cocreate.members.models import User
from ideas.models import Comment, Follow, IdeaImage, IdeaRevision, Support, TaggedIdea

if TYPE_CHECKING:
    import random


COMMENTS_PER_IDEA = 3
# Past this many ideas, ideas share pictures, so benchmark sets stay quick to build.
UNIQUE_PICTURES = 200
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
ALT_TEXT = "Sketch of the idea: {title}"


def write_pictures(rng: random.Random, plans: list[IdeaPlan]) -> int:
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
                    name=f"idea-{plan.idea_id}-{position}",
                )
                probe = IdeaImage(idea_id=plan.idea_id)
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
            alt_text = in_language(plan.language, "ALT_TEXT", ALT_TEXT)
            rows.append(
                (
                    plan.idea_id,
                    image,
                    thumbnail,
                    width,
                    height,
                    alt_text.format(title=plan.title)[:200],
                    position,
                )
            )
    return write_rows(
        IdeaImage,
        ("idea", "image", "thumbnail", "width", "height", "alt_text", "position"),
        rows,
    )


def write_tags_and_revisions(plans: list[IdeaPlan]) -> None:
    """What posting writes besides the idea: tags, first revision, own follow."""
    tags = {}
    for name in sorted({tag for plan in plans for tag in plan.tags}):
        tags[name], _created = Tag.objects.get_or_create(name=name)
    write_rows(
        TaggedIdea,
        ("content_object", "tag"),
        ((plan.idea_id, tags[name].pk) for plan in plans for name in plan.tags),
    )
    write_rows(
        IdeaRevision,
        (
            "idea",
            "editor",
            "title",
            "description",
            "category_name",
            "tag_names",
            "created_at",
        ),
        (
            (
                plan.idea_id,
                plan.author.pk,
                plan.title,
                plan.description,
                plan.category.name,
                sorted(plan.tags),
                plan.created_at,
            )
            for plan in plans
        ),
    )
    write_rows(
        Follow,
        ("idea", "member", "created_at"),
        ((plan.idea_id, plan.author.pk, plan.created_at) for plan in plans),
    )


def write_supports_and_follows(
    demo: Demo, rng: random.Random, plans: list[IdeaPlan], community: list[User]
) -> tuple[int, int]:
    supports, follows = [], []
    written = followed = 0
    ids = [member.pk for member in community]
    position = {pk: index for index, pk in enumerate(ids)}
    for plan in plans:
        # The community but the author, without copying it for every idea: a
        # sample of positions draws exactly what a sample of that list would.
        skip = position[plan.author.pk]
        candidates = range(len(ids) - 1)
        span = demo.now - plan.created_at
        for index in rng.sample(candidates, plan.supports):
            member_id = ids[index if index < skip else index + 1]
            when = plan.created_at + span * rng.random()
            supports.append((plan.idea_id, member_id, when))
            if rng.random() < 0.25:
                follows.append((plan.idea_id, member_id, when))
        # Written as they are drawn, so a million supports never sit in memory.
        if len(supports) >= ROWS_IN_MEMORY:
            written += _write(Support, supports)
            followed += _write(Follow, follows)
    written += _write(Support, supports)
    followed += _write(Follow, follows)
    return written, followed + len(plans)


#: Rows drawn before they are written, at a brand's scale (seed_demo --supports).
ROWS_IN_MEMORY = 50_000


def _write(model: type[Support] | type[Follow], rows: list[tuple]) -> int:
    count = write_rows(model, ("idea", "member", "created_at"), rows)
    rows.clear()
    return count


def write_comments(
    demo: Demo, rng: random.Random, plans: list[IdeaPlan], community: list[User]
) -> int:
    """Comments where the supports are, and replies, some by the idea's author."""
    if not plans:
        return 0

    def said(member: User, name: str, english: tuple[str, ...]) -> tuple[str, ...]:
        # Each member comments in their own language; every language has as
        # many texts, so the draws are the same.
        return in_language(writes_in(member), name, english)

    html: dict[str, str] = {}
    picks = rng.choices(
        plans,
        weights=[plan.weight**0.7 for plan in plans],
        k=len(plans) * COMMENTS_PER_IDEA,
    )
    # Rows, not instances: (idea, author, parent, body, html, created_at), the
    # parent by its place among the top-level comments, which are written first.
    threads: dict[int, list[int]] = {}
    top_level: list[tuple] = []
    replies: list[tuple] = []
    for plan in picks:
        thread = threads.setdefault(plan.idea_id, [])
        if thread and rng.random() < 0.3:
            parent = rng.choice(thread)
            if rng.random() < 0.4:
                author = plan.author
                body = rng.choice(said(author, "AUTHOR_REPLIES", AUTHOR_REPLIES))
            else:
                author = rng.choice(community)
                body = rng.choice(said(author, "REPLIES", REPLIES))
            since, target = top_level[parent][5], replies
        else:
            author = rng.choice(community)
            body = rng.choice(said(author, "COMMENTS", COMMENTS))
            since, target, parent = plan.created_at, top_level, None
        if body not in html:
            html[body] = render_markdown(body)
        when = since + (demo.now - since) * rng.random()
        if parent is None:
            thread.append(len(top_level))
        target.append((plan.idea_id, author.pk, parent, body, html[body], when))
    first = reserve_ids(Comment, len(top_level) + len(replies))
    reply_ids = first + len(top_level)
    return write_rows(
        Comment,
        ("id", "idea", "author", "parent", "body", "body_html", "created_at"),
        itertools.chain(
            ((first + n, *row) for n, row in enumerate(top_level)),
            (
                (reply_ids + n, idea, author, first + parent, *rest)
                for n, (idea, author, parent, *rest) in enumerate(replies)
            ),
        ),
    )
