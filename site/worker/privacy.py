"""What an erasure removes from the task queue's records: finished task results
whose arguments or return value name the member (notifications carry a name or
an email address as arguments). Waiting and running tasks stay: they are work
still to do, such as the email that confirms the erasure. Registered with
``cocreate.privacy`` from ``WorkerConfig.ready``."""

from __future__ import annotations

import json
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cocreate.privacy.registry import register_eraser

#: Shorter names are too common to look for.
MIN_LENGTH = 3


def _needles(member: Any) -> set[str]:
    names = {
        member.email,
        member.display_name,
        member.get_full_name(),
        member.first_name,
        member.last_name,
        *EmailAddress.objects.filter(user=member).values_list("email", flat=True),
    }
    return {text.strip() for text in names if text and len(text.strip()) >= MIN_LENGTH}


def erase(member: Any, keep_content: bool) -> None:
    needles = _needles(member)
    if not needles:
        return
    mentions = Q()
    for needle in needles:
        # As stored: raw (PostgreSQL's jsonb), or escaped (JSON text elsewhere).
        for form in {needle, json.dumps(needle)[1:-1]}:
            mentions |= Q(args_text__icontains=form) | Q(result_text__icontains=form)
    DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    ).annotate(
        args_text=Cast("args_kwargs", TextField()),
        result_text=Cast("return_value", TextField()),
    ).filter(mentions).delete()


def register() -> None:
    register_eraser("task_results", erase)
