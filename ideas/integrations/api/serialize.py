"""Rows to API dictionaries, and the querysets that fetch what they need in a
constant number of queries."""

from __future__ import annotations

import datetime

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ideas import permissions
from ideas.integrations.api.auth import ApiError
from ideas.models import (
    PUBLIC_STATUSES,
    Comment,
    Idea,
    Score,
    Shortlist,
    ShortlistEntry,
)
from ideas.ranking import TRENDING_DAYS


class NotFound(ApiError):
    status = 404


def with_api_data(queryset: QuerySet[Idea]) -> QuerySet[Idea]:
    return queryset.select_related("author", "campaign", "category").prefetch_related(
        "tags"
    )


def public_idea(pk: int, *, user, detail: bool = False) -> Idea:
    """A public idea the token's owner may see (a private campaign's only if it
    admits them), or a 404 in words: other ideas are not reachable here."""
    queryset = Idea.objects.public(user)
    if detail:
        queryset = with_api_data(queryset).select_related("promotion__owner")
    idea = queryset.filter(pk=pk).first()
    if idea is None:
        raise NotFound(_("There is no public idea with this id."))
    return idea


def shortlist_or_404(pk: int) -> Shortlist:
    shortlist = Shortlist.objects.filter(pk=pk).first()
    if shortlist is None:
        raise NotFound(_("There is no shortlist with this id."))
    return shortlist


def member(user) -> dict:
    return {"id": user.pk, "name": str(user.public_name)}


def idea_out(idea: Idea) -> dict:
    return {
        "id": idea.pk,
        "title": idea.title,
        "url": idea.get_absolute_url(),
        "language": idea.language,
        "status": idea.status,
        "status_label": str(idea.get_status_display()),
        "author": member(idea.author),
        "campaign": (
            {"id": idea.campaign.pk, "title": idea.campaign.title}
            if idea.campaign
            else None
        ),
        "category": (
            {"slug": idea.category.slug, "name": idea.category.i18n.name}
            if idea.category
            else None
        ),
        "tags": sorted(tag.name for tag in idea.tags.all()),
        "created_at": idea.created_at,
        "supports_count": idea.supports_count,
        "comments_count": idea.comments_count,
        "followers_count": idea.followers_count,
        "score": idea.score,
        "scorers_count": idea.scorers_count,
    }


def _promotion_out(idea: Idea) -> dict | None:
    try:
        promotion = idea.promotion
    except Idea.promotion.RelatedObjectDoesNotExist:
        return None
    return {
        "ticket_key": promotion.ticket_key,
        "ticket_url": promotion.ticket_url,
        "owner": member(promotion.owner),
        "target_date": promotion.target_date,
        "promoted_at": promotion.promoted_at,
        "product_url": promotion.product_url,
        "shipped_at": promotion.shipped_at,
    }


def idea_detail_out(idea: Idea, user) -> dict:
    """The idea with what the product team looks at; a fixed number of queries."""
    since = timezone.now() - datetime.timedelta(days=TRENDING_DAYS)
    shortlists = []
    if permissions.can_view_shortlists(user):
        shortlists = [
            {"id": pk, "name": name}
            for pk, name in Shortlist.objects.filter(entries__idea=idea)
            .order_by("name", "id")
            .values_list("pk", "name")
        ]
    criteria = [
        {
            "criterion_id": row["criterion_id"],
            "name": row["criterion__name"],
            "mean": round(row["mean"], 2),
        }
        for row in Score.objects.filter(idea=idea, criterion__is_active=True)
        .values("criterion_id", "criterion__name", "criterion__position")
        .annotate(mean=Avg("value"))
        .order_by("criterion__position", "criterion_id")
    ]
    return {
        **idea_out(idea),
        "description": idea.description,
        "description_html": idea.description_html,
        "status_changed_at": idea.status_changed_at,
        "supports_last_7_days": idea.supports.filter(created_at__gte=since).count(),
        "promotion": _promotion_out(idea),
        "shortlists": shortlists,
        "criteria": criteria,
    }


def visible_comments(idea: Idea) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(idea=idea, moderation="visible", removed_at__isnull=True)
        .select_related("author")
        .order_by("created_at", "id")
    )


def comment_out(comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "author": member(comment.author),
        "body": comment.body,
        "body_html": comment.body_html,
        "is_official": comment.is_official,
        "official_role": comment.official_role,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
    }


def shortlists_with_counts() -> QuerySet[Shortlist]:
    return Shortlist.objects.annotate(
        ideas_count=Count(
            "entries", filter=Q(entries__idea__status__in=PUBLIC_STATUSES)
        )
    ).order_by("name", "id")


def shortlist_out(shortlist: Shortlist) -> dict:
    return {
        "id": shortlist.pk,
        "name": shortlist.name,
        "description": shortlist.description,
        "ideas_count": shortlist.ideas_count,
        "created_at": shortlist.created_at,
        "updated_at": shortlist.updated_at,
    }


def entry_out(entry: ShortlistEntry) -> dict:
    return {
        "position": entry.position,
        "note": entry.note,
        "added_at": entry.added_at,
        "idea": idea_out(entry.idea),
    }


def public_entries(shortlist: Shortlist) -> list[ShortlistEntry]:
    return list(
        ShortlistEntry.objects.filter(
            shortlist=shortlist, idea__status__in=PUBLIC_STATUSES
        )
        .select_related("idea__author", "idea__campaign", "idea__category")
        .prefetch_related("idea__tags")
        .order_by("position", "id")
    )


def entry_with_idea(shortlist_id: int, idea_id: int) -> ShortlistEntry:
    return (
        ShortlistEntry.objects.filter(shortlist_id=shortlist_id, idea_id=idea_id)
        .select_related("idea__author", "idea__campaign", "idea__category")
        .prefetch_related("idea__tags")
        .get()
    )
