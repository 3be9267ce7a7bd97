"""Merging duplicates: idea B merged into A becomes a duplicate that points to A;
its supports and followers move to A without counting anyone twice; its comments
stay readable on B. A moderator can undo the merge, putting back exactly what moved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cocreate.i18n import in_site_language
from ideas import events, lifecycle, permissions, workflow
from ideas.counters import recount_idea
from ideas.errors import InvalidInput, NotAllowed
from ideas.lifecycle import Action
from ideas.models import Follow, Idea, IdeaStatus, Merge, Support, access
from ideas.statuses import status_in_sentence

if TYPE_CHECKING:
    from cocreate.members.types import User

#: Statuses an idea can be merged from (and an undone merge puts it back in).
MERGEABLE = lifecycle.sources(Action.MERGE)


def _lock_pair(first: Idea, second: Idea) -> tuple[Idea, Idea]:
    """Lock both ideas in id order, so two merges never wait on each other."""
    locked = {
        idea.pk: idea
        for idea in Idea.objects.select_for_update()
        .filter(pk__in=[first.pk, second.pk])
        .order_by("pk")
    }
    return locked[first.pk], locked[second.pk]


# The timeline notes do not name the other idea: its campaign may be (or later
# become) closed to some who read the duplicate. The duplicate's page names and
# links it to those who may see it.
@in_site_language()
def _merge_note(target: Idea) -> str:
    return _("Merged into another idea, where the discussion goes on.")


@in_site_language()
def _undo_note(target: Idea) -> str:
    return _("The merge into another idea was undone.")


@transaction.atomic
def merge(*, actor: User, source: Idea, target: Idea, note: str = "") -> Merge:
    """Merge ``source`` into ``target`` as a duplicate."""
    if not permissions.can_moderate(actor):
        raise NotAllowed(_("Only moderators can merge ideas."))
    if source.pk == target.pk:
        raise InvalidInput(_("An idea cannot be merged into itself."))
    source, target = _lock_pair(source, target)
    if source.status not in MERGEABLE:
        raise InvalidInput(_("This idea is already merged into another."))
    if not target.is_public or target.status == IdeaStatus.DUPLICATE:
        raise InvalidInput(
            _("Merge into a published idea, not one that is %s.")
            % status_in_sentence(target.status)
        )
    # Across privacy settings a merge would show one side's supports in the
    # other's counts, and a duplicate's title and link to who may not see it.
    if not access.same_audience(source.campaign_id, target.campaign_id):
        raise InvalidInput(
            _(
                "These ideas are seen by different people (one of their campaigns "
                "is private): merge only ideas that the same members may see."
            )
        )
    # Members who already support A, and A's author, keep their support on B only.
    keep_on_source = set(
        Support.objects.filter(idea=target).values_list("member_id", flat=True)
    ) | {target.author_id}
    moving_supports = list(
        Support.objects.filter(idea=source)
        .exclude(member_id__in=keep_on_source)
        .values_list("pk", flat=True)
    )
    following_target = set(
        Follow.objects.filter(idea=target).values_list("member_id", flat=True)
    )
    moving_follows = list(
        Follow.objects.filter(idea=source)
        .exclude(member_id__in=following_target)
        .values_list("pk", flat=True)
    )
    Support.objects.filter(pk__in=moving_supports).update(idea=target)
    Follow.objects.filter(pk__in=moving_follows).update(idea=target)
    record = Merge.objects.create(
        source=source,
        target=target,
        source_status=source.status,
        moved_support_ids=moving_supports,
        moved_follow_ids=moving_follows,
        actor=actor,
    )
    Idea.objects.filter(pk=source.pk).update(merged_into=target)
    source.merged_into = target
    recount_idea(source)
    recount_idea(target)
    workflow.record(
        source,
        new_status=IdeaStatus.DUPLICATE,
        action=Action.MERGE,
        actor=actor,
        note=(note or "").strip() or _merge_note(target),
    )
    events.ideas_merged.send(
        sender=Idea, source=source, target=target, actor=actor, merge=record
    )
    log(
        instance=source,
        action="cocreate.moderation.merge",
        user=actor,
        data={"target": target.pk, "supports": len(moving_supports)},
    )
    return record


@transaction.atomic
def undo_merge(*, actor: User, merge_record: Merge) -> Merge:
    """Put the moved supports and followers back and the duplicate where it was."""
    if not permissions.can_moderate(actor):
        raise NotAllowed(_("Only moderators can undo a merge."))
    record = Merge.objects.select_for_update().get(pk=merge_record.pk)
    if record.undone_at is not None:
        raise InvalidInput(_("This merge was already undone."))
    source, target = _lock_pair(record.source, record.target)
    # A member who meanwhile supports B again (impossible while it is a duplicate)
    # or withdrew on A simply is not moved: only rows still on A go back.
    Support.objects.filter(pk__in=record.moved_support_ids, idea=target).update(
        idea=source
    )
    Follow.objects.filter(pk__in=record.moved_follow_ids, idea=target).exclude(
        member_id__in=Follow.objects.filter(idea=source).values("member_id")
    ).update(idea=source)
    Idea.objects.filter(pk=source.pk).update(merged_into=None)
    source.merged_into = None
    recount_idea(source)
    recount_idea(target)
    workflow.record(
        source,
        new_status=record.source_status,
        action=Action.UNDO_MERGE,
        actor=actor,
        note=_undo_note(target),
    )
    record.undone_at = timezone.now()
    record.undone_by = actor
    record.save(update_fields=["undone_at", "undone_by"])
    log(instance=source, action="cocreate.moderation.unmerge", user=actor)
    return record
