"""Read endpoints: campaigns, statuses, ideas with the list page's filters and
sorts, comments and shortlists. Each runs a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from ideas import permissions
from ideas.integrations.api import schemas, serialize
from ideas.integrations.api.auth import Forbidden
from ideas.integrations.api.pagination import Key, page
from ideas.integrations.api.schemas import Id, text
from ideas.models import PUBLIC_STATUSES
from ideas.ranking import DEFAULT_SORT, SORTS
from ideas.selectors import (
    IdeaFilters,
    filtered_ideas,
    language_codes,
    live_campaigns,
)
from ideas.workflow import MANUAL_STATUSES

router = Router()

#: The columns each sort of ``ideas.ranking.order_ideas`` orders by, for cursors.
SORT_KEYS: dict[str, tuple[Key, ...]] = {
    "hot": (Key("hot_score", float), Key("id", int)),
    "top": (Key("supports_count", int), Key("id", int)),
    "new": (Key("created_at", datetime.datetime), Key("id", int)),
    "discussed": (Key("comments_count", int), Key("id", int)),
    "trending": (
        Key("recent_supports", int),
        Key("hot_score", float),
        Key("id", int),
    ),
}
COMMENT_KEYS = (
    Key("created_at", datetime.datetime, descending=False),
    Key("id", int, descending=False),
)

Limit = Annotated[int, Field(ge=1, le=100)]
Cursor = text(1_000)

READ_ERRORS = {
    400: schemas.Error,
    401: schemas.Error,
    403: schemas.Error,
    404: schemas.Error,
    422: schemas.ValidationErrorOut,
    429: schemas.Error,
}


class IdeaQuery(Schema):
    sort: Literal[SORTS] = Field(DEFAULT_SORT, description="As on the list page.")  # type: ignore[valid-type]
    campaign: Id | None = None
    category: text(80) = Field("", description="A category's slug.")
    status: Literal[tuple(s.value for s in PUBLIC_STATUSES)] | None = None  # type: ignore[valid-type]
    tag: text(50) = Field("", description="A tag's slug.")
    language: text(10) = Field(
        "", description="A language code (en, fr); another value is ignored."
    )
    q: text(200) = Field("", description="Words to search for.")
    cursor: Cursor | None = None
    limit: Limit = 20


class PageQuery(Schema):
    cursor: Cursor | None = None
    limit: Limit = 50


@router.get(
    "/campaigns",
    url_name="campaigns",
    response={200: list[schemas.CampaignOut], **READ_ERRORS},
    summary="Live campaigns",
    tags=["campaigns"],
)
def list_campaigns(request):
    return [
        {
            "id": campaign.pk,
            "title": campaign.title,
            "summary": campaign.summary,
            "url": campaign.get_url(request=request) or "",
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "is_open": campaign.is_open(),
        }
        for campaign in live_campaigns(request.user)
    ]


@router.get(
    "/statuses",
    url_name="statuses",
    response={200: list[schemas.StatusOut], **READ_ERRORS},
    summary="Statuses of public ideas",
    tags=["ideas"],
)
def list_statuses(request):
    return [
        {"value": status.value, "label": str(status.label), "manual": manual}
        for status in PUBLIC_STATUSES
        for manual in [status in MANUAL_STATUSES]
    ]


@router.get(
    "/ideas",
    url_name="ideas",
    response={200: schemas.IdeaPage, **READ_ERRORS},
    summary="Public ideas, filtered and sorted as on the list page",
    tags=["ideas"],
)
def list_ideas(request, query: Query[IdeaQuery]):
    filters = IdeaFilters(
        sort=query.sort,
        campaign=query.campaign,
        category=query.category,
        status=query.status or "",
        tag=query.tag,
        language=query.language if query.language in language_codes() else "",
        q=query.q.strip(),
    )
    queryset = serialize.with_api_data(filtered_ideas(filters, user=request.user))
    ideas, next_cursor = page(
        queryset,
        name=f"ideas:{filters.sort}",
        keys=SORT_KEYS[filters.sort],
        cursor=query.cursor,
        limit=query.limit,
    )
    return {"items": [serialize.idea_out(i) for i in ideas], "next_cursor": next_cursor}


@router.get(
    "/ideas/{idea_id}",
    url_name="idea",
    response={200: schemas.IdeaDetailOut, **READ_ERRORS},
    summary="One public idea, with its score, promotion and shortlists",
    tags=["ideas"],
)
def get_idea(request, idea_id: Annotated[int, Path(ge=1, le=schemas.MAX_ID)]):
    idea = serialize.public_idea(idea_id, user=request.user, detail=True)
    return serialize.idea_detail_out(idea, request.user)


@router.get(
    "/ideas/{idea_id}/comments",
    url_name="idea_comments",
    response={200: schemas.CommentPage, **READ_ERRORS},
    summary="Visible comments of a public idea, oldest first",
    tags=["ideas"],
)
def list_comments(
    request,
    idea_id: Annotated[int, Path(ge=1, le=schemas.MAX_ID)],
    query: Query[PageQuery],
):
    idea = serialize.public_idea(idea_id, user=request.user)
    comments, next_cursor = page(
        serialize.visible_comments(idea),
        name=f"comments:{idea.pk}",
        keys=COMMENT_KEYS,
        cursor=query.cursor,
        limit=query.limit,
    )
    return {
        "items": [serialize.comment_out(c) for c in comments],
        "next_cursor": next_cursor,
    }


def _check_shortlists(user) -> None:
    if not permissions.can_view_shortlists(user):
        raise Forbidden(_("Only the product team sees shortlists."))


@router.get(
    "/shortlists",
    url_name="shortlists",
    response={200: list[schemas.ShortlistOut], **READ_ERRORS},
    summary="Shortlists",
    tags=["shortlists"],
)
def list_shortlists(request):
    _check_shortlists(request.user)
    return [serialize.shortlist_out(s) for s in serialize.shortlists_with_counts()]


@router.get(
    "/shortlists/{shortlist_id}",
    url_name="shortlist",
    response={200: schemas.ShortlistDetailOut, **READ_ERRORS},
    summary="A shortlist with its public ideas in order, with notes",
    tags=["shortlists"],
)
def get_shortlist(request, shortlist_id: Annotated[int, Path(ge=1, le=schemas.MAX_ID)]):
    _check_shortlists(request.user)
    shortlist = serialize.shortlists_with_counts().filter(pk=shortlist_id).first()
    if shortlist is None:
        raise serialize.NotFound(_("There is no shortlist with this id."))
    return {
        **serialize.shortlist_out(shortlist),
        "entries": [
            serialize.entry_out(e) for e in serialize.public_entries(shortlist)
        ],
    }
