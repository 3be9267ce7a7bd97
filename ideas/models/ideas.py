"""Ideas and what members do with them: images, revisions, supports, follows,
comments and the status timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.search import index

from cocreate.i18n import site_language
from cocreate.images import unguessable_name
from cocreate.private_media import private_storage
from ideas.models import access
from ideas.models.campaigns import CampaignPage, Category
from ideas.statuses import (
    OPEN_STATUSES,
    PUBLIC_STATUSES,
    READABLE_STATUSES,
    IdeaStatus,
)

#: The rows lists show; the condition of the list indexes.
LISTED = Q(status__in=PUBLIC_STATUSES)


class TaggedIdea(TaggedItemBase):
    content_object = models.ForeignKey(
        "ideas.Idea", on_delete=models.CASCADE, related_name="tagged_items"
    )


class IdeaQuerySet(models.QuerySet):
    def public(self, user=None):
        """Published ideas that ``user`` may see: those of private campaigns only
        for whom the campaign admits (see ``access``). Without a user, what every
        visitor sees: no private campaign at all."""
        closed = (
            access.restricted_campaigns()
            if user is None
            else access.closed_campaigns(user)
        )
        queryset = self.filter(status__in=PUBLIC_STATUSES)
        if closed:
            queryset = queryset.exclude(campaign_id__in=sorted(closed))
        return queryset

    def visible_to(self, user):
        """What ``user`` may open: public ideas of campaigns they may see, and
        their own ideas whatever their status or campaign."""
        if user.is_authenticated:
            closed = access.closed_campaigns(user)
            public = Q(status__in=PUBLIC_STATUSES)
            if closed:
                public &= ~Q(campaign_id__in=sorted(closed))
            return self.filter(public | Q(author=user))
        return self.public(user)


class Idea(index.Indexed, models.Model):
    """A product idea a member proposes, plain model for high volume (not a page)."""

    title = models.CharField(_("title"), max_length=140)
    description = models.TextField(_("description"), max_length=10_000)
    description_html = models.TextField(editable=False, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    campaign = models.ForeignKey(
        CampaignPage,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    tags = TaggableManager(through=TaggedIdea, blank=True, verbose_name=_("tags"))
    # The language its author wrote it in: ideas are never translated, and lists
    # filter by it.
    language = models.CharField(
        _("language"),
        max_length=10,
        default=site_language,
        db_index=True,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=IdeaStatus.choices,
        default=IdeaStatus.PUBLISHED,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Denormalised counters, updated with F() in the transaction of what they count.
    supports_count = models.PositiveIntegerField(_("supports"), default=0)
    comments_count = models.PositiveIntegerField(_("comments"), default=0)
    followers_count = models.PositiveIntegerField(_("followers"), default=0)
    hot_score = models.FloatField(_("hot score"), default=0.0)
    # Supports of the trending window (``ideas.trending``): the sum of the idea's
    # ``DailySupports`` rows, moved with each support and by ``refresh_trending``.
    recent_supports = models.PositiveIntegerField(
        _("supports this week"), default=0, editable=False
    )
    # The product team's weighted score (0-100), kept by ``ideas.scoring``.
    score = models.FloatField(_("score"), null=True, blank=True)
    scorers_count = models.PositiveIntegerField(_("scorers"), default=0)
    # Set by the status workflow and official answers (the brand team's side).
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    first_answered_at = models.DateTimeField(
        _("first official answer"), null=True, blank=True
    )
    comments_locked = models.BooleanField(_("comments locked"), default=False)
    hidden_reason = models.TextField(
        _("why hidden"), blank=True, help_text=_("Shown to the author.")
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_ideas",
    )

    objects = IdeaQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.FilterField("status"),
        index.FilterField("campaign_id"),
        index.FilterField("category_id"),
    ]

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-hot_score", "-id"]
        # Lists show public ideas only: each sort has a partial index over them
        # that hands out the first page in order (docs/performance.md).
        indexes = [
            models.Index(
                fields=["-hot_score", "-id"], name="idea_public_hot", condition=LISTED
            ),
            models.Index(
                fields=["-supports_count", "-id"],
                name="idea_public_top",
                condition=LISTED,
            ),
            models.Index(
                fields=["-created_at", "-id"], name="idea_public_new", condition=LISTED
            ),
            models.Index(
                fields=["-comments_count", "-id"],
                name="idea_public_discussed",
                condition=LISTED,
            ),
            models.Index(
                fields=["-recent_supports", "-hot_score", "-id"],
                name="idea_public_trending",
                condition=LISTED,
            ),
            models.Index(
                fields=["campaign", "-hot_score", "-id"],
                name="idea_public_campaign_hot",
                condition=LISTED,
            ),
            models.Index(fields=["author", "-created_at"], name="idea_author"),
            models.Index(
                fields=["status", "first_answered_at", "created_at"],
                name="idea_unanswered",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IdeaStatus.values), name="idea_status_valid"
            ),
        ]
        permissions = [
            ("moderate_idea", _("Can moderate ideas and comments")),
            ("change_idea_status", _("Can move ideas through the status workflow")),
            ("post_official_answer", _("Can post official answers")),
            ("score_idea", _("Can score ideas")),
            ("promote_idea", _("Can promote ideas into R&D and mark them shipped")),
            ("export_ideas", _("Can export ideas")),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == IdeaStatus.PENDING

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_readable(self) -> bool:
        """Its page opens for everybody who may see its campaign (``public()``
        lists only the public ones)."""
        return self.status in READABLE_STATUSES

    @property
    def is_removed(self) -> bool:
        """Removed by its author when erasing their account: unlisted, its page
        and discussion stay (``ideas.privacy``)."""
        return self.status == IdeaStatus.REMOVED


def idea_image_path(instance: IdeaImage, filename: str) -> str:
    """A random name: neither the idea, the author nor the original file shows."""
    return unguessable_name("ideas", filename)


class IdeaImage(models.Model):
    """A picture of an idea. Its files are private (``PRIVATE_MEDIA_ROOT``) and
    reach browsers only through ``ideas:image``, which asks ``can_view_idea``."""

    RENDITIONS = ("full", "thumb")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        upload_to=idea_image_path,
        storage=private_storage,
        width_field="width",
        height_field="height",
    )
    thumbnail = models.ImageField(upload_to=idea_image_path, storage=private_storage)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(
        _("description of the image"), max_length=200, blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("idea image")

    def __str__(self) -> str:
        return self.alt_text or self.image.name

    def url(self, rendition: str = "full") -> str:
        return reverse("ideas:image", args=[self.idea_id, self.pk, rendition])

    @property
    def full_url(self) -> str:
        return self.url("full")

    @property
    def thumbnail_url(self) -> str:
        return self.url("thumb")

    def file_for(self, rendition: str):
        return self.thumbnail if rendition == "thumb" else self.image


class IdeaRevision(models.Model):
    """A snapshot of an idea as it was saved; every edit adds one."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=140)
    description = models.TextField()
    category_name = models.CharField(max_length=80, blank=True)
    tag_names = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("idea revision")

    def __str__(self) -> str:
        return f"{self.title} ({self.created_at:%Y-%m-%d %H:%M})"


class Support(models.Model):
    """One member's vote for one idea; a constraint forbids counting anyone twice."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("support")
        constraints = [
            models.UniqueConstraint(fields=["idea", "member"], name="support_once"),
        ]
        indexes = [
            models.Index(fields=["idea", "created_at"], name="support_recent"),
            models.Index(fields=["created_at"], name="support_created"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.idea_id}"


class DailySupports(models.Model):
    """How many supports an idea received on one day (UTC) of the trending window.

    Kept by ``ideas.trending`` in the transaction of each support, so the trending
    sort reads a stored sum instead of counting supports; days that leave the
    window are subtracted from ``Idea.recent_supports`` and deleted.
    """

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="daily_supports"
    )
    day = models.DateField()
    supports = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("supports of a day")
        verbose_name_plural = _("supports per day")
        constraints = [
            models.UniqueConstraint(fields=["idea", "day"], name="daily_supports_once"),
        ]
        indexes = [models.Index(fields=["day"], name="daily_supports_day")]

    def __str__(self) -> str:
        return f"{self.idea_id} {self.day}: {self.supports}"


class Follow(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        constraints = [
            models.UniqueConstraint(fields=["idea", "member"], name="follow_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} follows {self.idea_id}"


class Comment(models.Model):
    """A comment or, with a parent, a reply; one level of nesting only."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    body = models.TextField(_("comment"), max_length=5_000)
    body_html = models.TextField(editable=False, default="")
    # An official answer of the brand team, shown first, with the answerer's role.
    is_official = models.BooleanField(_("official answer"), default=False)
    official_role = models.CharField(_("answered as"), max_length=60, blank=True)
    moderation = models.CharField(
        _("moderation"),
        max_length=10,
        choices=[
            ("visible", pgettext_lazy("comment", "Visible")),
            ("pending", pgettext_lazy("comment", "Awaiting moderation")),
            ("hidden", pgettext_lazy("comment", "Hidden by a moderator")),
        ],
        default="visible",
    )
    hidden_reason = models.TextField(_("why hidden"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["idea", "created_at"], name="comment_idea"),
            models.Index(fields=["author", "-created_at"], name="comment_author"),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return f"{self.idea.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def is_pending(self) -> bool:
        return self.moderation == "pending"

    @property
    def is_hidden(self) -> bool:
        return self.moderation == "hidden"


class StatusChange(models.Model):
    """One step of an idea's public timeline: who moved it where, when and why."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="status_changes"
    )
    old_status = models.CharField(max_length=20, choices=IdeaStatus.choices)
    new_status = models.CharField(max_length=20, choices=IdeaStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the site moved it (a support threshold)."),
    )
    note = models.TextField(_("public note"), blank=True, max_length=2_000)
    note_html = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["idea", "created_at"], name="status_idea")]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.old_status} → {self.new_status}"
