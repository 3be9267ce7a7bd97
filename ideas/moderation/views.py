"""On the site: members report content; the brand team answers officially, moves
ideas along and moderates inline. Views parse, check and call one service."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cocreate.http import member_required
from cocreate.params import clean_text, int_param
from ideas import discussion, permissions, workflow
from ideas.errors import IdeaError
from ideas.forms import HideForm, OfficialAnswerForm, ReportForm, StatusForm
from ideas.models import Comment, Idea
from ideas.moderation import services as moderation
from ideas.views import _visible_idea, detail_context


def _report(request, *, idea: Idea, comment: Comment | None):
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicate = None
        if data["duplicate_of"]:
            duplicate = (
                Idea.objects.public(request.user)
                .filter(pk=data["duplicate_of"])
                .first()
            )
            if duplicate is None:
                form.add_error("duplicate_of", _("There is no such public idea."))
        if not form.errors:
            try:
                moderation.report(
                    reporter=request.user,
                    idea=None if comment else idea,
                    comment=comment,
                    reason=data["reason"],
                    text=data["text"],
                    duplicate_of=duplicate,
                )
            except IdeaError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("Thank you: the moderators will look at it.")
                )
                return redirect(comment.get_absolute_url() if comment else idea)
    return render(
        request,
        "ideas/report_form.html",
        {"form": form, "idea": idea, "comment": comment, "page_title": _("Report")},
        status=400 if form.errors else 200,
    )


@member_required
@require_http_methods(["GET", "POST"])
def report_idea(request, pk: int):
    return _report(request, idea=_visible_idea(request, pk), comment=None)


@member_required
@require_http_methods(["GET", "POST"])
def report_comment(request, pk: int, comment_pk: int):
    idea = _visible_idea(request, pk)
    comment = get_object_or_404(Comment, pk=comment_pk, idea=idea, moderation="visible")
    return _report(request, idea=idea, comment=comment)


def _refused(request) -> HttpResponse:
    """Not allowed: a 404, as to anybody outside the brand team; but a staff
    account that has yet to set up its second factor is told so, and led there."""
    if permissions.second_factor_pending(request.user):
        messages.warning(
            request,
            _(
                "Set up two-factor authentication before you moderate, answer "
                "or change statuses: add an authenticator app or a security key "
                "below, then come back."
            ),
        )
        return redirect("mfa_index")
    raise Http404(_("No such idea."))


def _page_again(request, idea: Idea, **typed) -> HttpResponse:
    """The idea page again after a brand-team form failed, with what was typed."""
    idea.refresh_from_db()
    context = detail_context(request, idea, **typed)
    return render(request, "ideas/idea_detail.html", context, status=400)


@member_required
@require_POST
def official_answer(request, pk: int):
    idea = _visible_idea(request, pk)
    if not permissions.can_answer_officially(request.user, idea):
        return _refused(request)
    form = OfficialAnswerForm(request.POST, prefix="answer")
    if form.is_valid():
        try:
            comment = discussion.post_official_answer(
                author=request.user, idea=idea, body=form.cleaned_data["body"]
            )
        except IdeaError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your official answer is published."))
            return redirect(comment.get_absolute_url())
    else:
        messages.error(request, _("Please write the answer before posting."))
    return _page_again(request, idea, answer_form=form)


@member_required
@require_POST
def change_status(request, pk: int):
    idea = _visible_idea(request, pk)
    if not permissions.can_change_status(request.user):
        return _refused(request)
    form = StatusForm(request.POST, statuses=workflow.MANUAL_STATUSES, prefix="status")
    if form.is_valid():
        try:
            workflow.change_status(
                actor=request.user,
                idea=idea,
                new_status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except IdeaError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The status is changed; everyone is told."))
            return redirect(idea)
    else:
        messages.error(request, _("Choose a status and write a public note."))
    return _page_again(request, idea, status_form=form)


@member_required
@require_POST
def moderate(request, pk: int):
    """Inline moderation from the idea page: hide, restore, lock, unlock."""
    idea = _visible_idea(request, pk)
    if not permissions.can_moderate(request.user):
        return _refused(request)
    action = request.POST.get("action", "")
    target: Idea | Comment = idea
    comment_pk = int_param(request.POST, "comment")
    if comment_pk is not None:
        target = get_object_or_404(Comment, pk=comment_pk, idea=idea)
    try:
        if action == "hide":
            form = HideForm(request.POST)
            form.is_valid()  # the service says what is missing
            moderation.hide(
                actor=request.user,
                content=target,
                reason=form.cleaned_data.get("reason", ""),
                template=form.cleaned_data.get("template"),
            )
        elif action == "restore":
            moderation.restore(actor=request.user, content=target)
        elif action == "approve":
            moderation.approve(actor=request.user, content=target)
        elif action in ("lock", "unlock"):
            moderation.lock_comments(
                actor=request.user, idea=idea, locked=action == "lock"
            )
        else:
            raise IdeaError(_("Unknown action."))
    except IdeaError as exc:
        messages.error(request, str(exc))
        if action == "hide":
            return _page_again(
                request,
                idea,
                hide_reason=clean_text(request.POST.get("reason", ""), max_length=2000),
                hide_comment=comment_pk,
            )
    else:
        messages.success(request, _("Done."))
    return redirect(idea)
