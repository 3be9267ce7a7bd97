"""The points the seeded history earned, with the levels and badges they reach.

The seed sends no domain events, so this pays what the earning rules would have
paid, dated when each thing happened.
"""

from __future__ import annotations

import datetime

from cocreate.demo.context import Demo
from ideas.models import (
    PUBLIC_STATUSES,
    CampaignPage,
    Comment,
    Idea,
    IdeaStatus,
    Support,
)
from rewards import history

# Steps of the lifecycle an idea passed to reach its status, and how many days
# after its campaign closed the product team took each.
LIFECYCLE = (
    (IdeaStatus.SHORTLISTED, 3),
    (IdeaStatus.IN_RND, 8),
    (IdeaStatus.SHIPPED, 12),
)


def import_points_history(demo: Demo) -> history.Imported:
    """The points, levels and badges the community's past would have earned."""
    supports = [
        history.SupportFacts._make(row)
        for row in Support.objects.values_list(
            "pk", "idea_id", "member_id", "created_at"
        ).iterator(chunk_size=5000)
    ]
    comments = [
        history.CommentFacts._make(row)
        for row in Comment.objects.filter(removed_at__isnull=True)
        .values_list("pk", "idea_id", "author_id", "created_at")
        .iterator(chunk_size=5000)
    ]
    by_idea: dict[int, list[datetime.datetime]] = {}
    for support in supports:
        by_idea.setdefault(support.idea_id, []).append(support.created_at)
    pages = {page.pk: page for page in CampaignPage.objects.all()}
    ideas = []
    for (
        pk,
        author_id,
        campaign_id,
        title,
        status,
        created_at,
    ) in Idea.objects.values_list(
        "pk", "author_id", "campaign_id", "title", "status", "created_at"
    ).iterator(chunk_size=5000):
        if status not in PUBLIC_STATUSES:
            ideas.append(history.IdeaFacts(pk, author_id, campaign_id, title, None))
            continue
        campaign = pages.get(campaign_id)
        ideas.append(
            history.IdeaFacts(
                pk,
                author_id,
                campaign_id,
                title,
                created_at,
                status_steps(
                    demo, status, created_at, campaign, sorted(by_idea.get(pk, ()))
                ),
            )
        )
    return history.import_history(ideas=ideas, supports=supports, comments=comments)


def status_steps(
    demo: Demo,
    status: str,
    published_at: datetime.datetime,
    campaign: CampaignPage | None,
    supported_at: list[datetime.datetime],
) -> tuple[tuple[str, datetime.datetime], ...]:
    """The steps an idea in this status went through, and when: its review
    when its campaign's threshold was reached, then the product team's calls.
    """
    steps = []
    threshold = campaign.support_threshold if campaign else None
    if (
        status in (IdeaStatus.UNDER_REVIEW, *(step for step, _days in LIFECYCLE))
        and threshold
        and len(supported_at) >= threshold
    ):
        steps.append((IdeaStatus.UNDER_REVIEW, supported_at[threshold - 1]))
    reached = [step for step, _days in LIFECYCLE]
    if status in reached:
        closed = published_at
        if (
            campaign is not None
            and campaign.ends_on
            and (campaign.ends_on < demo.today)
        ):
            closed = datetime.datetime.combine(
                campaign.ends_on, datetime.time(18), tzinfo=datetime.UTC
            )
        latest = demo.now - datetime.timedelta(hours=1)
        for step, days in LIFECYCLE[: reached.index(status) + 1]:
            when = max(closed + datetime.timedelta(days=days), published_at)
            steps.append((step, min(when, latest)))
    return tuple(steps)
