"""The idea lifecycle in one table: every status move an idea can make, who may
make it and which service makes it.

``workflow.record``, the one function that writes a status, checks every move
against this table, so a move that is not here is refused whoever asks for it;
the services read their statuses from here instead of restating them. Moves the
site makes by itself (a support threshold, enough reports) are ``SYSTEM``: nobody
acts, so their ``actor`` is ``None``.

DESIGN's lifecycle: draft -> pending -> published -> under_review -> shortlisted
-> in_rnd -> shipped, with declined and duplicate as exits and hidden as a
moderator's removal that restoring undoes. ``removed`` is the end of an idea whose
author erased their account and chose to remove their ideas: nobody moves it on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ideas import permissions
from ideas.errors import InvalidInput, NotAllowed
from ideas.statuses import PUBLIC_STATUSES, IdeaStatus, status_in_sentence

if TYPE_CHECKING:
    from cocreate.members.types import User


class Action(StrEnum):
    """The services that move an idea, one value each."""

    CHANGE_STATUS = "change_status"
    REACH_THRESHOLD = "reach_threshold"
    PROMOTE = "promote"
    SHIP = "ship"
    APPROVE = "approve"
    HIDE = "hide"
    HIDE_AFTER_REPORTS = "hide_after_reports"
    RESTORE = "restore"
    MERGE = "merge"
    UNDO_MERGE = "undo_merge"
    ERASE = "erase"

    @property
    def label(self) -> str:
        return str(LABELS[self])


#: How the back office names each action, for refusals.
LABELS = {
    Action.CHANGE_STATUS: gettext_lazy("Change status"),
    Action.REACH_THRESHOLD: gettext_lazy("Support threshold"),
    Action.PROMOTE: gettext_lazy("Promote into R&D"),
    Action.SHIP: gettext_lazy("Mark shipped"),
    Action.APPROVE: gettext_lazy("Approve"),
    Action.HIDE: gettext_lazy("Hide"),
    Action.HIDE_AFTER_REPORTS: gettext_lazy("Hide after reports"),
    Action.RESTORE: gettext_lazy("Restore"),
    Action.MERGE: gettext_lazy("Merge"),
    Action.UNDO_MERGE: gettext_lazy("Undo merge"),
    Action.ERASE: gettext_lazy("Erasure of the author's account"),
}

#: ``Move.who`` of the moves the site makes by itself.
SYSTEM = "system"

Who = Callable[[object], bool] | str


@dataclass(frozen=True)
class Move:
    old: str
    new: str
    action: Action
    who: Who  # a predicate of ideas.permissions, or SYSTEM
    service: str  # the function that performs it


S = IdeaStatus
#: Statuses the brand team moves ideas between by a plain status change.
BRAND_TEAM_STATUSES = (
    S.PUBLISHED,
    S.UNDER_REVIEW,
    S.SHORTLISTED,
    S.IN_RND,
    S.SHIPPED,
    S.DECLINED,
)
#: Where a plain status change may take them: R&D and shipping record where the
#: idea went, so they have their own actions.
BY_HAND = (S.PUBLISHED, S.UNDER_REVIEW, S.SHORTLISTED, S.DECLINED)
#: Statuses a merge takes ideas from, and an undone merge back to.
MERGEABLE = (*BRAND_TEAM_STATUSES, S.PENDING, S.HIDDEN)
#: A moderator hides anything not hidden yet; restoring puts back the status before
#: hiding (an idea hidden while pending comes back published: it was reviewed).
#: A removed idea is no moderator's to move: its author erased it for good.
HIDEABLE = tuple(status for status in S if status not in (S.HIDDEN, S.REMOVED))
RESTORABLE = tuple(status for status in HIDEABLE if status != S.PENDING)


def _moves(
    action: Action, who: Who, service: str, pairs: list[tuple[str, str]]
) -> list[Move]:
    return [Move(old, new, action, who, service) for old, new in pairs]


TABLE: tuple[Move, ...] = tuple(
    _moves(
        Action.CHANGE_STATUS,
        permissions.can_change_status,
        # shortlists.add_idea moves published and under-review ideas through it
        "ideas.workflow.change_status",
        [(o, n) for o in BRAND_TEAM_STATUSES for n in BY_HAND if o != n],
    )
    + _moves(
        Action.REACH_THRESHOLD,
        SYSTEM,
        "ideas.voting.support (workflow.reach_threshold)",
        [(S.PUBLISHED, S.UNDER_REVIEW)],
    )
    + _moves(
        Action.PROMOTE,
        permissions.can_promote,
        "ideas.product.rnd.promote",
        [(o, S.IN_RND) for o in (S.PUBLISHED, S.UNDER_REVIEW, S.SHORTLISTED)],
    )
    + _moves(
        Action.SHIP,
        permissions.can_promote,
        "ideas.product.rnd.ship",
        [(S.IN_RND, S.SHIPPED)],
    )
    + _moves(
        Action.APPROVE,
        permissions.can_moderate,
        "ideas.moderation.services.approve",
        [(S.PENDING, S.PUBLISHED)],
    )
    + _moves(
        Action.HIDE,
        permissions.can_moderate,
        "ideas.moderation.services.hide",
        [(o, S.HIDDEN) for o in HIDEABLE],
    )
    + _moves(
        Action.HIDE_AFTER_REPORTS,
        SYSTEM,
        "ideas.moderation.services.report",
        [(o, S.HIDDEN) for o in PUBLIC_STATUSES],
    )
    + _moves(
        Action.RESTORE,
        permissions.can_moderate,
        "ideas.moderation.services.restore (and approve)",
        [(S.HIDDEN, n) for n in RESTORABLE],
    )
    + _moves(
        Action.MERGE,
        permissions.can_moderate,
        "ideas.moderation.merging.merge",
        [(o, S.DUPLICATE) for o in MERGEABLE],
    )
    + _moves(
        Action.UNDO_MERGE,
        permissions.can_moderate,
        "ideas.moderation.merging.undo_merge",
        [(S.DUPLICATE, n) for n in MERGEABLE],
    )
    + _moves(
        Action.ERASE,
        SYSTEM,
        "ideas.privacy.erase (the author chose to remove their ideas)",
        [(o, S.REMOVED) for o in PUBLIC_STATUSES],
    )
)
del S

_BY_KEY = {(move.old, move.new, move.action): move for move in TABLE}


def _ordered(statuses: set[str]) -> tuple[IdeaStatus, ...]:
    return tuple(status for status in IdeaStatus if status in statuses)


def sources(action: Action, new: str | None = None) -> tuple[IdeaStatus, ...]:
    """Statuses ``action`` moves ideas from (to ``new``, if given)."""
    return _ordered(
        {m.old for m in TABLE if m.action == action and new in (None, m.new)}
    )


def targets(action: Action, old: str | None = None) -> tuple[IdeaStatus, ...]:
    """Statuses ``action`` moves ideas to (from ``old``, if given)."""
    return _ordered(
        {m.new for m in TABLE if m.action == action and old in (None, m.old)}
    )


def actions_to(new: str) -> tuple[Action, ...]:
    """The actions that move ideas to ``new``, in the table's order."""
    return tuple(dict.fromkeys(m.action for m in TABLE if m.new == new))


def _label(status: str) -> str:
    return status_in_sentence(status)


def check(*, old: str, new: str, action: Action, actor: User | None) -> Move:
    """The table's row for this move, or the readable refusal of a move that is
    not allowed (``InvalidInput``) or not for this actor (``NotAllowed``)."""
    move = _BY_KEY.get((old, new, action))
    if move is None:
        raise InvalidInput(
            _("“%(action)s” cannot move an idea that is %(old)s to %(new)s.")
            % {"action": action.label, "old": _label(old), "new": _label(new)}
        )
    if move.who == SYSTEM:
        if actor is not None:
            raise NotAllowed(
                _("“%s” is done by the site itself, not by hand.") % action.label
            )
    elif not cast(Callable[[object], bool], move.who)(actor):  # a predicate here
        raise NotAllowed(
            _("You are not allowed to move ideas to %s this way.") % _label(new)
        )
    return move
