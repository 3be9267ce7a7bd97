"""How long the site keeps what it no longer needs, and the sweep that deletes it.

Each app registers its policies from its ``AppConfig.ready`` (members: accounts
never confirmed; notifications: read notifications; ideas: finished webhook
deliveries; pages: Wagtail's history; worker: finished task results), so
``manage.py apply_retention`` runs them all without knowing those apps. How
many days each keeps is ``settings.COCREATE_RETENTION_DAYS[name]``; 0 keeps
everything. See docs/operations.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError, QuerySet, RestrictedError
from django.utils import timezone

#: Given the cutoff (now minus the days kept), the rows to delete.
Expired = Callable[[datetime.datetime], QuerySet]


@dataclass(frozen=True)
class Policy:
    name: str
    description: str
    expired: Expired
    setting: str  # the key of COCREATE_RETENTION_DAYS that says how long


@dataclass
class Outcome:
    name: str
    description: str
    days: int
    deleted: int = 0
    kept: int = 0  # rows due that something else still needs (PROTECT)


_POLICIES: dict[str, Policy] = {}


def register(
    name: str, description: str, expired: Expired, *, setting: str | None = None
) -> None:
    """Register (or replace, on a second ``ready``) the policy ``name``, kept as
    long as ``COCREATE_RETENTION_DAYS[setting or name]`` says."""
    _POLICIES[name] = Policy(
        name=name, description=description, expired=expired, setting=setting or name
    )


def policies() -> list[Policy]:
    return [_POLICIES[name] for name in sorted(_POLICIES)]


def days_kept(name: str) -> int:
    return int(settings.COCREATE_RETENTION_DAYS.get(name, 0) or 0)


def _delete_batch(queryset: QuerySet, pks: list) -> tuple[int, int]:
    """Delete these rows; if one is still needed (a protected relation), delete
    the others one by one and keep it."""
    model = queryset.model
    try:
        with transaction.atomic():
            model._default_manager.filter(pk__in=pks).delete()
        return len(pks), 0
    except (ProtectedError, RestrictedError):
        deleted = kept = 0
        for pk in pks:
            try:
                with transaction.atomic():
                    model._default_manager.filter(pk=pk).delete()
                deleted += 1
            except (ProtectedError, RestrictedError):
                kept += 1
        return deleted, kept


def apply_policy(
    policy: Policy,
    *,
    now: datetime.datetime | None = None,
    dry_run: bool = False,
    batch_size: int | None = None,
) -> Outcome:
    """Delete, in batches of ``batch_size`` (by ascending primary key, so a row
    kept back is passed over and the sweep ends), what ``policy`` says expired."""
    days = days_kept(policy.setting)
    outcome = Outcome(name=policy.name, description=policy.description, days=days)
    if days <= 0:
        return outcome
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    queryset = policy.expired(cutoff)
    if dry_run:
        outcome.deleted = queryset.count()
        return outcome
    size = max(batch_size or settings.COCREATE_RETENTION_BATCH_SIZE, 1)
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        pks = list(page.values_list("pk", flat=True)[:size])
        if not pks:
            return outcome
        deleted, kept = _delete_batch(queryset, pks)
        outcome.deleted += deleted
        outcome.kept += kept
        last = pks[-1]


def apply_all(
    *,
    now: datetime.datetime | None = None,
    dry_run: bool = False,
    batch_size: int | None = None,
) -> list[Outcome]:
    return [
        apply_policy(policy, now=now, dry_run=dry_run, batch_size=batch_size)
        for policy in policies()
    ]
