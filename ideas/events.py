"""Domain events of the idea domain: declared, documented extension points.

Services send them inside their transaction, after the change is written, so a
receiver that writes (rewards) commits or fails with the change. Receivers that
leave the database (WebSockets, email, webhooks) must defer their work with
``transaction.on_commit``. Every event is sent with ``sender=Idea`` (or
``Comment``) and keyword arguments only.

One event per fact:

- A status move is one fact, told by ``idea_status_changed`` alone. Only
  ``workflow.record`` sends it, once per move, whichever service moves the idea.
- The other events tell facts that are not a status move, and a service that
  moves an idea sends them beside it only for such a fact: a record made with the
  move (``idea_promoted`` and ``idea_shipped``: the promotion; ``ideas_merged``:
  the survivor and what moved to it), or a change an idea shares with comments or
  with posting (``content_removed`` and ``content_restored``, with the reason;
  ``idea_published``, also sent when an idea is posted).
- A receiver draws each consequence from one event only. What follows from the
  status itself (points for a status, the "is now" notice to the audience, the
  ``idea.status_changed`` webhook) comes from ``idea_status_changed``; the other
  events' receivers act on what only they carry and never repeat it (no points
  for R&D on ``idea_promoted``). A status receiver may leave to the other event
  the moves it tells better (hiding, restoring, merging).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.dispatch import Signal
from django.utils.functional import Promise

#: An idea became visible to everybody. Arguments: ``idea``, ``member`` (its author).
idea_published = Signal()

#: A member supported an idea. Arguments: ``idea``, ``support``, ``member``.
idea_supported = Signal()

#: A member withdrew their support. Arguments: ``idea``, ``member``,
#: ``support_id`` (the id of the deleted ``Support``).
support_withdrawn = Signal()

#: A comment or reply was posted and is visible. Arguments: ``comment``, ``idea``,
#: ``member``.
comment_posted = Signal()

#: An idea moved from one status to another. Arguments: ``idea``, ``old_status``,
#: ``new_status``, ``actor`` (who moved it), ``note`` (public, may be empty),
#: ``status_change`` (the ``StatusChange`` of the timeline; its id keys what the
#: move sends, so a retried task never sends it twice).
idea_status_changed = Signal()

#: An idea was promoted into R&D (beside its move to in_rnd). Arguments:
#: ``idea``, ``actor``, ``promotion`` (the ``Promotion``: R&D ticket, owner,
#: target date).
idea_promoted = Signal()

#: An idea in R&D shipped (beside its move to shipped). Arguments: ``idea``,
#: ``actor``, ``promotion`` (with its ``product_url``).
idea_shipped = Signal()

#: A shortlist gained, lost or reordered ideas, or an entry's note changed.
#: Arguments: ``shortlist``, ``actor``, ``action`` (``"added"``, ``"removed"``,
#: ``"noted"`` or ``"reordered"``), ``idea`` (``None`` for a reorder).
shortlist_changed = Signal()

#: An idea or comment was removed from public view (an idea's move to hidden is
#: told by ``idea_status_changed``). Arguments: ``content`` (the
#: ``Idea`` or ``Comment``), ``actor``, ``reason``, ``provisional`` (``True`` when
#: members' reports hid it until a moderator reviews it: nothing is final yet, so
#: no points are taken back; absent or ``False`` for a final removal). A moderator
#: who confirms a report-hidden item sends it again, once, with ``provisional``
#: ``False`` and their reason; one who restores it sends ``content_restored``.
content_removed = Signal()

#: Removed content was put back. Arguments: ``content``, ``actor``.
content_restored = Signal()

#: A duplicate idea was merged into another (its move to duplicate is told by
#: ``idea_status_changed``). Arguments: ``source`` (the duplicate), ``target`` (the
#: idea that survives), ``actor``, ``merge`` (the ``Merge``: the supports and
#: follows that moved to the target, by id).
ideas_merged = Signal()

#: A member's erasure removed their ideas and comments (they chose not to keep
#: them), for apps that quoted them elsewhere (notifications). Arguments:
#: ``member``, ``urls`` (the pages of the removed ideas and comments, as their
#: ``get_absolute_url`` gives them), ``titles`` (the ideas' titles as they were).
#: Sent with ``sender=Idea`` inside the erasure's transaction, once the texts
#: are gone from the ideas and comments.
member_content_erased = Signal()

#: Who may see which campaigns may have changed: a privacy restriction, its
#: groups or a campaign page was saved, deleted, published or moved. Arguments:
#: none; sent with ``sender=None`` by ``access.forget_rules``, now and again once
#: the transaction commits. Receivers forget what they cached of the campaigns.
campaign_access_changed = Signal()

#: A webhook subscription was switched off after too many failed deliveries in a
#: row. Arguments: ``subscription`` (the ``WebhookSubscription``, with its ``name``
#: and ``consecutive_failures``), ``admins`` (ids of the members who may switch it
#: on again), ``url`` (its delivery log in the back office). Sent with
#: ``sender=WebhookSubscription`` inside the transaction that switches it off.
webhook_disabled = Signal()

#: Asked for the community signals the product team's evaluation shows beside
#: supports and comments (a column and a sort key each). Arguments: none; sent
#: with ``sender=Idea`` through ``send``, whose receivers return an
#: ``EvaluationSignal`` (or ``None`` to add nothing). An app that is not installed
#: adds no column. Receivers must be cheap: the evaluation asks on every page.
register_evaluation_signals = Signal()

#: Asked who may see an idea, by apps that tell members about it
#: (notifications): an idea of a private campaign is seen only by the members
#: its campaign admits, the brand team and its author. Arguments: ``idea_id``;
#: sent through ``send`` (use ``only_those_who_may_see``), with ``sender=None``
#: since the askers cannot name ``Idea``. A receiver returns ``None`` when
#: everybody may see the idea, or else a queryset of the members who may.
idea_viewers = Signal()


def only_those_who_may_see(idea_id: int, members: QuerySet) -> QuerySet:
    """``members`` (a queryset of members, or of their ids) less those who may
    not see the idea, as the receivers of ``idea_viewers`` answer."""
    for _receiver, viewers in idea_viewers.send(sender=None, idea_id=idea_id):
        if viewers is not None:
            members = members.filter(pk__in=viewers.values("pk"))
    return members


@dataclass(frozen=True)
class EvaluationSignal:
    """What a receiver of ``register_evaluation_signals`` returns: ``annotate``
    adds the attribute ``name`` (a number, ``None`` when unknown) to every idea of
    a queryset, in SQL; ``label`` heads its column."""

    name: str
    label: str | Promise
    annotate: Callable[[QuerySet], QuerySet]
