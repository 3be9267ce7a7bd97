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
from ideas.models.integrations import (
    ApiTokenScope,
    DeliveryStatus,
    TokenScope,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from ideas.models.moderation import (
    Merge,
    ModerationReason,
    ModerationSettings,
    Report,
    ReportReason,
)
from ideas.models.product import (
    Criterion,
    Promotion,
    Score,
    Shortlist,
    ShortlistEntry,
)

__all__ = [
    "OPEN_STATUSES",
    "PUBLIC_STATUSES",
    "ApiTokenScope",
    "Criterion",
    "DeliveryStatus",
    "Promotion",
    "Score",
    "Shortlist",
    "ShortlistEntry",
    "TokenScope",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookSubscription",
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
