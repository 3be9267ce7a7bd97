"""Tell members what they just earned ("+5 points") on the page that earned it.

The middleware opens a collector for each request and listens to the ledger's
``entries_posted``: the entries written count once their transaction commits (the
ledger itself knows nothing of requests); after the view, the member's own points
become a message (or, for htmx, an ``HX-Trigger`` event that a toast shows).
"""

from __future__ import annotations

import json
from contextvars import ContextVar

from django.contrib import messages
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cocreate.http import is_htmx
from rewards import ledger
from rewards.models import EARNING_KINDS

_collected: ContextVar[list | None] = ContextVar("rewards_feedback", default=None)


def record(entries) -> None:
    collected = _collected.get()
    if collected is None:
        return
    earned = [
        (entry.wallet.member_id, entry.amount)
        for entry in entries
        if entry.kind in EARNING_KINDS
    ]
    transaction.on_commit(lambda: collected.extend(earned))


def _on_entries_posted(sender, entries, **kwargs) -> None:
    record(entries)


def summary(points: int) -> str:
    if points > 0:
        return ngettext("+%(points)d point", "+%(points)d points", points) % {
            "points": points
        }
    return ngettext("%(points)d point", "%(points)d points", -points) % {
        "points": points
    }


class PointsFeedbackMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        ledger.entries_posted.connect(
            _on_entries_posted, dispatch_uid="rewards.feedback.record"
        )

    def __call__(self, request):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return self.get_response(request)
        token = _collected.set([])
        try:
            response = self.get_response(request)
            collected = _collected.get()
        finally:
            _collected.reset(token)
        user = getattr(request, "user", None)
        if not user or not user.is_authenticated:
            return response
        points = sum(amount for member_id, amount in collected if member_id == user.pk)
        if points == 0:
            return response
        text = summary(points)
        if is_htmx(request):
            triggers = {}
            if response.get("HX-Trigger"):
                try:
                    triggers = json.loads(response["HX-Trigger"])
                except ValueError:
                    triggers = {response["HX-Trigger"]: None}
            triggers["points-earned"] = {"points": points, "text": text}
            response["HX-Trigger"] = json.dumps(triggers)
        else:
            messages.info(request, _("%(points)s in your wallet.") % {"points": text})
        return response
