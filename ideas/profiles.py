"""A member's public profile: who they are, and the ideas and comments they
contributed. It lists ideas, so it lives in ``ideas`` (which may read members)
rather than in ``cocreate.members`` (which never imports the idea domain); its URL
stays ``members:profile`` (``/members/<id>/``, see ``ideas.urls``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ideas.models import Comment, Idea
from ideas.selectors import supported_idea_ids, with_card_rows


@require_GET
def profile(request, pk: int):
    member = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    ideas = list(
        with_card_rows(
            Idea.objects.visible_to(request.user).filter(author=member)
        ).order_by("-created_at", "-id")[:50]
    )
    comments = list(
        Comment.objects.filter(
            author=member,
            removed_at__isnull=True,
            moderation="visible",
            idea__in=Idea.objects.public(request.user),
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
