"""Idea views: parse input, check access, call one service, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cocreate import overload, private_media, uploads
from cocreate.http import is_htmx, member_required, safe_next
from cocreate.members.consents import require_current_terms
from cocreate.params import int_list_param, int_param
from ideas import (
    discussion,
    following,
    page_cache,
    permissions,
    posting,
    selectors,
    voting,
    workflow,
)
from ideas.errors import AlreadyDone, IdeaError, StorageFailed
from ideas.forms import CommentForm, IdeaForm, OfficialAnswerForm, StatusForm
from ideas.models import (
    Comment,
    Follow,
    Idea,
    IdeaImage,
    IdeaStatus,
    Merge,
    Support,
    access,
)


class IdeaNotVisible(Http404):
    """A 404, unless signing in would show the idea (``sign_in``): the idea of a
    campaign open to every signed-in member leads a visitor to the log-in page."""

    def __init__(self, *args, sign_in: bool = False):
        super().__init__(*args)
        self.sign_in = sign_in


def _visible_idea(request, pk: int) -> Idea:
    try:
        idea = selectors.idea_for_page(pk)
    except Idea.DoesNotExist as exc:
        raise Http404(_("No such idea.")) from exc
    if not permissions.can_view_idea(request.user, idea):
        raise IdeaNotVisible(
            _("No such idea."),
            sign_in=not request.user.is_authenticated
            and idea.is_public
            and permissions.sign_in_would_show(idea),
        )
    return idea


def _visible_idea_or_sign_in(request, pk: int) -> Idea | HttpResponse:
    try:
        return _visible_idea(request, pk)
    except IdeaNotVisible as exc:
        if exc.sign_in:
            return redirect_to_login(request.get_full_path())
        raise


@require_GET
@page_cache.cached_for_visitors(page_cache.list_scopes)
def idea_list(request):
    context = selectors.idea_list_context(request)
    template = (
        "ideas/_idea_results.html" if is_htmx(request) else "ideas/idea_list.html"
    )
    return render(request, template, context)


def detail_context(
    request,
    idea: Idea,
    *,
    comment_form: CommentForm | None = None,
    answer_form: OfficialAnswerForm | None = None,
    status_form: StatusForm | None = None,
    hide_reason: str = "",
    hide_comment: int | None = None,
) -> dict:
    """What the idea page shows; a form that failed comes back bound, so the page
    keeps what the person typed (``hide_reason`` for the idea, or for the comment
    ``hide_comment``)."""
    user = request.user
    can_change_status = permissions.can_change_status(user)
    supported, following = selectors.supports_and_follows(user, idea)
    return {
        "idea": idea,
        "page_title": _("Idea removed") if idea.is_removed else idea.title,
        "comments": selectors.comment_thread(idea),
        "timeline": selectors.public_timeline(idea),
        "comment_form": comment_form or CommentForm(),
        "can_moderate": permissions.can_moderate(user),
        "can_report": permissions.participates(user)
        and idea.author_id != user.pk
        and not idea.is_removed,
        "can_answer": permissions.can_answer_officially(user, idea),
        "answer_form": answer_form or OfficialAnswerForm(prefix="answer"),
        "status_form": (
            status_form
            or StatusForm(statuses=workflow.MANUAL_STATUSES, prefix="status")
        )
        if can_change_status and idea.status in workflow.WORKFLOW_STATUSES
        else None,
        "hide_reason": hide_reason,
        "hide_comment": hide_comment,
        "supported": supported,
        "following": following,
        "can_support": permissions.can_support(user, idea),
        "can_comment": permissions.can_comment(user, idea),
        "can_follow": permissions.can_follow(user, idea),
        "can_edit": permissions.can_edit_idea(user, idea),
        # The product team's evaluation page in the admin (scores, shortlists, R&D).
        "can_evaluate": permissions.can_evaluate(user),
    }


@require_GET
@page_cache.cached_for_visitors(page_cache.idea_scopes)
def idea_detail(request, pk: int):
    idea = _visible_idea_or_sign_in(request, pk)
    if isinstance(idea, HttpResponse):
        return idea
    # The idea it was merged into is named, linked and led to only for those who
    # may see it (its campaign may be closed to this viewer).
    merged_into = (
        idea.merged_into
        if idea.merged_into_id
        and permissions.can_view_idea(request.user, idea.merged_into)
        else None
    )
    if merged_into is not None and "stay" not in request.GET:
        # A duplicate leads to the idea it was merged into; its own page (and its
        # comments) stay readable from there.
        target = reverse("ideas:detail", args=[merged_into.pk])
        return redirect(f"{target}?merged={idea.pk}")
    context = detail_context(request, idea)
    context["merged_into"] = merged_into
    if idea.status == IdeaStatus.DUPLICATE and context["can_moderate"]:
        context["open_merge"] = Merge.objects.filter(
            source=idea, undone_at__isnull=True
        ).first()
    merged = int_param(request.GET, "merged")
    if merged is not None:
        merged_from = Idea.objects.filter(pk=merged, merged_into=idea).first()
        if merged_from and permissions.can_view_campaign(
            request.user, merged_from.campaign_id
        ):
            context["merged_from"] = merged_from
    return render(request, "ideas/idea_detail.html", context)


@uploads.limited_uploads
@member_required
@require_http_methods(["GET", "POST"])
def idea_create(request):
    # Before the form, so nobody types an idea that the service would refuse.
    require_current_terms(request.user)
    initial = {}
    campaign = int_param(request.GET, "campaign")
    if campaign is not None:
        initial["campaign"] = campaign
    posted = request.method == "POST"
    form = IdeaForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=initial,
        member=request.user,
        **uploads.form_kwargs(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            idea = posting.create_idea(
                author=request.user,
                title=data["title"],
                description=data["description"],
                campaign=data.get("campaign"),
                category=data.get("category"),
                tags=data["tags"],
                images=data["images"],
                language=data["language"],
            )
        except StorageFailed as exc:
            # Beside the file input, whose note asks for the images again.
            form.add_error("images", str(exc))
        except IdeaError as exc:
            form.add_error(None, str(exc))
        else:
            if idea.is_public:
                messages.success(request, _("Your idea is published. Thank you!"))
            else:
                messages.info(
                    request,
                    _("Thank you! Your idea will appear once a moderator approves it."),
                )
            return redirect(idea)
    return render(request, "ideas/idea_form.html", {"form": form, "editing": False})


@uploads.limited_uploads
@member_required
@require_http_methods(["GET", "POST"])
def idea_edit(request, pk: int):
    idea = _visible_idea(request, pk)
    if idea.author_id != request.user.pk and not permissions.can_moderate(request.user):
        raise Http404(_("No such idea."))
    if not permissions.can_edit_idea(request.user, idea):
        messages.error(
            request,
            _(
                "This idea can no longer be edited: it has supports and is older than "
                "%d minutes."
            )
            % settings.COCREATE_IDEA_EDIT_MINUTES,
        )
        return redirect(idea)
    images = idea.ordered_images
    initial = {
        "title": idea.title,
        "description": idea.description,
        "category": idea.category_id,
        "language": idea.language,
        "tags": ", ".join(tag.name for tag in idea.tags.all()),
    }
    remove_ids = int_list_param(request.POST, "remove_images")
    posted = request.method == "POST"
    form = IdeaForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=initial,
        editing=True,
        existing_images=len(images) - len(remove_ids),
        member=request.user,
        **uploads.form_kwargs(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            posting.edit_idea(
                editor=request.user,
                idea=idea,
                title=data["title"],
                description=data["description"],
                category=data.get("category"),
                tags=data["tags"],
                language=data["language"],
                new_images=data["images"],
                remove_image_ids=remove_ids,
            )
        except StorageFailed as exc:
            form.add_error("images", str(exc))
        except IdeaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(idea)
    return render(
        request,
        "ideas/idea_form.html",
        {"form": form, "editing": True, "idea": idea, "images": images},
    )


@require_GET
def idea_image(request, pk: int, image_pk: int, rendition: str):
    """An idea's image, to those who may see the idea: long cached while the idea
    is public, never stored otherwise; a 404 (never cached) to everybody else, so
    hiding an idea makes its images unreachable at the same URL."""
    image = (
        IdeaImage.objects.select_related("idea").filter(pk=image_pk, idea_id=pk).first()
    )
    if (
        image is None
        or rendition not in IdeaImage.RENDITIONS
        or not permissions.can_view_idea(request.user, image.idea)
    ):
        return private_media.not_found(request)
    try:
        return private_media.serve(
            image.file_for(rendition).name,
            # Shared caches keep only what everybody may see: not the images of
            # a campaign kept for some.
            public=image.idea.is_public
            and access.open_to_everyone(image.idea.campaign_id),
        )
    except Http404:
        return private_media.not_found(request)


def _support_fragment(request, idea: Idea, *, supported: bool, error: str = ""):
    """The button box from what the service returned: no query of its own."""
    context = {
        "idea": idea,
        "supported": supported,
        "can_support": permissions.can_support(request.user, idea),
        "support_error": error,
    }
    return render(request, "ideas/_support_button.html", context)


def _support(request, pk: int) -> tuple[Idea | None, str]:
    """Support through the service, which reads the idea once under its lock; a
    support that went through proves the idea public. On a refusal the caller
    reads the idea afresh (a hidden idea is still a 404)."""
    try:
        return voting.support(member=request.user, idea=Idea(pk=pk)).idea, ""
    except Idea.DoesNotExist as exc:
        raise Http404(_("No such idea.")) from exc
    except AlreadyDone:
        return None, ""  # a double click: the button below shows the true state
    except IdeaError as exc:
        return None, str(exc)


def _support_target(request, pk: int) -> Idea:
    """The idea row alone (the button shows no tags or images), or a 404."""
    idea = Idea.objects.defer(*voting.LONG_TEXTS).filter(pk=pk).first()
    if idea is None or not permissions.can_view_idea(request.user, idea):
        raise Http404(_("No such idea."))
    return idea


def _withdraw(request, pk: int) -> tuple[Idea | None, str]:
    idea = _support_target(request, pk)  # hidden ideas keep their supports
    try:
        return voting.withdraw_support(member=request.user, idea=idea), ""
    except AlreadyDone:
        return None, ""
    except IdeaError as exc:
        return None, str(exc)


@member_required
@require_POST
@overload.guarded(htmx_slot="support-error")
def support_toggle(request, pk: int):
    withdrawing = request.POST.get("action", "support") == "withdraw"
    idea, error = (_withdraw if withdrawing else _support)(request, pk)
    if idea is None:
        idea = _support_target(request, pk)
        supported = Support.objects.filter(idea=idea, member=request.user).exists()
    else:
        supported = not withdrawing
    if is_htmx(request):
        return _support_fragment(request, idea, supported=supported, error=error)
    if error:
        messages.error(request, error)
    return redirect(
        safe_next(request, request.POST.get("next"), default=idea.get_absolute_url())
    )


@member_required
@require_POST
@overload.guarded
def follow_toggle(request, pk: int):
    idea = _visible_idea(request, pk)
    action = request.POST.get("action", "follow")
    error = ""
    try:
        if action == "unfollow":
            following.unfollow(member=request.user, idea=idea)
        else:
            following.follow(member=request.user, idea=idea)
    except AlreadyDone:
        pass
    except IdeaError as exc:
        error = str(exc)
    if is_htmx(request):
        return render(
            request,
            "ideas/_follow_button.html",
            {
                "idea": idea,
                "following": Follow.objects.filter(
                    idea=idea, member=request.user
                ).exists(),
                "can_follow": permissions.can_follow(request.user, idea),
                "follow_error": error,
            },
        )
    if error:
        messages.error(request, error)
    return redirect(idea)


@require_GET
def comment_list(request, pk: int):
    """The thread alone, for htmx refreshes when someone else comments."""
    idea = _visible_idea_or_sign_in(request, pk)
    if isinstance(idea, HttpResponse):
        return idea
    return render(
        request,
        "ideas/_comments.html",
        {
            "idea": idea,
            "comments": selectors.comment_thread(idea),
            "can_comment": permissions.can_comment(request.user, idea),
            "can_moderate": permissions.can_moderate(request.user),
        },
    )


@member_required
@require_POST
def comment_create(request, pk: int):
    idea = _visible_idea(request, pk)
    form = CommentForm(request.POST)
    comment = None
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = Comment.objects.filter(
                pk=form.cleaned_data["parent"], idea=idea
            ).first()
        try:
            comment = discussion.post_comment(
                author=request.user,
                idea=idea,
                body=form.cleaned_data["body"],
                parent=parent,
            )
        except IdeaError as exc:
            form.add_error("body", str(exc))
    if is_htmx(request):
        idea.refresh_from_db(fields=["comments_count"])
        response = render(
            request,
            "ideas/_comment_section.html",
            {
                "idea": idea,
                "comments": selectors.comment_thread(idea),
                "comment_form": form if comment is None else CommentForm(),
                "can_comment": permissions.can_comment(request.user, idea),
                "can_moderate": permissions.can_moderate(request.user),
            },
        )
        return response
    if comment is not None:
        return redirect(comment.get_absolute_url())
    context = detail_context(request, idea, comment_form=form)
    return render(request, "ideas/idea_detail.html", context, status=400)


def _own_comment(request, pk: int, comment_pk: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related("idea", "author"), pk=comment_pk, idea_id=pk
    )
    if not permissions.can_view_idea(request.user, comment.idea):
        raise Http404(_("No such comment."))
    return comment


@member_required
@require_http_methods(["GET", "POST"])
def comment_edit(request, pk: int, comment_pk: int):
    comment = _own_comment(request, pk, comment_pk)
    if not permissions.can_edit_comment(request.user, comment):
        messages.error(request, _("This comment can no longer be edited."))
        return redirect(comment.get_absolute_url())
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            discussion.edit_comment(
                editor=request.user, comment=comment, body=form.cleaned_data["body"]
            )
        except IdeaError as exc:
            form.add_error("body", str(exc))
        else:
            return redirect(comment.get_absolute_url())
    return render(
        request, "ideas/comment_form.html", {"form": form, "comment": comment}
    )


@member_required
@require_POST
def comment_delete(request, pk: int, comment_pk: int):
    comment = _own_comment(request, pk, comment_pk)
    try:
        discussion.remove_comment(actor=request.user, comment=comment)
    except IdeaError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your comment was removed."))
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect(comment.idea)
