"""Why points moved, readable in every language.

A ledger entry's ``memo`` is its reason in the site's language, written once for
the audit and the back office. An entry written by the site (not typed by staff)
also keeps its ``reason``: the untranslated message and its arguments, so the
points history reads in each member's own language (``reason_text``). Entries
written before it, and staff adjustments, show their memo as it was written.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from cocreate.i18n import in_site_language, site_language


class Reason(str):
    """A memo (the text in the site's language) that remembers its message.

    ``Reason(gettext_noop("Held for %s"), (RewardTitle(reward),))``; ``args`` is a
    tuple (``%s``) or a dict (``%(name)s``) of text, numbers, reward titles and
    other reasons. It is a ``str``, so it goes wherever a memo goes.
    """

    message: str
    args: tuple | dict

    def __new__(cls, message: str, args: tuple | dict = ()) -> Reason:
        if translation.get_language() == site_language():
            # Already in it (a history of millions of reasons): no switching.
            text = _render(message, args, None)
        else:
            with in_site_language():
                text = _render(message, args, None)
        reason = super().__new__(cls, text)
        reason.message = message
        reason.args = args
        return reason

    def stored(self) -> dict:
        """The form kept on the entry (JSON)."""
        if isinstance(self.args, dict):
            args: Any = {key: _stored(value) for key, value in self.args.items()}
        else:
            args = [_stored(value) for value in self.args]
        return {"message": self.message, "args": args}


class RewardTitle(str):
    """A reward's title as an argument: rendered in each reader's language."""

    reward: Any

    def __new__(cls, reward: Any) -> RewardTitle:
        title = super().__new__(cls, reward.title)
        title.reward = reward
        return title


def _stored(value: Any) -> Any:
    if isinstance(value, Reason):
        return {"reason": value.stored()}
    if isinstance(value, RewardTitle):
        return {"reward": value.reward.pk, "title": str(value)}
    return value if isinstance(value, int | float) else str(value)


def _render(message: str, args: Any, reward: Any) -> str:
    """``message`` translated into the active language, with its arguments."""
    if isinstance(args, dict):
        values: Any = {key: _value(value, reward) for key, value in args.items()}
    else:
        values = tuple(_value(value, reward) for value in args)
    return gettext(message) % values if values else gettext(message)


def _value(value: Any, reward: Any) -> Any:
    if isinstance(value, RewardTitle):
        return value.reward.i18n.title
    if isinstance(value, Reason):
        return _render(value.message, value.args, reward)
    if isinstance(value, dict) and "reason" in value:
        stored = value["reason"]
        return _render(stored["message"], stored.get("args", ()), reward)
    if isinstance(value, dict) and "reward" in value:
        if reward is not None and reward.pk == value["reward"]:
            return reward.i18n.title
        return value.get("title", "")
    return value


def reason_text(entry: Any, language: str | None = None) -> str:
    """The entry's reason in ``language`` (default: the active one).

    A reward named in it is read from ``entry.redemption.reward``: fetch entries
    with ``select_related("redemption__reward")`` to keep a list to one query.
    """
    stored = entry.reason or {}
    if not stored.get("message"):
        return entry.memo
    reward = entry.redemption.reward if entry.redemption_id else None
    with translation.override(language or translation.get_language()):
        try:
            return _render(stored["message"], stored.get("args", ()), reward)
        except (KeyError, TypeError, ValueError):
            # A message whose translation no longer fits its arguments.
            return entry.memo
