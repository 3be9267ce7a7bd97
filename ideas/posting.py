"""Posting and editing ideas."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cocreate import ratelimit
from cocreate.i18n import supported, written_in
from cocreate.images import (
    FileNotStored,
    ImageRejected,
    delete_on_commit,
    files_removed_on_rollback,
    process_image,
    save_file,
)
from cocreate.markup import render_markdown
from cocreate.members.consents import require_current_terms
from cocreate.members.sanctions import refusal
from cocreate.text import single_line
from ideas import events, permissions, screening
from ideas.errors import InvalidInput, NotAllowed, RateLimited, StorageFailed
from ideas.models import (
    CampaignPage,
    Category,
    Follow,
    Idea,
    IdeaImage,
    IdeaRevision,
    IdeaStatus,
)
from ideas.ranking import hot_score

if TYPE_CHECKING:
    from cocreate.members.types import User


def _check_campaign(campaign: CampaignPage | None, category: Category | None) -> None:
    if campaign is None:
        return
    if not campaign.live or not campaign.is_open():
        raise InvalidInput(
            _("The campaign “%s” is not open for ideas.") % campaign.title
        )
    if category is not None:
        allowed = set(campaign.categories.values_list("pk", flat=True))
        if allowed and category.pk not in allowed:
            raise InvalidInput(
                _("The category “%(category)s” is not part of “%(campaign)s”.")
                % {"category": category.i18n.name, "campaign": campaign.title}
            )


def _snapshot(idea: Idea, editor: User) -> IdeaRevision:
    return IdeaRevision.objects.create(
        idea=idea,
        editor=editor,
        title=idea.title,
        description=idea.description,
        category_name=idea.category.name if idea.category else "",
        tag_names=sorted(tag.name for tag in idea.tags.all()),
    )


def _add_images(
    idea: Idea, images: Sequence, *, start: int = 0, not_stored: str
) -> None:
    """Check and re-encode every image first, so a refusal writes no file at all;
    the files written are removed again if the caller's transaction fails. A
    storage failure raises ``StorageFailed`` with ``not_stored`` as its sentence."""
    ready = []
    for upload in images:
        try:
            # The stored name is random (``idea_image_path``); this one is a stem.
            ready.append(process_image(upload, name="image"))
        except ImageRejected as exc:
            raise InvalidInput(str(exc)) from exc
    for offset, processed in enumerate(ready):
        image = IdeaImage(idea=idea, position=start + offset)
        try:
            save_file(image.image, processed.full)
            save_file(image.thumbnail, processed.thumbnail)
        except FileNotStored as exc:
            raise StorageFailed(not_stored) from exc
        image.save()


def _remove_images(idea: Idea, image_ids: Sequence[int]) -> None:
    """Remove these images of the idea; their files go once the edit commits."""
    removed = list(idea.images.filter(pk__in=list(image_ids)))
    IdeaImage.objects.filter(pk__in=[image.pk for image in removed]).delete()
    for image in removed:
        delete_on_commit(image.image, image.thumbnail)


def _clean_tags(tags: Sequence[str]) -> list[str]:
    cleaned = []
    for tag in tags:
        name = single_line(tag).lower()[:50]
        if name and name not in cleaned:
            cleaned.append(name)
    if len(cleaned) > 10:
        raise InvalidInput(_("Use at most 10 tags."))
    return cleaned


@files_removed_on_rollback
@transaction.atomic
def create_idea(
    *,
    author: User,
    title: str,
    description: str,
    campaign: CampaignPage | None = None,
    category: Category | None = None,
    tags: Sequence[str] = (),
    images: Sequence = (),
    language: str = "",
) -> Idea:
    """Post an idea; it is published at once unless its campaign pre-moderates.

    The author follows their own idea. Images are re-encoded before storage. The
    idea records the language it is written in (``language``, else the author's
    current one), since ideas are never translated.
    """
    if not permissions.can_post_idea(author):
        raise NotAllowed(refusal(author) or _("Please log in to propose an idea."))
    if not permissions.can_post_idea(author, campaign):
        raise NotAllowed(_("This campaign is open to invited members only."))
    require_current_terms(author)
    title = single_line(title)
    if not title:
        raise InvalidInput(_("Please give your idea a title."))
    if not description.strip():
        raise InvalidInput(_("Please describe your idea."))
    if len(images) > settings.COCREATE_MAX_IMAGES_PER_IDEA:
        raise InvalidInput(
            _("You can add at most %d images.") % settings.COCREATE_MAX_IMAGES_PER_IDEA
        )
    _check_campaign(campaign, category)
    tag_names = _clean_tags(tags)
    if not ratelimit.hit("idea", str(author.pk)):
        raise RateLimited(
            _("You have posted many ideas in a short time; please try again later.")
        )

    waits = (campaign and campaign.premoderate) or screening.needs_review(
        author, title, description
    )
    status = IdeaStatus.PENDING if waits else IdeaStatus.PUBLISHED
    idea = Idea(
        title=title,
        description=description,
        description_html=render_markdown(description),
        author=author,
        campaign=campaign,
        category=category,
        status=status,
        followers_count=1,
        language=written_in(language),
    )
    idea.hot_score = hot_score(0, idea.created_at)
    idea.save()
    if tag_names:
        idea.tags.set(tag_names)
    _add_images(
        idea,
        images,
        not_stored=ngettext(
            "We could not store your picture just now; your idea was not posted. "
            "Please try again in a moment.",
            "We could not store your pictures just now; your idea was not posted. "
            "Please try again in a moment.",
            len(images),
        ),
    )
    Follow.objects.create(idea=idea, member=author)
    _snapshot(idea, author)
    if status == IdeaStatus.PUBLISHED:
        events.idea_published.send(sender=Idea, idea=idea, member=author)
    return idea


@files_removed_on_rollback
@transaction.atomic
def edit_idea(
    *,
    editor: User,
    idea: Idea,
    title: str,
    description: str,
    category: Category | None = None,
    tags: Sequence[str] = (),
    new_images: Sequence = (),
    remove_image_ids: Sequence[int] = (),
    language: str = "",
) -> Idea:
    """Change an idea while its edit window is open; each save adds a revision.
    The idea keeps its language unless ``language`` names another one the site
    offers."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not permissions.can_edit_idea(editor, idea):
        raise NotAllowed(
            _(
                "This idea can no longer be edited: it has supports and is "
                "older than %d minutes."
            )
            % settings.COCREATE_IDEA_EDIT_MINUTES
            if idea.author_id == editor.pk
            else _("Only the author can edit this idea.")
        )
    title = single_line(title)
    if not title:
        raise InvalidInput(_("Please give your idea a title."))
    if not description.strip():
        raise InvalidInput(_("Please describe your idea."))
    _check_campaign_category(idea, category)
    tag_names = _clean_tags(tags)
    kept = idea.images.exclude(pk__in=list(remove_image_ids))
    if kept.count() + len(new_images) > settings.COCREATE_MAX_IMAGES_PER_IDEA:
        raise InvalidInput(
            _("You can add at most %d images.") % settings.COCREATE_MAX_IMAGES_PER_IDEA
        )

    idea.title = title
    idea.description = description
    idea.language = supported(language) or idea.language
    idea.description_html = render_markdown(description)
    idea.category = category
    idea.save(
        update_fields=[
            "title",
            "description",
            "description_html",
            "category",
            "language",
            "updated_at",
        ]
    )
    idea.tags.set(tag_names)
    _remove_images(idea, remove_image_ids)
    last = kept.order_by("-position").values_list("position", flat=True).first()
    _add_images(
        idea,
        new_images,
        start=(last + 1) if last is not None else 0,
        not_stored=ngettext(
            "We could not store your picture just now; your changes were not "
            "saved. Please try again in a moment.",
            "We could not store your pictures just now; your changes were not "
            "saved. Please try again in a moment.",
            len(new_images),
        ),
    )
    _snapshot(idea, editor)
    return idea


def _check_campaign_category(idea: Idea, category: Category | None) -> None:
    campaign = idea.campaign if idea.campaign_id else None
    if campaign is not None and category is not None:
        allowed = set(campaign.categories.values_list("pk", flat=True))
        if allowed and category.pk not in allowed:
            raise InvalidInput(
                _("The category “%(category)s” is not part of “%(campaign)s”.")
                % {"category": category.i18n.name, "campaign": campaign.title}
            )
