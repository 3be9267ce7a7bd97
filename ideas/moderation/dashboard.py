"""The brand team's figures: ideas waiting for a first official answer, the median
time to one, and the panel on the admin dashboard."""

from __future__ import annotations

import datetime
import statistics

from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cocreate.backoffice import PredicateRequiredMixin
from ideas import permissions
from ideas.models import (
    PUBLIC_STATUSES,
    Comment,
    Idea,
    IdeaStatus,
    Report,
)


def unanswered_ideas():
    """Public ideas with no official answer yet, oldest first."""
    return (
        Idea.objects.filter(
            status__in=[s for s in PUBLIC_STATUSES if s != IdeaStatus.DUPLICATE],
            first_answered_at__isnull=True,
        )
        .exclude(status=IdeaStatus.DECLINED)
        .select_related("author", "campaign")
        .order_by("created_at", "id")
    )


class UnansweredView(PredicateRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_predicate = staticmethod(permissions.can_answer_at_all)
    template_name = "ideas/admin/unanswered.html"
    page_title = gettext_lazy("Unanswered ideas")
    header_icon = "help"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ideas = list(unanswered_ideas()[:200])
        context.update(
            ideas=ideas,
            total=unanswered_ideas().count(),
            now=timezone.now(),
            median=median_answer_words(),
        )
        return context


def median_answer_words(days: int = 30) -> str:
    """The median answer time in words ("3 hours, 20 minutes"); empty without data."""
    median = median_answer_time(days)
    if median is None:
        return ""
    now = timezone.now()
    return (
        timesince(now - median, now)
        if median.total_seconds() >= 60
        else _("less than a minute")
    )


def median_answer_time(days: int = 30) -> datetime.timedelta | None:
    """Median time from posting to the first official answer, for ideas answered
    in the last ``days`` days."""
    since = timezone.now() - datetime.timedelta(days=days)
    waits = [
        (answered - created).total_seconds()
        for created, answered in Idea.objects.filter(
            first_answered_at__gte=since
        ).values_list("created_at", "first_answered_at")
    ]
    if not waits:
        return None
    return datetime.timedelta(seconds=statistics.median(waits))


class BrandTeamPanel(Component):
    """On the admin dashboard: what waits for the brand team and how fast it answers."""

    name = "brand_team"
    order = 50
    template_name = "ideas/admin/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        context = {
            "can_moderate": permissions.can_moderate(self.user),
            "median": median_answer_words(),
            "unanswered": unanswered_ideas().count(),
            "unanswered_url": reverse("brand_team:unanswered"),
        }
        if context["can_moderate"]:
            context.update(
                pending=Idea.objects.filter(status=IdeaStatus.PENDING).count()
                + Comment.objects.filter(moderation="pending").count(),
                reported=Report.objects.filter(resolved_at__isnull=True).count(),
                queue_url=reverse("brand_team:queue"),
            )
        return context
