"""Reads that pages share; each runs a fixed number of queries whatever the size."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from cocreate.members.selectors import member_related
from cocreate.page_translations import in_default_language, with_translated_text
from cocreate.params import choice_param, int_param, search_terms, text_param
from ideas.models import (
    PUBLIC_STATUSES,
    CampaignPage,
    Category,
    Comment,
    Follow,
    Idea,
    IdeaImage,
    IdeaStatus,
    StatusChange,
    Support,
    access,
)
from ideas.paging import ListPage, numbered_page
from ideas.ranking import DEFAULT_SORT, SORTS, order_ideas

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from cocreate.members.types import Actor

#: A search backend without SQL (Elasticsearch) lends at most this many ids.
SEARCH_RESULT_LIMIT = 1000
#: A search on the list ranks and counts at most this many of its matches (ten
#: pages of 20): what it costs no longer grows with the ideas a word matches.
SEARCH_MATCHES = 200
#: The sort of a search: best match first (``IdeaFilters.sort``).
RELEVANCE = "relevance"


def card_prefetches() -> list:
    """What a card shows beyond its row: read only for the cards rendered
    (``ideas.cards`` reuses the others)."""
    return [
        "tags",
        Prefetch(
            "images",
            queryset=IdeaImage.objects.order_by("position", "id"),
            to_attr="ordered_images",
        ),
    ]


def with_card_rows(queryset: QuerySet[Idea]) -> QuerySet[Idea]:
    """The rows a list of cards needs (``{% idea_cards %}`` reads the rest for the
    cards it renders), with their author, campaign and category in one query."""
    return queryset.select_related(*member_related("author"), "campaign", "category")


def with_card_data(queryset: QuerySet[Idea]) -> QuerySet[Idea]:
    """Everything an idea card shows, fetched in a constant number of queries."""
    return with_card_rows(queryset).prefetch_related(*card_prefetches())


def supported_idea_ids(user: Actor, ideas: Iterable[Idea]) -> set[int]:
    if not user.is_authenticated:
        return set()
    ids = [idea.pk for idea in ideas]
    if not ids:
        return set()
    return set(
        Support.objects.filter(member=user, idea_id__in=ids).values_list(
            "idea_id", flat=True
        )
    )


def supports_and_follows(user: Actor, idea: Idea) -> tuple[bool, bool]:
    """Whether ``user`` supports and follows the idea, in one query (none for a
    visitor): the idea page's own state of the reader."""
    if not user.is_authenticated:
        return False, False
    found = (
        Idea.objects.filter(pk=idea.pk)
        .annotate(
            supported=Exists(Support.objects.filter(idea=OuterRef("pk"), member=user)),
            following=Exists(Follow.objects.filter(idea=OuterRef("pk"), member=user)),
        )
        .values_list("supported", "following")
        .first()
    )
    return (bool(found[0]), bool(found[1])) if found else (False, False)


@dataclass
class IdeaFilters:
    sort: str = DEFAULT_SORT
    campaign: int | None = None
    category: str = ""
    status: str = ""
    tag: str = ""
    language: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, params: QueryDict) -> IdeaFilters:
        """A search sorts by relevance unless a sort is asked for."""
        searching = bool(search_terms(text_param(params, "q", max_length=200)))
        sorts = (RELEVANCE, *SORTS) if searching else SORTS
        return cls(
            sort=choice_param(
                params,
                "sort",
                sorts,
                default=RELEVANCE if searching else DEFAULT_SORT,
            ),
            campaign=int_param(params, "campaign"),
            category=text_param(params, "category", max_length=80),
            status=choice_param(params, "status", PUBLIC_STATUSES),
            tag=text_param(params, "tag", max_length=50),
            # Another value (``?language=xx``) is ignored: every language.
            language=choice_param(params, "language", language_codes()),
            q=text_param(params, "q", max_length=200),
        )

    @property
    def searches(self) -> bool:
        return bool(search_terms(self.q))

    def is_filtered(self) -> bool:
        return bool(
            self.campaign
            or self.category
            or self.status
            or self.tag
            or self.language
            or self.q
        )


def filtered_ideas(
    filters: IdeaFilters,
    *,
    user: Actor,
    campaign: CampaignPage | None = None,
    bound: int | None = None,
) -> QuerySet[Idea]:
    """Public ideas ``user`` may see (private campaigns' only for those admitted),
    filtered and sorted; a search sorted by relevance, best match first (among
    at most ``bound`` of its matches, when given)."""
    if filters.searches and filters.sort == RELEVANCE:
        return matching_ideas(
            filters, user=user, campaign=campaign, ranked=True, bound=bound
        )
    sort = DEFAULT_SORT if filters.sort == RELEVANCE else filters.sort
    return order_ideas(matching_ideas(filters, user=user, campaign=campaign), sort)


def matching_ideas(
    filters: IdeaFilters,
    *,
    user: Actor,
    campaign: CampaignPage | None = None,
    ranked: bool = False,
    bound: int | None = None,
) -> QuerySet[Idea]:
    """The ideas the filters and the search select, in no order unless ``ranked``
    (by relevance). A search goes through the search backend's index and keeps
    its SQL, after the other filters: with ``bound``, it keeps at most that many
    matches (``cocreate.search``: the first the filters keep, then ranked), so
    that neither a page nor its count reads every idea of a common word."""
    queryset = Idea.objects.public(user)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    elif filters.campaign:
        queryset = queryset.filter(campaign_id=filters.campaign)
    if filters.category:
        queryset = queryset.filter(category__slug=filters.category)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.tag:
        queryset = queryset.filter(tags__slug=filters.tag)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    terms = search_terms(filters.q)
    if terms:
        return _search(queryset, terms, ranked=ranked, bound=bound)
    if filters.q:
        # Only quotes or characters no search can use: nothing matches them.
        return queryset.none()
    return queryset


def _search(
    queryset: QuerySet[Idea], terms: str, *, ranked: bool, bound: int | None
) -> QuerySet[Idea]:
    """The ideas of ``queryset`` matching ``terms``, as a queryset: the database
    backends (PostgreSQL, SQLite) give theirs, filtered by ``queryset``'s own SQL,
    ordered by rank when ``ranked``, at most ``bound`` of them when given."""
    results = get_search_backend().search(terms, queryset, order_by_relevance=ranked)
    if hasattr(results, "get_queryset"):
        matches = (results[:bound] if bound else results).get_queryset()
        return matches if ranked or matches.query.is_sliced else matches.order_by()
    # A backend without SQL of its own (Elasticsearch): its ids, best first.
    ids = [idea.pk for idea in results[: bound or SEARCH_RESULT_LIMIT]]
    return queryset.filter(pk__in=ids)


def idea_page(
    filters: IdeaFilters,
    *,
    user: Actor,
    page_number: int,
    campaign: CampaignPage | None = None,
    per_page: int | None = None,
) -> ListPage:
    """A numbered page of the list with cards, and its cached total. A search
    ranks and counts at most ``SEARCH_MATCHES`` of its matches: beyond, its total
    reads "More than 200 ideas"."""
    per_page = per_page or settings.COCREATE_IDEAS_PER_PAGE
    bound = SEARCH_MATCHES if filters.searches else None
    return numbered_page(
        with_card_rows(
            filtered_ideas(filters, user=user, campaign=campaign, bound=bound)
        ),
        page_number,
        per_page,
        counted=matching_ideas(
            filters, user=user, campaign=campaign, bound=bound and bound + 1
        ),
        counted_up_to=bound,
    )


def idea_list_context(
    request: HttpRequest, *, campaign: CampaignPage | None = None
) -> dict:
    """What the idea list and a campaign page show: a page of cards and filters."""
    filters = IdeaFilters.from_query(request.GET)
    user = request.user
    page = idea_page(
        filters,
        user=user,
        campaign=campaign,
        page_number=int_param(request.GET, "page", maximum=10**9) or 1,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "ideas_page": page,
        "ideas": page.object_list,
        "supported_ids": supported_idea_ids(user, page.object_list),
        "filters": filters,
        "sorts": sort_choices(searching=filters.searches),
        "sort_value": ""
        if filters.sort == DEFAULT_SORT and not filters.searches
        else filters.sort,
        "statuses": [(s.value, s.label) for s in IdeaStatus if s in PUBLIC_STATUSES],
        "categories": list(
            campaign.categories.all() if campaign else Category.objects.all()
        ),
        "campaigns": []
        if campaign
        else with_translated_text(list(live_campaigns(user))),
        "languages": settings.LANGUAGES,
        "querystring": query.urlencode(),
    }


def language_codes() -> list[str]:
    """The languages an idea can be written in (settings.LANGUAGES)."""
    return [code for code, _label in settings.LANGUAGES]


def sort_choices(*, searching: bool = False) -> list[tuple[str, StrPromise]]:
    """The list's sorts; a search adds (first) its own, by relevance."""
    from django.utils.translation import gettext_lazy as _

    labels = {
        RELEVANCE: _("Best match"),
        "hot": _("Hot"),
        "top": _("Top"),
        "new": _("New"),
        "discussed": _("Most discussed"),
        "trending": _("Trending this week"),
    }
    if searching:
        return [(sort, labels[sort]) for sort in (RELEVANCE, *SORTS)]
    # The list's default goes as no value, so that a search typed in the form
    # sorts by relevance (its own default) rather than by the default sort.
    return [("" if sort == DEFAULT_SORT else sort, labels[sort]) for sort in SORTS]


def live_campaigns(user: Actor | None = None) -> QuerySet[CampaignPage]:
    """Live campaigns ``user`` may see; without a user, those open to everybody."""
    closed = (
        access.restricted_campaigns() if user is None else access.closed_campaigns(user)
    )
    queryset = in_default_language(CampaignPage.objects.live())
    if closed:
        queryset = queryset.exclude(pk__in=sorted(closed))
    return queryset.order_by("-starts_on", "title")


def open_campaigns(user: Actor | None = None) -> list[CampaignPage]:
    today = timezone.localdate()
    campaigns = list(
        live_campaigns(user)
        .filter(starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .select_related("hero_image")
    )
    return with_translated_text(campaigns, ("title", "summary"))


def trending_ideas(user: Actor, limit: int = 6) -> list[Idea]:
    ideas = order_ideas(Idea.objects.public(user), "trending")
    return list(with_card_rows(ideas)[:limit])


def newest_ideas(user: Actor, limit: int = 6) -> list[Idea]:
    return list(with_card_rows(order_ideas(Idea.objects.public(user), "new"))[:limit])


def idea_for_page(pk: int) -> Idea:
    """The idea with its card data and, in the same query, its R&D record (the
    page links the product once the idea has shipped)."""
    return with_card_data(Idea.objects.select_related("promotion")).get(pk=pk)


def comment_thread(idea: Idea) -> list[Comment]:
    """Official answers first, then top-level comments oldest first, each with its
    replies and authors."""
    return list(
        Comment.objects.filter(idea=idea, parent__isnull=True)
        .select_related(*member_related("author"))
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Comment.objects.select_related(
                    *member_related("author")
                ).order_by("created_at", "id"),
            )
        )
        .order_by("-is_official", "created_at", "id")
    )


def public_timeline(idea: Idea) -> list[StatusChange]:
    """The steps everybody may see: moderation (pending, hidden) stays private."""
    private = [IdeaStatus.PENDING, IdeaStatus.HIDDEN]
    return list(
        idea.status_changes.exclude(new_status__in=private)
        .exclude(old_status__in=private)
        .select_related("actor")
        .order_by("created_at", "id")
    )
