from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cocreate.images import ImageRejected
from cocreate.members.forms import ProfileForm
from cocreate.members.services import update_profile
from ideas.models import PUBLIC_STATUSES, Comment, Idea
from ideas.selectors import supported_idea_ids, with_card_data


@require_GET
def profile(request, pk: int):
    member = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    ideas = list(
        with_card_data(
            Idea.objects.visible_to(request.user).filter(author=member)
        ).order_by("-created_at", "-id")[:50]
    )
    comments = list(
        Comment.objects.filter(
            author=member,
            removed_at__isnull=True,
            moderation="visible",
            idea__status__in=PUBLIC_STATUSES,
        )
        .select_related("idea")
        .order_by("-created_at", "-id")[:20]
    )
    return render(
        request,
        "members/profile.html",
        {
            "member": member,
            "ideas": ideas,
            "comments": comments,
            "supported_ids": supported_idea_ids(request.user, ideas),
            "page_title": member.public_name,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request):
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "display_name": request.user.display_name,
            "contact_consent": request.user.contact_consent,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_profile(
                member=request.user,
                display_name=form.cleaned_data["display_name"],
                avatar=form.cleaned_data.get("avatar"),
                contact_consent=form.cleaned_data["contact_consent"],
            )
        except ImageRejected as exc:
            form.add_error("avatar", str(exc))
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect(request.user)
    return render(request, "members/profile_form.html", {"form": form})
