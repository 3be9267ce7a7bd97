from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.i18n import LANGUAGE_QUERY_PARAMETER
from django.views.i18n import set_language as django_set_language

from cocreate import ratelimit, uploads
from cocreate.http import safe_next
from cocreate.i18n import supported
from cocreate.images import FileNotStored, ImageRejected
from cocreate.members import consents, services
from cocreate.members.forms import AcceptTermsForm, ConsentsForm, ProfileForm
from cocreate.members.middleware import HL_PARAMETER, without_hl
from cocreate.members.models import ConsentSource
from cocreate.members.services import ProfileLocked, update_profile


def set_language(request):
    """Django's ``set_language`` (a POST, with CSRF, that sets the language cookie
    and goes back to ``next``); a signed-in member's profile remembers the choice,
    since it wins over the cookie."""
    chosen = supported(request.POST.get(LANGUAGE_QUERY_PARAMETER))
    if request.method == "POST" and HL_PARAMETER in request.POST.get("next", ""):
        # Back to the page without a one-request ``?hl=``, which would win over
        # the language just chosen.
        request.POST = request.POST.copy()
        request.POST["next"] = without_hl(request.POST["next"])
    member = request.user
    if request.method == "POST" and chosen and member.is_authenticated:
        if not ratelimit.hit("language", str(member.pk)):
            messages.error(
                request, _("Too many changes in a short time; please try again later.")
            )
            return HttpResponseRedirect(
                safe_next(request, request.POST.get("next"), default="/")
            )
        if member.language != chosen:
            services.set_language(member=member, language=chosen)
    return django_set_language(request)


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
            "language": request.user.language,
        },
        **uploads.form_kwargs(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_profile(
                member=request.user,
                display_name=form.cleaned_data["display_name"],
                avatar=form.cleaned_data.get("avatar"),
                language=form.cleaned_data.get("language", ""),
            )
        except (ImageRejected, FileNotStored) as exc:
            request.user.refresh_from_db()  # the service rolled the name back too
            form.add_error("avatar", str(exc))
        except ProfileLocked as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect(request.user)
    return render(request, "members/profile_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def edit_consents(request):
    """The member's opt-ins and the legal documents they accepted, in one place."""
    member = request.user
    form = ConsentsForm(
        request.POST or None,
        initial={
            f"consent_{purpose}": getattr(member, field)
            for purpose, field in consents.OPT_IN_FIELDS.items()
        },
    )
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit("consents", str(member.pk)):
            form.add_error(
                None, _("Too many changes in a short time; please try again later.")
            )
        else:
            form.save_opt_ins(member, source=ConsentSource.SETTINGS)
            messages.success(request, _("Your choices are saved."))
            return redirect("members:consents")
    return render(
        request,
        "members/consents.html",
        {
            "form": form,
            "legal_versions": consents.current_legal_versions(),
            "records": consents.history(member),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def accept_terms(request):
    """ "We updated our terms": read the new versions, accept, go back to ``next``."""
    next_url = safe_next(
        request, request.POST.get("next") or request.GET.get("next"), default="/"
    )
    versions = consents.current_legal_versions()
    pending = consents.needs_acceptance(request.user)
    if request.method == "POST" and not pending:
        return redirect(next_url)  # accepted already (a second tab, a double click)
    form = AcceptTermsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        consents.accept_legal(
            member=request.user, source=ConsentSource.REACCEPT, versions=versions
        )
        messages.success(request, _("Thank you: you can take part again."))
        return redirect(next_url)
    return render(
        request,
        "members/accept_terms.html",
        {"form": form, "versions": versions, "next": next_url, "pending": pending},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def sign_in_through_allauth(request):
    """Wagtail's own log-in forms (the admin's, the private pages') are replaced by
    allauth's, with its limits, email verification and second factor. Whatever
    the method, nobody is logged in here: the browser goes to allauth's form,
    keeping a safe ``next``."""
    url = reverse("account_login")
    next_url = safe_next(request, request.GET.get(REDIRECT_FIELD_NAME), default="")
    if next_url:
        url = f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"
    return HttpResponseRedirect(url)
