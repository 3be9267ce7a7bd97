"""The Privacy section of the account: download my data, erase my account."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cocreate import ratelimit
from cocreate.privacy import erasure, exports
from cocreate.privacy.errors import BadLink, PrivacyError
from cocreate.privacy.forms import ErasureForm
from cocreate.privacy.models import DataExport
from cocreate.privacy.storage import export_storage


def _context(request, form=None, link_error=""):
    member = request.user
    recent = list(DataExport.objects.filter(member=member)[:5])
    return {
        "exports": [
            (export, exports.download_url(export) if export.is_ready else "")
            for export in recent
        ],
        "scheduled": erasure.scheduled_erasure(member),
        "form": form or ErasureForm(member=member),
        "grace_days": settings.COCREATE_ERASURE_GRACE_DAYS,
        "link_days": settings.COCREATE_EXPORT_LINK_DAYS,
        "link_error": link_error,
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def privacy(request):
    if request.method == "GET":
        return render(request, "privacy/privacy.html", _context(request))
    action = request.POST.get("action", "")
    if action == "export":
        return _export(request)
    if action == "erase":
        return _erase(request)
    if action == "cancel":
        return _cancel(request)
    messages.error(request, _("Unknown action."))
    return redirect("privacy:home")


def _export(request):
    try:
        exports.request_export(member=request.user, actor=request.user)
    except PrivacyError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Your download is being prepared. We email you a link when it is "
                "ready; it also appears on this page."
            ),
        )
    return redirect("privacy:home")


def _erase(request):
    form = ErasureForm(request.POST, member=request.user)
    if not ratelimit.hit("privacy", str(request.user.pk)):
        form.is_valid()
        form.add_error(None, _("Too many tries; please wait an hour and try again."))
        return render(
            request, "privacy/privacy.html", _context(request, form), status=429
        )
    if not form.is_valid():
        return render(
            request, "privacy/privacy.html", _context(request, form), status=400
        )
    try:
        scheduled = erasure.request_erasure(
            member=request.user, actor=request.user, keep_content=form.keep_content
        )
    except PrivacyError as error:
        form.add_error(None, str(error))
        return render(
            request, "privacy/privacy.html", _context(request, form), status=400
        )
    messages.success(
        request,
        _("Your account will be erased on %(date)s. Until then you can cancel here.")
        % {"date": date_format(timezone.localdate(scheduled.due_at), "DATE_FORMAT")},
    )
    return redirect("privacy:home")


def _cancel(request):
    try:
        erasure.cancel_erasure(member=request.user, actor=request.user)
    except PrivacyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The erasure is cancelled; your account stays."))
    return redirect("privacy:home")


@never_cache
@login_required
@require_GET
def download(request, token: str):
    try:
        export = exports.open_download(token=token, user=request.user)
        handle = export_storage().open(export.file_name, "rb")
    except BadLink as error:
        return render(
            request,
            "privacy/privacy.html",
            _context(request, link_error=str(error)),
            status=404,
        )
    except OSError:
        return render(
            request,
            "privacy/privacy.html",
            _context(
                request,
                link_error=_(
                    "This download is no longer available. Ask for a new one."
                ),
            ),
            status=404,
        )
    stamp = export.created_at.strftime("%Y-%m-%d")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{settings.WAGTAIL_SITE_NAME.lower()}-my-data-{stamp}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store, private"
    return response
