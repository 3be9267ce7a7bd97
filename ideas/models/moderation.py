"""Moderation: reports, reusable hiding reasons, merges and the settings of what
waits for a moderator."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from cocreate.i18n import Translatable, translated_panels, translation_of
from ideas.models.ideas import Comment, Idea, IdeaStatus


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Offensive or abusive")
    OFF_TOPIC = "off_topic", _("Off-topic")
    DUPLICATE = "duplicate", _("Duplicate of another idea")
    PERSONAL_DATA = "personal_data", _("Personal data")


class Report(models.Model):
    """A member flags an idea or a comment for the moderators; once per item."""

    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    text = models.TextField(_("details"), blank=True, max_length=1_000)
    duplicate_of = models.ForeignKey(
        Idea,
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution = models.CharField(
        _("outcome"),
        max_length=20,
        blank=True,
        choices=[
            ("kept", _("Kept")),
            ("hidden", _("Hidden")),
            ("restored", _("Restored")),
        ],
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["resolved_at", "created_at"], name="report_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=ReportReason.values), name="report_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(comment__isnull=True) | Q(idea__isnull=True),
                name="report_one_target",
            ),
            models.CheckConstraint(
                condition=Q(comment__isnull=False) | Q(idea__isnull=False),
                name="report_has_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "idea"],
                condition=Q(idea__isnull=False),
                name="report_idea_once",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(comment__isnull=False),
                name="report_comment_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.idea_id or self.comment_id})"

    @property
    def target(self):
        return self.comment if self.comment_id else self.idea


class ModerationReason(Translatable, models.Model):
    """A reusable reason for hiding content; its message is sent to the author."""

    title = models.CharField(_("title"), max_length=80, unique=True)
    title_fr = translation_of(title)
    message = models.TextField(
        _("message to the author"),
        help_text=_("Explain what was wrong and how to take part within the rules."),
    )
    message_fr = translation_of(message)

    translated_fields = ("title", "message")
    panels = translated_panels("title", "message")

    class Meta:
        verbose_name = _("moderation reason")
        verbose_name_plural = _("moderation reasons")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.i18n.title


class Merge(models.Model):
    """Idea ``source`` merged as a duplicate into ``target``; undone, not deleted.

    The ids of the supports and follows that moved are kept, so an undo puts back
    exactly those and nobody is ever counted twice.
    """

    source = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    source_status = models.CharField(max_length=20, choices=IdeaStatus.choices)
    moved_support_ids = models.JSONField(default=list)
    moved_follow_ids = models.JSONField(default=list)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"],
                condition=Q(undone_at__isnull=True),
                name="merge_once_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"


@register_setting(icon="warning")
class ModerationSettings(BaseGenericSetting):
    """How much the community moderates itself and what waits for a moderator."""

    report_threshold = models.PositiveIntegerField(
        _("reports that hide an item"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Reports hide an item until reviewed when their weight reaches this: "
            "an established member's report weighs about 1, more or less by how "
            "moderators resolved their past reports."
        ),
    )
    report_min_account_days = models.PositiveIntegerField(
        _("days before a member's reports can hide"),
        default=7,
        help_text=_(
            "Reports from younger or unverified accounts reach the queue but hide "
            "nothing."
        ),
    )
    report_related_minutes = models.PositiveIntegerField(
        _("minutes between accounts that report as one"),
        default=60,
        help_text=_(
            "Reporters whose accounts were created this close together count once."
        ),
    )
    premoderated_contributions = models.PositiveIntegerField(
        _("first contributions that wait for a moderator"),
        default=0,
        help_text=_("A new member's first ideas and comments; 0 publishes at once."),
    )
    new_member_contributions = models.PositiveIntegerField(
        _("contributions before a member is no longer new"),
        default=5,
        help_text=_("The word list and the link limit apply to new members."),
    )
    new_member_link_limit = models.PositiveIntegerField(
        _("links a new member may post at once"), default=2
    )
    blocked_words = models.TextField(
        _("word list"),
        blank=True,
        help_text=_("One word or phrase per line; a new member's match waits."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("report_threshold"),
                FieldPanel("report_min_account_days"),
                FieldPanel("report_related_minutes"),
            ],
            heading=_("Reports"),
        ),
        FieldPanel("premoderated_contributions"),
        MultiFieldPanel(
            [
                FieldPanel("new_member_contributions"),
                FieldPanel("new_member_link_limit"),
                FieldPanel("blocked_words"),
            ],
            heading=_("New members"),
        ),
    ]

    class Meta:
        verbose_name = _("moderation")

    def word_list(self) -> list[str]:
        return [w.strip().lower() for w in self.blocked_words.splitlines() if w.strip()]
