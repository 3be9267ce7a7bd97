from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cocreate.images import FileNotStored, ImageRejected
from cocreate.members.forms import ProfileForm
from cocreate.members.services import update_profile


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
        except (ImageRejected, FileNotStored) as exc:
            request.user.refresh_from_db()  # the service rolled the name back too
            form.add_error("avatar", str(exc))
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect(request.user)
    return render(request, "members/profile_form.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def sign_in_through_allauth(request):
    """Wagtail's own log-in forms (the admin's, the private pages') are replaced by
    allauth's, with its limits, email verification and second factor. Whatever
    the method, nobody is logged in here: the browser goes to allauth's form,
    keeping a safe ``next``."""
    url = reverse("account_login")
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        url = f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"
    return HttpResponseRedirect(url)
