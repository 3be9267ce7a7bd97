"""Webhook subscriptions in the back office: the product team points its tools at
Cocreate's events, reads the delivery log, sends a test and redelivers.

Viewing needs ``ideas.view_webhooksubscription``; every action (add, edit, send
test, redeliver, new secret) needs ``ideas.change_webhooksubscription``. Actions
are POST only, rate-limited and written to the audit log.
"""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import CreateView, EditView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from cocreate.backoffice import PredicateRequiredMixin, ServiceFormMixin, too_fast
from ideas import permissions
from ideas.errors import IdeaError, InvalidInput
from ideas.integrations import webhooks
from ideas.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)

#: Deliveries per page of a subscription's log.
DELIVERIES_PER_PAGE = 50


def reverse_action(url_name: str, *objects) -> str:
    return reverse(url_name, args=[obj.pk for obj in objects])


class WebhookSubscriptionForm(WagtailAdminModelForm):
    url = forms.URLField(
        label=gettext_lazy("Target URL"),
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy(
            "Where deliveries are POSTed as JSON, e.g. "
            "https://tools.example.com/hooks/cocreate."
        ),
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Please choose at least one event.")},
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "events", "is_active"]
        help_texts = {
            "is_active": gettext_lazy(
                "A webhook whose deliveries fail too often in a row is switched off "
                "by itself; switching it on again starts a clean count."
            ),
        }


class WebhookCreateView(ServiceFormMixin, CreateView):
    """The target is checked by the service, as every delivery checks it."""

    domain_errors = (IdeaError,)

    def save_instance(self):
        return webhooks.save_subscription(
            actor=self.request.user, subscription=self.form.instance
        )


class WebhookEditView(ServiceFormMixin, EditView):
    """Edits the subscription; above the form, its secret to copy and a button for
    a new one."""

    template_name = "ideas/admin/webhooks/edit.html"
    regenerate_url_name = None
    domain_errors = (IdeaError,)

    def save_instance(self):
        return webhooks.save_subscription(
            actor=self.request.user, subscription=self.form.instance
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["secret"] = WebhookSubscription.objects.values_list(
            "secret", flat=True
        ).get(pk=self.object.pk)
        context["regenerate_url"] = reverse_action(
            self.regenerate_url_name, self.object
        )
        return context


class WebhookInspectView(InspectView):
    """The subscription, its delivery log (newest first, paginated) and its
    actions. Two queries for the log whatever its length."""

    template_name = "ideas/admin/webhooks/inspect.html"
    permission_required = "view"
    any_permission_required = None
    fields = ["name", "url", "events", "is_active", "disabled_at", "created_at"]
    test_url_name = None
    redeliver_url_name = None

    def get_events_display_value(self):
        labels = dict(WebhookEvent.choices)
        return ", ".join(str(labels.get(event, event)) for event in self.object.events)

    def get_is_active_display_value(self):
        if self.object.is_active:
            return _("Yes")
        return _("No")

    def get_disabled_at_display_value(self):
        return self.object.disabled_at or "—"

    @cached_property
    def page(self):
        deliveries = WebhookDelivery.objects.filter(subscription=self.object).order_by(
            "-created_at", "-id"
        )
        return Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(
            self.request.GET.get("p")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        may_act = permissions.can_manage_webhooks(self.request.user)
        deliveries = list(self.page)
        for delivery in deliveries:
            if may_act and delivery.status in (
                DeliveryStatus.DELIVERED,
                DeliveryStatus.FAILED,
            ):
                delivery.redeliver_url = reverse_action(
                    self.redeliver_url_name, self.object, delivery
                )
        context.update(
            deliveries=deliveries,
            page=self.page,
            may_act=may_act,
            failures=self.object.consecutive_failures,
            test_url=reverse_action(self.test_url_name, self.object)
            if may_act
            else None,
        )
        return context


class WebhookActionView(PredicateRequiredMixin, View):
    """POST only, rate-limited; comes back to the subscription's page."""

    permission_predicate = staticmethod(permissions.can_manage_webhooks)
    http_method_names = ["post"]
    inspect_url_name = None
    edit_url_name = None

    def post(self, request, pk, delivery_pk=None):
        subscription = get_object_or_404(WebhookSubscription, pk=pk)
        back = redirect(self.back_url_name, subscription.pk)
        if too_fast(request, "webhook"):
            return back
        try:
            self.perform(subscription, delivery_pk)
        except InvalidInput as error:
            messages.error(request, str(error))
        return back

    @property
    def back_url_name(self) -> str:
        return self.inspect_url_name

    def perform(self, subscription, delivery_pk) -> None:
        raise NotImplementedError

    def report(self, delivery: WebhookDelivery, what: str) -> None:
        """Say what came back, in words."""
        words = {"what": what, "code": delivery.response_code, "error": delivery.error}
        if delivery.status == DeliveryStatus.DELIVERED:
            messages.success(
                self.request,
                _("%(what)s delivered: the receiver answered %(code)s.") % words,
            )
        elif delivery.status == DeliveryStatus.RETRYING:
            messages.warning(
                self.request,
                _("%(what)s not delivered yet (%(error)s); it will be retried.")
                % words,
            )
        else:
            messages.error(self.request, _("%(what)s not delivered: %(error)s") % words)


class SendTestView(WebhookActionView):
    def perform(self, subscription, delivery_pk) -> None:
        delivery = webhooks.send_test(
            actor=self.request.user, subscription=subscription
        )
        self.report(delivery, _("Test"))


class RedeliverView(WebhookActionView):
    def perform(self, subscription, delivery_pk) -> None:
        delivery = get_object_or_404(
            WebhookDelivery.objects.select_related("subscription"),
            pk=delivery_pk,
            subscription=subscription,
        )
        if not subscription.is_active:
            raise InvalidInput(
                _("This webhook is switched off: switch it on before redelivering.")
            )
        copy = webhooks.redeliver(actor=self.request.user, delivery=delivery)
        self.report(copy, _("Redelivery"))


class RegenerateSecretView(WebhookActionView):
    @property
    def back_url_name(self) -> str:
        return self.edit_url_name

    def perform(self, subscription, delivery_pk) -> None:
        webhooks.regenerate_secret(actor=self.request.user, subscription=subscription)
        messages.success(
            self.request,
            _(
                "A new secret was made: copy it into the receiver now, deliveries "
                "are signed with it from this moment."
            ),
        )


class WebhookViewSet(ModelViewSet):
    model = WebhookSubscription
    name = "webhooks"
    url_prefix = "webhooks"
    url_namespace = "webhooks"
    icon = "link"
    menu_label = gettext_lazy("Webhooks")
    menu_order = 230
    add_to_admin_menu = True
    add_view_class = WebhookCreateView
    edit_view_class = WebhookEditView
    inspect_view_class = WebhookInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "name",
        Column("url", label=gettext_lazy("Target URL")),
        BooleanColumn("is_active", label=gettext_lazy("Active")),
        Column("consecutive_failures", label=gettext_lazy("Failures in a row")),
    ]
    search_fields = ["name", "url"]
    search_backend_name = None
    ordering = ["name", "id"]

    def get_form_class(self, for_update=False):
        return WebhookSubscriptionForm

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            inspect_url_name=self.get_url_name("inspect"), **kwargs
        )

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            regenerate_url_name=self.get_url_name("regenerate_secret"), **kwargs
        )

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            test_url_name=self.get_url_name("test"),
            redeliver_url_name=self.get_url_name("redeliver"),
            **kwargs,
        )

    def get_urlpatterns(self):
        action_kwargs = {
            "inspect_url_name": self.get_url_name("inspect"),
            "edit_url_name": self.get_url_name("edit"),
        }
        return [
            *super().get_urlpatterns(),
            path(
                "test/<int:pk>/",
                SendTestView.as_view(**action_kwargs),
                name="test",
            ),
            path(
                "redeliver/<int:pk>/<int:delivery_pk>/",
                RedeliverView.as_view(**action_kwargs),
                name="redeliver",
            ),
            path(
                "secret/<int:pk>/",
                RegenerateSecretView.as_view(**action_kwargs),
                name="regenerate_secret",
            ),
        ]
