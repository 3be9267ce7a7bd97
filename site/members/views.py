from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cocreate import uploads
from cocreate.images import FileNotStored, ImageRejected
from cocreate.members.forms import ProfileForm
from cocreate.members.services import update_profile


@uploads.limited_uploads
@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request):
    posted = request.method == "POST"
    form = ProfileForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial={
            "display_name": request.user.display_name,
            "contact_consent": request.user.contact_consent,
        },
        **uploads.form_kwargs(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_profile(
                member=request.user,
                display_name=form.cleaned_data["display_name"],
                avatar=form.cleaned_data.get("avatar"),
                contact_consent=form.cleaned_data["contact_consent"],
            )
        except (ImageRejected, FileNotStored) as exc:
            request.user.refresh_from_db()  # the service rolled the name back too
            form.add_error("avatar", str(exc))
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect(request.user)
    return render(request, "members/profile_form.html", {"form": form})
