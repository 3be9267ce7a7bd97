"""Moderation: reports, the queue's actions (approve, hide, restore, lock) and
what waits for a moderator before anyone else sees it.

Every action is a service: it checks the moderator's permission, changes the
content under a row lock, fires its domain event (rewards reverse or pay back,
notifications tell the author) and writes Wagtail's audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar, cast

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from cocreate import ratelimit
from cocreate.i18n import in_site_language, language_of
from cocreate.members.sanctions import refusal
from ideas import events, permissions, workflow
from ideas.errors import AlreadyDone, InvalidInput, NotAllowed, RateLimited
from ideas.lifecycle import Action
from ideas.models import (
    Comment,
    Idea,
    IdeaStatus,
    ModerationReason,
    ModerationSettings,
    Report,
    ReportReason,
)
from ideas.moderation import standing

if TYPE_CHECKING:
    from cocreate.members.types import User

# Reports ---------------------------------------------------------------------


@transaction.atomic
def report(
    *,
    reporter: User,
    idea: Idea | None = None,
    comment: Comment | None = None,
    reason: str,
    text: str = "",
    duplicate_of: Idea | None = None,
) -> Report:
    """Flag content once; it goes to the moderation queue, and is hidden until a
    moderator looks when its open reports weigh enough (``standing``): reports of
    new, unverified or related accounts bring it to the queue but hide nothing."""
    if not permissions.participates(reporter):
        raise NotAllowed(refusal(reporter) or _("Please log in to report content."))
    if (idea is None) == (comment is None):
        raise InvalidInput(_("Report one idea or one comment."))
    if reason not in ReportReason.values:
        raise InvalidInput(_("Please choose why you report this."))
    # Exactly one of the two, checked above.
    target_author = cast("Idea | Comment", comment or idea).author_id
    if target_author == reporter.pk:
        raise InvalidInput(_("You cannot report your own contribution."))
    if reason == ReportReason.DUPLICATE:
        if duplicate_of is None:
            raise InvalidInput(_("Please link the idea this one duplicates."))
        if idea is not None and duplicate_of.pk == idea.pk:
            raise InvalidInput(_("An idea cannot duplicate itself."))
    else:
        duplicate_of = None
    if not ratelimit.hit("report", str(reporter.pk)):
        raise RateLimited(_("You have sent many reports; please wait a little."))
    try:
        with transaction.atomic():
            created = Report.objects.create(
                idea=idea,
                comment=comment,
                reporter=reporter,
                reason=reason,
                text=text.strip()[:1000],
                duplicate_of=duplicate_of,
            )
    except IntegrityError as exc:
        raise AlreadyDone(_("You have already reported this.")) from exc
    reporters = list(
        Report.objects.filter(
            Q(comment=comment) if comment else Q(idea=idea), resolved_at__isnull=True
        ).values_list("reporter_id", flat=True)
    )
    config = ModerationSettings.load()
    weight = standing.summed_weight(
        standing.standings(reporters),
        at=timezone.now(),
        min_account_days=config.report_min_account_days,
        related_minutes=config.report_related_minutes,
    )
    if weight >= config.report_threshold:
        _hide_for_review(comment or idea, len(reporters))
    return created


@in_site_language()
def _hide_for_review(content: Idea | Comment, count: int) -> None:
    reason = (
        ngettext(
            "Hidden after %d report until a moderator reviews it.",
            "Hidden after %d reports until a moderator reviews it.",
            count,
        )
        % count
    )
    if isinstance(content, Comment):
        comment = Comment.objects.select_for_update().get(pk=content.pk)
        if comment.moderation == "visible" and not comment.is_removed:
            _hide_comment(comment, actor=None, reason=reason, provisional=True)
    else:
        idea = Idea.objects.select_for_update().get(pk=content.pk)
        if idea.is_public:
            _hide_idea(
                idea,
                action=Action.HIDE_AFTER_REPORTS,
                actor=None,
                reason=reason,
                provisional=True,
            )


def _resolve_reports(content: Idea | Comment, actor: User, resolution: str) -> int:
    field = "comment" if isinstance(content, Comment) else "idea"
    return Report.objects.filter(**{field: content}, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor, resolution=resolution
    )


# Queue actions ---------------------------------------------------------------


def _check(actor: User) -> None:
    if not permissions.can_moderate(actor):
        raise NotAllowed(_("Only moderators can do this."))


_Content = TypeVar("_Content", Idea, Comment)


def _locked(content: _Content) -> _Content:
    return type(content).objects.select_for_update().get(pk=content.pk)


def _hide_idea(
    idea: Idea,
    *,
    action: Action,
    actor: User | None,
    reason: str,
    provisional: bool = False,
) -> None:
    Idea.objects.filter(pk=idea.pk).update(hidden_reason=reason)
    idea.hidden_reason = reason
    workflow.record(
        idea,
        new_status=IdeaStatus.HIDDEN,
        action=action,
        actor=actor,
        note=reason,
    )
    events.content_removed.send(
        sender=Idea, content=idea, actor=actor, reason=reason, provisional=provisional
    )


def _hide_comment(
    comment: Comment, *, actor: User | None, reason: str, provisional: bool = False
) -> None:
    was_counted = comment.moderation == "visible" and not comment.is_removed
    comment.moderation = "hidden"
    comment.hidden_reason = reason
    comment.save(update_fields=["moderation", "hidden_reason"])
    if was_counted:
        Idea.objects.filter(pk=comment.idea_id).update(
            comments_count=F("comments_count") - 1
        )
    events.content_removed.send(
        sender=Comment,
        content=comment,
        actor=actor,
        reason=reason,
        provisional=provisional,
    )


def _awaits_review(content: Idea | Comment) -> bool:
    """Hidden by reports and not yet looked at: a moderator's hide or restore
    closes the reports, so hidden content with open reports was hidden by them."""
    field = "comment" if isinstance(content, Comment) else "idea"
    return Report.objects.filter(**{field: content}, resolved_at__isnull=True).exists()


def _confirm_hiding(content: Idea | Comment, *, actor: User, reason: str) -> None:
    """A moderator upholds what reports hid: the content stays hidden, now with the
    moderator's reason, and the removal is final (rewards take back its points)."""
    type(content).objects.filter(pk=content.pk).update(hidden_reason=reason)
    content.hidden_reason = reason
    events.content_removed.send(
        sender=type(content),
        content=content,
        actor=actor,
        reason=reason,
        provisional=False,
    )


def _reason_text(
    reason: str, template: ModerationReason | None, content: Idea | Comment
) -> str:
    """The moderator's words, else the reason's message in the author's language
    (it is stored for them and sent to them)."""
    language = language_of(content.author)
    text = (reason or "").strip() or (
        template.in_language(language).message if template else ""
    )
    if not text:
        raise InvalidInput(_("Please give a reason: the author will read it."))
    return text


@transaction.atomic
def hide(
    *,
    actor: User,
    content: Idea | Comment,
    reason: str = "",
    template: ModerationReason | None = None,
) -> Idea | Comment:
    """Remove from public view with a reason sent to the author; can be undone.

    On content that reports hid for review, this is the moderator's confirmation:
    it stays hidden and only now does the removal take back its points.
    """
    _check(actor)
    text = _reason_text(reason, template, content)
    content = _locked(content)
    if isinstance(content, Comment):
        if content.is_removed or (content.is_hidden and not _awaits_review(content)):
            raise AlreadyDone(_("This comment is not visible already."))
        if content.is_hidden:
            _confirm_hiding(content, actor=actor, reason=text)
        else:
            _hide_comment(content, actor=actor, reason=text)
    elif content.status == IdeaStatus.HIDDEN:
        if not _awaits_review(content):
            raise AlreadyDone(_("This idea is hidden already."))
        _confirm_hiding(content, actor=actor, reason=text)
    else:
        _hide_idea(content, action=Action.HIDE, actor=actor, reason=text)
    _resolve_reports(content, actor, "hidden")
    log(
        instance=content,
        action="cocreate.moderation.hide",
        user=actor,
        data={"reason": text},
    )
    return content


def _status_before_hiding(idea: Idea) -> str:
    change = (
        idea.status_changes.filter(new_status=IdeaStatus.HIDDEN)
        .order_by("-created_at", "-id")
        .first()
    )
    previous = change.old_status if change else IdeaStatus.PUBLISHED
    return previous if previous != IdeaStatus.PENDING else IdeaStatus.PUBLISHED


@in_site_language()
def _restored_note() -> str:
    return _("Restored by a moderator.")


@transaction.atomic
def restore(*, actor: User, content: Idea | Comment) -> Idea | Comment:
    """Put hidden content back where it was; what it earned is paid back."""
    _check(actor)
    content = _locked(content)
    if isinstance(content, Comment):
        if not content.is_hidden:
            raise AlreadyDone(_("This comment is not hidden."))
        content.moderation = "visible"
        content.hidden_reason = ""
        content.save(update_fields=["moderation", "hidden_reason"])
        if not content.is_removed:
            Idea.objects.filter(pk=content.idea_id).update(
                comments_count=F("comments_count") + 1
            )
        sender = Comment
    else:
        if content.status != IdeaStatus.HIDDEN:
            raise AlreadyDone(_("This idea is not hidden."))
        Idea.objects.filter(pk=content.pk).update(hidden_reason="")
        content.hidden_reason = ""
        workflow.record(
            content,
            new_status=_status_before_hiding(content),
            action=Action.RESTORE,
            actor=actor,
            note=_restored_note(),
        )
        sender = Idea
    _resolve_reports(content, actor, "restored")
    events.content_restored.send(sender=sender, content=content, actor=actor)
    log(instance=content, action="cocreate.moderation.restore", user=actor)
    return content


@transaction.atomic
def approve(*, actor: User, content: Idea | Comment) -> Idea | Comment:
    """Publish what waited in the queue, or keep reported content and close its
    reports (a report-hidden item comes back)."""
    _check(actor)
    content = _locked(content)
    hidden = (
        content.is_hidden
        if isinstance(content, Comment)
        else (content.status == IdeaStatus.HIDDEN)
    )
    if hidden:
        return restore(actor=actor, content=content)
    if isinstance(content, Comment) and content.is_pending:
        content.moderation = "visible"
        content.save(update_fields=["moderation"])
        Idea.objects.filter(pk=content.idea_id).update(
            comments_count=F("comments_count") + 1
        )
        events.comment_posted.send(
            sender=Comment, comment=content, idea=content.idea, member=content.author
        )
    elif isinstance(content, Idea) and content.status == IdeaStatus.PENDING:
        workflow.record(
            content,
            new_status=IdeaStatus.PUBLISHED,
            action=Action.APPROVE,
            actor=actor,
            note="",
        )
        events.idea_published.send(sender=Idea, idea=content, member=content.author)
    elif not _resolve_reports(content, actor, "kept"):
        raise AlreadyDone(_("Nothing waits for approval here."))
    else:  # reported content that stays: its reports are closed above
        log(instance=content, action="cocreate.moderation.approve", user=actor)
        return content
    _resolve_reports(content, actor, "kept")
    log(instance=content, action="cocreate.moderation.approve", user=actor)
    return content


@transaction.atomic
def lock_comments(*, actor: User, idea: Idea, locked: bool) -> Idea:
    """Close (or reopen) the discussion of a heated idea; official answers go on."""
    _check(actor)
    idea = _locked(idea)
    if idea.comments_locked == locked:
        raise AlreadyDone(
            _("Comments are locked already.")
            if locked
            else _("Comments are open already.")
        )
    idea.comments_locked = locked
    idea.save(update_fields=["comments_locked"])
    log(
        instance=idea,
        action="cocreate.moderation.lock" if locked else "cocreate.moderation.unlock",
        user=actor,
    )
    return idea


def bulk(
    action: Callable[..., object],
    *,
    actor: User,
    items: Iterable[Idea | Comment],
    **kwargs: object,
) -> int:
    """Apply one queue action to many items, each in its own transaction, so one
    item already handled by a colleague does not undo the others."""
    done = 0
    for item in items:
        try:
            action(actor=actor, content=item, **kwargs)
        except AlreadyDone:
            continue
        done += 1
    return done
