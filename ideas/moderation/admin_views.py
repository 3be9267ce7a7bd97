"""Back-office views of the brand team: the moderation queue, a member's record with
sanctions, and the ideas that still wait for an official answer.

Each view checks a predicate of ``ideas.permissions`` (or the members'), parses the
form, calls one service and says in words what happened or why not.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cocreate.backoffice import PredicateRequiredMixin
from cocreate.members import permissions as member_permissions
from cocreate.members.models import Sanction, SanctionKind, User
from cocreate.members.sanctions import SanctionError, lift, sanction
from cocreate.params import int_param, text_param
from ideas import permissions
from ideas.errors import IdeaError
from ideas.forms import HideForm
from ideas.models import (
    Comment,
    Idea,
    IdeaStatus,
    Merge,
    ModerationReason,
    ModerationSettings,
    Report,
)
from ideas.moderation import merging, standing
from ideas.moderation import services as moderation

QUEUE_LIMIT = 100


def _count(model, field: str, **filters):
    return Coalesce(
        Subquery(
            model.objects.filter(**{field: OuterRef("pk")}, **filters)
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


def author_records(ids) -> dict[int, User]:
    """Each author with their history: ideas, sanctions and reports against them."""
    return {
        member.pk: member
        for member in User.objects.filter(pk__in=set(ids)).annotate(
            ideas_total=_count(Idea, "author"),
            sanctions_total=_count(Sanction, "member"),
            reports_against=_count(Report, "idea__author")
            + _count(Report, "comment__author"),
        )
    }


@dataclass
class QueueItem:
    content: Idea | Comment
    kind: str  # "idea" or "comment"
    waiting_since: datetime.datetime
    why: str  # "pending", "reported", "hidden"
    reports: list
    author: User
    weight: float = 0.0  # of the open reports, toward the hiding threshold

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.content.pk}"


def _open_reports():
    return Prefetch(
        "reports",
        queryset=Report.objects.filter(resolved_at__isnull=True)
        .select_related("reporter", "duplicate_of")
        .order_by("created_at"),
        to_attr="open_reports",
    )


def _first_open_report(field: str):
    return Subquery(
        Report.objects.filter(**{field: OuterRef("pk")}, resolved_at__isnull=True)
        .order_by("created_at")
        .values("created_at")[:1]
    )


def moderation_queue() -> list[QueueItem]:
    """Pending and reported ideas and comments, oldest first; constant queries."""
    ideas = (
        Idea.objects.annotate(first_report=_first_open_report("idea"))
        .filter(Q(status=IdeaStatus.PENDING) | Q(first_report__isnull=False))
        .select_related("campaign")
        .prefetch_related(_open_reports())
        .order_by("created_at")[:QUEUE_LIMIT]
    )
    comments = (
        Comment.objects.annotate(first_report=_first_open_report("comment"))
        .filter(Q(moderation="pending") | Q(first_report__isnull=False))
        .select_related("idea")
        .prefetch_related(_open_reports())
        .order_by("created_at")[:QUEUE_LIMIT]
    )
    ideas, comments = list(ideas), list(comments)
    authors = author_records([c.author_id for c in [*ideas, *comments]])
    weigh = _weigher([*ideas, *comments])
    items = []
    for idea in ideas:
        pending = idea.status == IdeaStatus.PENDING
        items.append(
            QueueItem(
                content=idea,
                kind="idea",
                waiting_since=idea.created_at if pending else idea.first_report,
                why="pending"
                if pending
                else ("hidden" if idea.status == IdeaStatus.HIDDEN else "reported"),
                reports=idea.open_reports,
                author=authors[idea.author_id],
                weight=weigh(idea.open_reports),
            )
        )
    for comment in comments:
        items.append(
            QueueItem(
                content=comment,
                kind="comment",
                waiting_since=comment.created_at
                if comment.is_pending
                else comment.first_report,
                why="pending"
                if comment.is_pending
                else ("hidden" if comment.is_hidden else "reported"),
                reports=comment.open_reports,
                author=authors[comment.author_id],
                weight=weigh(comment.open_reports),
            )
        )
    return sorted(items, key=lambda item: item.waiting_since)


def _weigher(contents):
    """What each item's open reports weigh, as ``report`` weighs them; the
    reporters' standings in one query for the whole queue."""
    config = ModerationSettings.load()
    standings = standing.standings(
        report.reporter_id for content in contents for report in content.open_reports
    )
    now = timezone.now()

    def weigh(reports) -> float:
        return standing.summed_weight(
            {report.reporter_id: standings[report.reporter_id] for report in reports},
            at=now,
            min_account_days=config.report_min_account_days,
            related_minutes=config.report_related_minutes,
        )

    return weigh


class MergeForm(forms.Form):
    target = forms.IntegerField(
        label=gettext_lazy("Number of the idea it duplicates"), min_value=1
    )
    note = forms.CharField(required=False, label=gettext_lazy("Public note"))


def _find(kind: str, pk: int) -> Idea | Comment:
    model = Comment if kind == "comment" else Idea
    return get_object_or_404(model.objects.select_related("author"), pk=pk)


class QueueView(PredicateRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET: the queue. POST: one action on one item, or a bulk approve or hide."""

    permission_predicate = staticmethod(permissions.can_moderate)
    template_name = "ideas/admin/moderation_queue.html"
    page_title = gettext_lazy("Moderation queue")
    header_icon = "warning"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            items=moderation_queue(),
            hide_form=HideForm(),
            report_threshold=ModerationSettings.load().report_threshold,
            reasons=list(ModerationReason.objects.all()),
            now=timezone.now(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if "do" in request.POST:  # a row's own button: "action|kind:pk"
            action, _bar, key = request.POST["do"].partition("|")
            keys = [key]
        else:  # the bulk buttons act on the ticked rows
            action = request.POST.get("action", "")
            keys = request.POST.getlist("items")
        items = []
        for key in keys:
            kind, _sep, raw_pk = key.partition(":")
            pk = int_param({"pk": raw_pk}, "pk")
            if kind in ("idea", "comment") and pk is not None:
                items.append(_find(kind, pk))
        if not items:
            messages.error(request, _("Choose at least one item first."))
            return redirect(request.path)
        try:
            done = self.apply(request, action, items)
        except IdeaError as error:
            messages.error(request, str(error))
            return self.again(request, selected=keys)
        else:
            if done:
                messages.success(
                    request,
                    ngettext("%(count)d item done.", "%(count)d items done.", done)
                    % {"count": done},
                )
            else:
                messages.warning(request, _("Nothing changed: it was already done."))
        return redirect(request.POST.get("next") or request.path)

    def again(self, request, *, selected: list[str]):
        """The queue again after an action failed, with the reason, the merge
        target and note typed and the rows ticked, so nothing is lost."""
        context = self.get_context_data()
        context.update(
            hide_form=HideForm(request.POST),
            merge_target=text_param(request.POST, "target", max_length=20),
            merge_note=text_param(request.POST, "note", max_length=500),
            selected=set(selected),
        )
        return self.render_to_response(context, status=400)

    def apply(self, request, action: str, items) -> int:
        actor = request.user
        if action == "approve":
            return moderation.bulk(moderation.approve, actor=actor, items=items)
        if action == "restore":
            return moderation.bulk(moderation.restore, actor=actor, items=items)
        if action == "hide":
            form = HideForm(request.POST)
            form.is_valid()
            data = form.cleaned_data
            return moderation.bulk(
                moderation.hide,
                actor=actor,
                items=items,
                reason=data.get("reason", ""),
                template=data.get("template"),
            )
        ideas = [item for item in items if isinstance(item, Idea)]
        if action in ("lock", "unlock") and not ideas:
            raise IdeaError(_("Only ideas have comments to lock."))
        if action in ("lock", "unlock"):
            return moderation.bulk(
                lambda *, actor, content: moderation.lock_comments(
                    actor=actor, idea=content, locked=action == "lock"
                ),
                actor=actor,
                items=ideas,
            )
        if action == "merge":
            form = MergeForm(request.POST)
            if not form.is_valid():
                raise IdeaError(_("Give the number of the idea it duplicates."))
            target = Idea.objects.filter(pk=form.cleaned_data["target"]).first()
            if target is None:
                raise IdeaError(_("There is no idea with this number."))
            if not ideas:
                raise IdeaError(_("Only ideas can be merged."))
            return moderation.bulk(
                lambda *, actor, content: merging.merge(
                    actor=actor,
                    source=content,
                    target=target,
                    note=form.cleaned_data["note"],
                ),
                actor=actor,
                items=ideas,
            )
        raise IdeaError(_("Unknown action."))


class UndoMergeView(PredicateRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_predicate = staticmethod(permissions.can_moderate)
    http_method_names = ["post"]

    def post(self, request, pk: int):
        record = get_object_or_404(Merge, pk=pk)
        try:
            merging.undo_merge(actor=request.user, merge_record=record)
        except IdeaError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The merge is undone."))
        return redirect(record.source.get_absolute_url())


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(choices=SanctionKind.choices, label=gettext_lazy("Kind"))
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Reason, shown to the member"),
    )
    until = forms.DateTimeField(
        required=False,
        label=gettext_lazy("Suspended until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class MemberRecordView(PredicateRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """A member's history for moderators, with sanctions to give and lift."""

    permission_predicate = staticmethod(member_permissions.can_sanction)
    template_name = "ideas/admin/member_record.html"
    header_icon = "user"
    sanction_form = None

    def get_page_title(self):
        return _("Member record: %s") % self.member.public_name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def dispatch(self, request, *args, **kwargs):
        self.member = get_object_or_404(User, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member = author_records([self.member.pk])[self.member.pk]
        context.update(
            member=member,
            sanctions=list(
                Sanction.objects.filter(member=member).select_related(
                    "actor", "lifted_by"
                )
            ),
            ideas=list(member.ideas.order_by("-created_at")[:20]),
            reports=list(
                Report.objects.filter(
                    Q(idea__author=member) | Q(comment__author=member)
                )
                .select_related("reporter", "idea", "comment")
                .order_by("-created_at")[:20]
            ),
            form=self.sanction_form or SanctionForm(),
        )
        return context

    def post(self, request, pk: int):
        if "lift" in request.POST:
            record = get_object_or_404(
                Sanction, pk=int_param(request.POST, "lift"), member=self.member
            )
            try:
                lift(actor=request.user, sanction_record=record)
            except SanctionError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The sanction is lifted."))
            return redirect(request.path)
        form = SanctionForm(request.POST)
        if form.is_valid():
            try:
                sanction(
                    actor=request.user,
                    member=self.member,
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                    until=form.cleaned_data["until"],
                )
            except SanctionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The sanction is recorded."))
                return redirect(request.path)
        messages.error(request, _("Nothing was recorded; see below why."))
        self.sanction_form = form
        return self.render_to_response(self.get_context_data())
