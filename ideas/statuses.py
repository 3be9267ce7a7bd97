"""The idea lifecycle's vocabulary, published for the other apps.

``rewards`` and ``cocreate.notifications`` may import this module and
``ideas.events``, nothing else of ``ideas``. It imports nothing of the project.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdeaStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    UNDER_REVIEW = "under_review", _("Under review")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    IN_RND = "in_rnd", _("In R&D")
    SHIPPED = "shipped", _("Shipped")
    DECLINED = "declined", _("Declined")
    DUPLICATE = "duplicate", _("Duplicate")
    HIDDEN = "hidden", _("Hidden")
    REMOVED = "removed", _("Removed by its author")


#: Statuses everybody can see.
PUBLIC_STATUSES = (
    IdeaStatus.PUBLISHED,
    IdeaStatus.UNDER_REVIEW,
    IdeaStatus.SHORTLISTED,
    IdeaStatus.IN_RND,
    IdeaStatus.SHIPPED,
    IdeaStatus.DECLINED,
    IdeaStatus.DUPLICATE,
)
#: Statuses in which members can still support and comment.
OPEN_STATUSES = (
    IdeaStatus.PUBLISHED,
    IdeaStatus.UNDER_REVIEW,
    IdeaStatus.SHORTLISTED,
    IdeaStatus.IN_RND,
    IdeaStatus.SHIPPED,
)
#: Statuses whose page everybody who may see the campaign opens, though no list
#: shows them: an idea its author removed when erasing their account keeps its
#: page, so links in comments and notifications lead to its discussion.
READABLE_STATUSES = (*PUBLIC_STATUSES, IdeaStatus.REMOVED)


def status_in_sentence(status: str) -> str:
    """A status's name inside a sentence ("already in R&D", « déjà en R&D »):
    only its first letter lowers, so acronyms keep their capitals."""
    label = str(IdeaStatus(status).label)
    return label[:1].lower() + label[1:]
