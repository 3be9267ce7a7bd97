"""The idea domain: campaigns, categories, ideas and what members do with them."""

from ideas.models.campaigns import CampaignPage, Category
from ideas.models.ideas import (
    OPEN_STATUSES,
    PUBLIC_STATUSES,
    Comment,
    Follow,
    Idea,
    IdeaImage,
    IdeaQuerySet,
    IdeaRevision,
    IdeaStatus,
    StatusChange,
    Support,
    TaggedIdea,
    idea_image_path,
)
from ideas.models.moderation import (
    Merge,
    ModerationReason,
    ModerationSettings,
    Report,
    ReportReason,
)

__all__ = [
    "OPEN_STATUSES",
    "PUBLIC_STATUSES",
    "CampaignPage",
    "Category",
    "Comment",
    "Follow",
    "Idea",
    "IdeaImage",
    "IdeaQuerySet",
    "IdeaRevision",
    "IdeaStatus",
    "Merge",
    "ModerationReason",
    "ModerationSettings",
    "Report",
    "ReportReason",
    "StatusChange",
    "Support",
    "TaggedIdea",
    "idea_image_path",
]
