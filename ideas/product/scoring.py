"""Scoring: product-team members score ideas on weighted criteria.

A scorer's score of an idea is the weighted mean of their scores on the criteria in
use, each as a fraction of its scale; the idea's score is the mean over its
scorers, as a percentage (0-100). It is stored on the idea (``Idea.score``) in the
transaction of the scores, so lists sort by it, and ``rescore`` recomputes it.
Criteria change through ``save_criterion`` and ``delete_criterion``, which rescore
the ideas in the same transaction when what counts has changed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ideas import permissions
from ideas.errors import InvalidInput, NotAllowed
from ideas.models import Criterion, Idea, IdeaStatus, Score
from ideas.statuses import status_in_sentence

if TYPE_CHECKING:
    from cocreate.members.types import User

#: Ideas out of public view, or merged into another, are not scored.
UNSCORABLE = (
    IdeaStatus.DRAFT,
    IdeaStatus.PENDING,
    IdeaStatus.HIDDEN,
    IdeaStatus.DUPLICATE,
    IdeaStatus.REMOVED,
)


@dataclass(frozen=True)
class Rating:
    """One score as the maths needs it."""

    scorer_id: int
    value: int
    weight: int
    scale: int


def idea_score(ratings: Iterable[Rating]) -> tuple[float | None, int]:
    """The idea's score (0-100, or None when nobody scored) and its scorers."""
    by_scorer: dict[int, list[Rating]] = defaultdict(list)
    for rating in ratings:
        by_scorer[rating.scorer_id].append(rating)
    if not by_scorer:
        return None, 0
    # Exact fractions, then half up: 11.25 shows as 11.3, as people expect, where
    # floats and round() would give 11.2.
    scorer_scores = [
        sum(Fraction(r.weight * r.value, r.scale) for r in own)
        / sum(r.weight for r in own)
        for own in by_scorer.values()
    ]
    percent = 100 * sum(scorer_scores) / len(scorer_scores)
    return math.floor(percent * 10 + Fraction(1, 2)) / 10, len(by_scorer)


def _ratings(idea_ids: Iterable[int]) -> dict[int, list[Rating]]:
    rows = Score.objects.filter(
        idea_id__in=list(idea_ids), criterion__is_active=True
    ).values_list(
        "idea_id", "scorer_id", "value", "criterion__weight", "criterion__scale"
    )
    ratings: dict[int, list[Rating]] = defaultdict(list)
    for idea_id, scorer_id, value, weight, scale in rows:
        ratings[idea_id].append(Rating(scorer_id, value, weight, scale))
    return ratings


def rescore(idea_ids: Iterable[int] | None = None) -> int:
    """Recompute stored scores (of these ideas, or of every scored idea)."""
    if idea_ids is None:
        idea_ids = set(Score.objects.values_list("idea_id", flat=True).distinct())
        idea_ids |= set(
            Idea.objects.filter(score__isnull=False).values_list("pk", flat=True)
        )
    idea_ids = list(idea_ids)
    ratings = _ratings(idea_ids)
    changed = []
    for idea in Idea.objects.filter(pk__in=idea_ids).only("score", "scorers_count"):
        score, scorers = idea_score(ratings.get(idea.pk, []))
        if (idea.score, idea.scorers_count) != (score, scorers):
            idea.score, idea.scorers_count = score, scorers
            changed.append(idea)
    Idea.objects.bulk_update(changed, ["score", "scorers_count"], batch_size=500)
    return len(changed)


@transaction.atomic
def score_idea(
    *, scorer: User, idea: Idea, values: Mapping[int, int | None]
) -> tuple[float | None, int]:
    """Record one scorer's scores of an idea (criterion id -> value; None clears
    it) and return the idea's new score and number of scorers."""
    if not permissions.can_score(scorer):
        raise NotAllowed(_("Only the product team scores ideas."))
    if not values:
        raise InvalidInput(_("Please score at least one criterion."))
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.status in UNSCORABLE:
        raise InvalidInput(
            _("This idea is %s; it cannot be scored.") % status_in_sentence(idea.status)
        )
    criteria = Criterion.objects.in_bulk(list(values))
    errors = []
    for criterion_id, value in values.items():
        criterion = criteria.get(criterion_id)
        if criterion is None or not criterion.is_active:
            errors.append(_("This criterion is no longer in use."))
        elif value is not None and not 1 <= value <= criterion.scale:
            errors.append(
                _("%(criterion)s is scored from 1 to %(scale)d.")
                % {"criterion": criterion.name, "scale": criterion.scale}
            )
    if errors:
        raise InvalidInput(" ".join(errors))
    now = timezone.now()
    for criterion_id, value in values.items():
        if value is None:
            Score.objects.filter(
                idea=idea, criterion_id=criterion_id, scorer=scorer
            ).delete()
        else:
            Score.objects.update_or_create(
                idea=idea,
                criterion_id=criterion_id,
                scorer=scorer,
                defaults={"value": value, "updated_at": now},
            )
    score, scorers = idea_score(_ratings([idea.pk]).get(idea.pk, []))
    Idea.objects.filter(pk=idea.pk).update(score=score, scorers_count=scorers)
    idea.score, idea.scorers_count = score, scorers
    log(
        instance=idea,
        action="cocreate.idea.score",
        user=scorer,
        data={"scores": {str(k): v for k, v in values.items()}, "score": score},
    )
    return score, scorers


# Criteria ------------------------------------------------------------------------

#: What a criterion counts with: a change of any of them changes idea scores.
COUNTING_FIELDS = ("weight", "scale", "is_active")


def _may(actor: User, permission: str) -> bool:
    return bool(actor and actor.is_authenticated and actor.has_perm(permission))


def _check_criterion(criterion: Criterion) -> None:
    errors = []
    name = (criterion.name or "").strip()
    if not name:
        errors.append(_("Please give the criterion a name."))
    elif Criterion.objects.filter(name=name).exclude(pk=criterion.pk).exists():
        errors.append(
            _("There is already a criterion named “%(name)s”.") % {"name": name}
        )
    if not 1 <= (criterion.weight or 0) <= 10:
        errors.append(_("The weight goes from 1 to 10."))
    if not 2 <= (criterion.scale or 0) <= 10:
        errors.append(_("The scale goes from 2 to 10."))
    elif criterion.pk is not None:
        # A scale below scores already given would put ideas above 100%.
        highest = (
            Score.objects.filter(criterion_id=criterion.pk)
            .order_by("-value")
            .values_list("value", flat=True)
            .first()
        )
        if highest is not None and highest > criterion.scale:
            errors.append(
                _(
                    "Ideas were already scored up to %(highest)d on this criterion: "
                    "its scale cannot go below %(highest)d."
                )
                % {"highest": highest}
            )
    if errors:
        raise InvalidInput(" ".join(errors))


def _scored_on(criterion_id: int) -> list[int]:
    return list(
        Score.objects.filter(criterion_id=criterion_id)
        .values_list("idea_id", flat=True)
        .distinct()
    )


@transaction.atomic
def save_criterion(*, actor: User, criterion: Criterion) -> Criterion:
    """Create or update a scoring criterion; when its weight, scale or use changes,
    the ideas scored on it are rescored in the same transaction, so no list ever
    sorts by scores the criteria no longer give."""
    adding = criterion.pk is None
    if not _may(actor, "ideas.add_criterion" if adding else "ideas.change_criterion"):
        raise NotAllowed(_("Only the product team sets the scoring criteria."))
    before = None
    if not adding:
        before = (
            Criterion.objects.select_for_update()
            .filter(pk=criterion.pk)
            .values(*COUNTING_FIELDS)
            .first()
        )
        if before is None:
            raise InvalidInput(_("This criterion was deleted meanwhile."))
    _check_criterion(criterion)
    criterion.name = criterion.name.strip()
    criterion.save()
    changed = [
        field
        for field in COUNTING_FIELDS
        if before is not None and before[field] != getattr(criterion, field)
    ]
    # A new criterion has no scores yet: no idea's score can move.
    rescored = rescore(_scored_on(criterion.pk)) if changed else 0
    log(
        instance=criterion,
        action="wagtail.create" if adding else "wagtail.edit",
        user=actor,
        content_changed=True,
        data={"changed": changed, "rescored": rescored},
    )
    return criterion


@transaction.atomic
def delete_criterion(*, actor: User, criterion: Criterion) -> int:
    """Delete a criterion with its scores and rescore the ideas scored on it;
    returns how many ideas' scores moved. Switching it off keeps the scores."""
    if not _may(actor, "ideas.delete_criterion"):
        raise NotAllowed(_("You may not delete scoring criteria."))
    locked = Criterion.objects.select_for_update().filter(pk=criterion.pk).first()
    if locked is None:
        raise InvalidInput(_("This criterion was deleted meanwhile."))
    criterion = locked
    idea_ids = _scored_on(criterion.pk)
    # Logged first, while the criterion still exists, as Wagtail's own delete does.
    log(
        instance=criterion,
        action="wagtail.delete",
        user=actor,
        deleted=True,
        data={"ideas": len(idea_ids)},
    )
    criterion.delete()
    return rescore(idea_ids)


def criterion_means(idea_ids: Iterable[int]) -> dict[int, dict[int, float]]:
    """Per idea, each criterion's mean score over its scorers (one query)."""
    from django.db.models import Avg

    means: dict[int, dict[int, float]] = defaultdict(dict)
    rows = (
        Score.objects.filter(idea_id__in=list(idea_ids))
        .values("idea_id", "criterion_id")
        .annotate(mean=Avg("value"))
        .order_by()
    )
    for row in rows:
        means[row["idea_id"]][row["criterion_id"]] = round(row["mean"], 2)
    return means
