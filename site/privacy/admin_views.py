"""The back office of privacy requests received by email: find the member, run
the same download or erasure as the member's own page, audit-logged."""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cocreate.backoffice import PredicateRequiredMixin, too_fast
from cocreate.members import consents
from cocreate.members.models import Purpose, User
from cocreate.privacy import erasure, exports, permissions
from cocreate.privacy.errors import PrivacyError
from cocreate.privacy.forms import StaffErasureForm
from cocreate.privacy.models import DataExport, Erasure


class FindMemberForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email address of the member"))


class ReferenceForm(forms.Form):
    reference = StaffErasureForm.base_fields["reference"]


class RequestsView(PredicateRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Scheduled erasures and a search by email address."""

    permission_predicate = staticmethod(permissions.can_handle_requests)
    template_name = "privacy/admin/requests.html"
    page_title = gettext_lazy("Privacy requests")
    header_icon = "lock"
    find_form = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            find_form=self.find_form or FindMemberForm(),
            scheduled=list(
                Erasure.objects.filter(
                    cancelled_at__isnull=True, completed_at__isnull=True
                )
                .select_related("member")
                .order_by("due_at")[:100]
            ),
        )
        return context

    def post(self, request):
        form = FindMemberForm(request.POST)
        if form.is_valid():
            member = User.objects.filter(
                email__iexact=form.cleaned_data["email"]
            ).first()
            if member is None:
                member = User.objects.filter(
                    emailaddress__email__iexact=form.cleaned_data["email"]
                ).first()
            if member is not None:
                return redirect("privacy_admin:member", member.pk)
            form.add_error("email", _("No member has this email address."))
        self.find_form = form
        return self.render_to_response(self.get_context_data(), status=400)


class MemberView(PredicateRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """A member's downloads and erasures, with the actions staff may run."""

    permission_predicate = staticmethod(permissions.can_handle_requests)
    template_name = "privacy/admin/member.html"
    header_icon = "lock"
    forms: dict = {}

    def dispatch(self, request, *args, **kwargs):
        self.member = get_object_or_404(User, pk=kwargs["pk"])
        self.forms = {}
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Privacy: %s") % self.member.public_name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("privacy_admin:requests"), "label": _("Privacy requests")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            member=self.member,
            exports=list(DataExport.objects.filter(member=self.member)[:10]),
            erasures=list(Erasure.objects.filter(member=self.member)),
            scheduled=erasure.scheduled_erasure(self.member),
            # Read-only: only the member changes their opt-ins.
            opt_ins=[
                (Purpose(purpose).label, getattr(self.member, field))
                for purpose, field in consents.OPT_IN_FIELDS.items()
            ],
            consent_records=consents.history(self.member),
            erased=erasure.is_erased(self.member),
            export_form=self.forms.get("export") or ReferenceForm(prefix="export"),
            erase_form=self.forms.get("erase") or StaffErasureForm(prefix="erase"),
            cancel_form=self.forms.get("cancel") or ReferenceForm(prefix="cancel"),
        )
        return context

    def post(self, request, pk: int):
        if too_fast(request, "privacy"):
            return redirect(request.path)
        action = request.POST.get("action", "")
        try:
            if action == "export":
                return self._export(request)
            if action == "erase":
                return self._erase(request)
            if action == "cancel":
                return self._cancel(request)
        except PrivacyError as error:
            messages.error(request, str(error))
            return self.render_to_response(self.get_context_data(), status=400)
        messages.error(request, _("Unknown action."))
        return redirect(request.path)

    def _invalid(self, name: str, form):
        self.forms[name] = form
        messages.error(request=self.request, message=_("Nothing was done; see below."))
        return self.render_to_response(self.get_context_data(), status=400)

    def _export(self, request):
        form = ReferenceForm(request.POST, prefix="export")
        if not form.is_valid():
            return self._invalid("export", form)
        exports.request_export(
            member=self.member,
            actor=request.user,
            reference=form.cleaned_data["reference"],
        )
        messages.success(
            request,
            _(
                "The download is being prepared; the member receives the link by "
                "email and downloads it once logged in."
            ),
        )
        return redirect(request.path)

    def _erase(self, request):
        form = StaffErasureForm(request.POST, prefix="erase")
        if not form.is_valid():
            return self._invalid("erase", form)
        done = erasure.request_erasure(
            member=self.member,
            actor=request.user,
            keep_content=form.keep_content,
            at_once=form.cleaned_data["at_once"],
            reference=form.cleaned_data["reference"],
        )
        if done.completed_at:
            messages.success(request, _("The account is erased."))
        else:
            messages.success(
                request,
                _("The erasure is scheduled for %(date)s; the member is emailed.")
                % {"date": done.due_at.date().isoformat()},
            )
        return redirect(request.path)

    def _cancel(self, request):
        form = ReferenceForm(request.POST, prefix="cancel")
        if not form.is_valid():
            return self._invalid("cancel", form)
        erasure.cancel_erasure(
            member=self.member,
            actor=request.user,
            reference=form.cleaned_data["reference"],
        )
        messages.success(request, _("The erasure is cancelled."))
        return redirect(request.path)
