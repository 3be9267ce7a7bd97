"""Who hears about what: receivers of the domain events that notify members.

Each message is written in every language of the site (``services.localized``),
so each recipient's copy is stored in their own language.

Small audiences (a reply's author, a mention) are notified in the transaction;
an idea's whole audience (author, supporters, followers) is reached by a task
queued after commit, so the moderator's request does not wait for it.

Of ``ideas`` this module knows only ``ideas.events`` (what the events carry, and
the related managers of those instances) and ``ideas.statuses``.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cocreate.i18n import in_site_language
from cocreate.members import events as member_events
from cocreate.notifications import audiences, services, tasks
from cocreate.notifications.models import Kind
from cocreate.notifications.services import Message
from ideas import events
from ideas.statuses import IdeaStatus

MENTION = re.compile(r"@([^\s@][^@\n]{0,59})")
MAX_MENTIONS = 10


def _to_audience(idea, message: Message, *, key: str, exclude: list[int]) -> None:
    transaction.on_commit(
        lambda: tasks.notify_idea_audience.enqueue(
            idea.pk,
            message.kind,
            message.title,
            message.body,
            message.url,
            exclude,
            key,
            _translations(message),
        )
    )


def _translations(message: Message) -> dict[str, list[str]]:
    """``Message.translations`` as a task's JSON arguments carry it."""
    return {code: list(text) for code, text in message.translations.items()}


def _status_key(idea, new_status: str, status_change) -> str:
    """The status move's key: its ``StatusChange`` when the event passes it (the
    workflow does), else the idea's time of the move."""
    if status_change is not None:
        return f"status:{status_change.pk}"
    moved_at = idea.status_changed_at.timestamp() if idea.status_changed_at else 0
    return f"status:{idea.pk}:{new_status}:{moved_at}"


@in_site_language()
def on_status_changed(sender, idea, old_status, new_status, actor, note, **kwargs):
    key = _status_key(idea, new_status, kwargs.get("status_change"))
    if IdeaStatus.HIDDEN in (old_status, new_status):
        return  # removal and restoration are told to the author with their reason
    if new_status == IdeaStatus.REMOVED:
        return  # its author erased their account: nobody is left to tell
    if new_status == IdeaStatus.DUPLICATE:
        return  # told by on_ideas_merged, with where the discussion goes on
    if old_status == IdeaStatus.PENDING and new_status == IdeaStatus.PUBLISHED:
        services.notify(
            [idea.author_id],
            services.localized(
                lambda: Message(
                    Kind.MODERATION,
                    _("Your idea “%s” is published") % idea.title,
                    _("A moderator approved it: everybody can see and support it now."),
                    idea.get_absolute_url(),
                )
            ),
            key=key.replace("status:", "published:", 1),
        )
        return
    _to_audience(
        idea,
        services.localized(
            lambda: Message(
                Kind.STATUS_CHANGED,
                _("“%(title)s” is now: %(status)s")
                % {"title": idea.title, "status": idea.get_status_display()},
                note,
                idea.get_absolute_url(),
            )
        ),
        key=key,
        exclude=[actor.pk] if actor else [],
    )
    if new_status == IdeaStatus.UNDER_REVIEW and actor is None:
        _alert_brand_team(idea, key=key.replace("status:", "threshold:", 1))


def _alert_brand_team(idea, *, key: str) -> None:
    services.notify(
        audiences.brand_team(),
        services.localized(
            lambda: Message(
                Kind.BRAND_TEAM,
                _("“%s” reached its campaign's support threshold") % idea.title,
                _("It waits for the brand team's review."),
                idea.get_absolute_url(),
            )
        ),
        key=key,
    )


@in_site_language()
def on_ideas_merged(sender, source, target, actor, merge, **kwargs):
    """The duplicate's author, supporters and followers hear where the discussion
    goes on: its status notice would miss those whose support or follow moved."""
    moved_supports = target.supports.filter(pk__in=merge.moved_support_ids)
    moved_follows = target.follows.filter(pk__in=merge.moved_follow_ids)
    audience = {source.author_id}
    for rows in (source.supports, source.follows, moved_supports, moved_follows):
        audience.update(rows.values_list("member_id", flat=True))
    audience.discard(actor.pk if actor else None)
    audience_ids = audiences.who_may_see(target.pk, sorted(audience))
    message = services.localized(
        lambda: Message(
            Kind.STATUS_CHANGED,
            _("“%(duplicate)s” was merged into “%(idea)s”")
            % {"duplicate": source.title, "idea": target.title},
            _("The discussion goes on there; supports and follows moved with it."),
            target.get_absolute_url(),
        )
    )
    _to_members(audience_ids, message, key=f"merge:{merge.pk}")


def _to_members(member_ids: list[int], message: Message, *, key: str) -> None:
    transaction.on_commit(
        lambda: tasks.notify_members.enqueue(
            member_ids,
            message.kind,
            message.title,
            message.body,
            message.url,
            key,
            _translations(message),
        )
    )


@in_site_language()
def on_comment_posted(sender, comment, idea, member, **kwargs):
    if comment.is_official:
        _to_audience(
            idea,
            services.localized(
                lambda: Message(
                    Kind.OFFICIAL_ANSWER,
                    _("Official answer on “%s”") % idea.title,
                    comment.body[:500],
                    comment.get_absolute_url(),
                )
            ),
            key=f"comment:{comment.pk}",
            exclude=[member.pk],
        )
        return
    told = {member.pk}
    if (
        comment.parent_id
        and comment.parent.author_id not in told
        and audiences.who_may_see(idea.pk, [comment.parent.author_id])
    ):
        services.notify(
            [comment.parent.author_id],
            services.localized(
                lambda: Message(
                    Kind.REPLY,
                    _("%(name)s replied to your comment on “%(title)s”")
                    % {"name": member.public_name, "title": idea.title},
                    comment.body[:500],
                    comment.get_absolute_url(),
                )
            ),
            key=f"reply:{comment.pk}",
        )
        told.add(comment.parent.author_id)
    mentioned = audiences.who_may_see(
        idea.pk, [pk for pk in mentioned_members(comment.body) if pk not in told]
    )
    if mentioned:
        services.notify(
            mentioned,
            services.localized(
                lambda: Message(
                    Kind.MENTION,
                    _("%(name)s mentioned you on “%(title)s”")
                    % {"name": member.public_name, "title": idea.title},
                    comment.body[:500],
                    comment.get_absolute_url(),
                )
            ),
            key=f"mention:{comment.pk}",
        )


def _is_idea(content) -> bool:
    """An idea rather than a comment (told apart without importing ideas' models)."""
    return content._meta.label == "ideas.Idea"


def mentioned_members(text: str) -> list[int]:
    """Members whose display name follows an ``@`` (names may have spaces)."""
    candidates = set()
    for match in MENTION.finditer(text):
        words = match.group(1).split()
        for end in range(1, min(len(words), 4) + 1):
            candidates.add(" ".join(words[:end]).rstrip(".,;:!?)").lower())
    if not candidates:
        return []
    query = Q()
    for name in list(candidates)[: MAX_MENTIONS * 4]:
        query |= Q(display_name__iexact=name)
    return list(
        get_user_model()
        .objects.filter(query, is_active=True)
        .values_list("pk", flat=True)[:MAX_MENTIONS]
    )


def _is_idea(content) -> bool:
    """An idea or a comment, as ``content_removed`` and ``content_restored`` say."""
    return content._meta.model_name == "idea"


@in_site_language()
def on_content_removed(sender, content, actor, reason, **kwargs):
    if actor is not None and actor.pk == content.author_id:
        return  # the author deleted their own comment

    def message() -> Message:
        what = (
            _("Your idea “%s” was hidden") % content.title
            if _is_idea(content)
            else _("Your comment on “%s” was hidden") % content.idea.title
        )
        return Message(Kind.MODERATION, what, reason, content.get_absolute_url())

    services.notify([content.author_id], services.localized(message))


@in_site_language()
def on_content_restored(sender, content, actor, **kwargs):

    def message() -> Message:
        what = (
            _("Your idea “%s” is visible again") % content.title
            if _is_idea(content)
            else _("Your comment on “%s” is visible again") % content.idea.title
        )
        return Message(
            Kind.MODERATION,
            what,
            _("A moderator restored it."),
            content.get_absolute_url(),
        )

    services.notify([content.author_id], services.localized(message))


@in_site_language()
def on_sanctioned(sender, sanction, **kwargs):
    from django.utils import formats, timezone

    def message() -> Message:
        if sanction.kind == "suspension":
            title = _("Your account is suspended until %s") % formats.date_format(
                timezone.localtime(sanction.until), "DATETIME_FORMAT"
            )
        elif sanction.kind == "ban":
            title = _("Your account is closed")
        else:
            title = _("A moderator sent you a warning")
        return Message(Kind.SANCTION, title, sanction.reason, "")

    services.notify([sanction.member_id], services.localized(message))


def connect_receivers() -> None:
    pairs = [
        (events.idea_status_changed, on_status_changed),
        (events.comment_posted, on_comment_posted),
        (events.content_removed, on_content_removed),
        (events.content_restored, on_content_restored),
        (events.ideas_merged, on_ideas_merged),
        (member_events.member_sanctioned, on_sanctioned),
    ]
    for signal, receiver in pairs:
        signal.connect(receiver, dispatch_uid=f"notifications.{receiver.__name__}")
