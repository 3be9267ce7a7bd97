"""The bell, the list of notifications, preferences and one-click unsubscribe."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cocreate.http import is_htmx, member_required, safe_next
from cocreate.notifications import services
from cocreate.notifications.models import (
    DEFAULT_CHANNELS,
    MANDATORY_KINDS,
    Channel,
    Kind,
    Notification,
    Preference,
)

PER_PAGE = 30


@member_required
@require_GET
def bell(request):
    """The unread count in the menu, loaded after the page and on live updates."""
    count = Notification.objects.filter(
        recipient=request.user, read_at__isnull=True
    ).count()
    return render(request, "notifications/_bell.html", {"unread": count})


@member_required
@require_GET
def notification_list(request):
    page = Paginator(
        Notification.objects.filter(recipient=request.user), PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "page_title": _("Notifications")},
    )


@member_required
@require_POST
def mark_read(request, pk: int):
    services.mark_read(member=request.user, notification_id=pk)
    notification = Notification.objects.filter(pk=pk, recipient=request.user).first()
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Trigger"] = "bell-update"
        return response
    target = notification.url if notification and notification.url else None
    return redirect(safe_next(request, target, default="notifications:list"))


@member_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(member=request.user)
    messages.success(
        request,
        ngettext(
            "%d notification marked as read.", "%d notifications marked as read.", count
        )
        % count,
    )
    return redirect("notifications:list")


class PreferencesForm(forms.Form):
    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            choices = [
                c
                for c in Channel.choices
                if not (kind in MANDATORY_KINDS and c[0] == Channel.OFF)
            ]
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=choices,
                initial=current.get(kind.value, DEFAULT_CHANNELS[kind]),
                widget=forms.Select,
            )


PREFERENCES_TITLE = gettext_lazy("How you hear from us")


@member_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    current = dict(
        Preference.objects.filter(member=request.user).values_list("kind", "channel")
    )
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        services.set_preferences(member=request.user, channels=form.cleaned_data)
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "page_title": PREFERENCES_TITLE},
    )


@csrf_exempt  # mail clients post here (RFC 8058 one-click); the token authenticates
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET shows one button; POST (the button, or a mail client) unsubscribes."""
    try:
        member_id, kind = services.read_token(token)
    except services.BadToken as error:
        return render(
            request, "notifications/unsubscribe.html", {"error": str(error)}, status=400
        )
    label = Kind(kind).label if kind in Kind.values else _("your daily summary")
    if request.method == "POST":
        try:
            services.unsubscribe(token)
        except services.BadToken as error:
            return render(
                request,
                "notifications/unsubscribe.html",
                {"error": str(error)},
                status=400,
            )
        return render(
            request, "notifications/unsubscribe.html", {"done": True, "label": label}
        )
    return render(request, "notifications/unsubscribe.html", {"label": label})
