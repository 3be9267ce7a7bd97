"""Back-office views of the points economy: the catalogue and its voucher pools,
and what the other back-office modules share (``admin_redemptions``: the queue
and payouts; ``admin_wallets``: wallets).

Every state change goes through a rewards service (rule 1 of DESIGN.md); these views
check the user may ask, parse the form, call one service and say in words what
happened or why not. The admin's URL decorator already requires admin access.
"""

from __future__ import annotations

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.widgets.button import Button, HeaderButton

from cocreate.backoffice import PredicateRequiredMixin
from cocreate.money import money_from_cents
from rewards import permissions, vouchers
from rewards.admin.forms import ImportVoucherCodesForm
from rewards.errors import RewardsError
from rewards.models import (
    OPEN_REDEMPTION_STATUSES,
    Redemption,
    Reward,
    RewardKind,
    VoucherCode,
)


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _money(cents: int, currency: str) -> str:
    return money_from_cents(cents, currency)


def history_buttons(view) -> list:
    """A link to the object's audit history (adjustments, decisions, exports)."""
    if not view.history_url_name:
        return []
    return [
        Button(
            _("History"),
            url=reverse(view.history_url_name, args=(view.object.pk,)),
            icon_name="history",
            priority=10,
        )
    ]


class ReadOnlyHistoryView(HistoryView):
    """The audit history of rows that change only through services: whoever may
    see the row may read its history; there is no edit form to link to."""

    any_permission_required = ["view"]
    inspect_url_name = None

    @cached_property
    def header_buttons(self):
        if not self.inspect_url_name:
            return []
        return [
            HeaderButton(
                _("Inspect"),
                url=reverse(self.inspect_url_name, args=(self.object.pk,)),
                icon_name="info-circle",
            )
        ]


# Catalogue -------------------------------------------------------------------


def reward_window(reward: Reward) -> str:
    if reward.available_from and reward.available_until:
        return f"{_when(reward.available_from)} – {_when(reward.available_until)}"
    if reward.available_from:
        return _("from %(when)s") % {"when": _when(reward.available_from)}
    if reward.available_until:
        return _("until %(when)s") % {"when": _when(reward.available_until)}
    return _("always")


def reward_pool(reward: Reward) -> str:
    """Codes left in a voucher's pool, and requests waiting for one."""
    if reward.kind != RewardKind.VOUCHER:
        return "—"
    text = str(reward.codes_left)
    if reward.codes_waiting:
        text += " " + ngettext(
            "(%(count)d waiting)", "(%(count)d waiting)", reward.codes_waiting
        ) % {"count": reward.codes_waiting}
    return text


def with_pool_counts(queryset):
    """Annotate codes left and open requests with subqueries: one query for any
    number of rewards, and no row multiplication from two joined counts."""
    codes_left = (
        VoucherCode.objects.filter(reward=OuterRef("pk"), redemption__isnull=True)
        .order_by()
        .values("reward")
        .annotate(count=Count("pk"))
        .values("count")
    )
    waiting = (
        Redemption.objects.filter(
            reward=OuterRef("pk"), status__in=OPEN_REDEMPTION_STATUSES
        )
        .order_by()
        .values("reward")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return queryset.annotate(
        codes_left=Coalesce(Subquery(codes_left, output_field=IntegerField()), 0),
        codes_waiting=Coalesce(Subquery(waiting, output_field=IntegerField()), 0),
    )


class RewardIndexView(IndexView):
    page_title = gettext_lazy("Catalogue")
    import_codes_url_name = None

    def get_base_queryset(self):
        return with_pool_counts(super().get_base_queryset())

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if (
            instance.kind == RewardKind.VOUCHER
            and self.import_codes_url_name
            and permissions.can_import_vouchers(self.request.user)
        ):
            buttons.append(
                MenuItem(
                    _("Import voucher codes"),
                    url=reverse(self.import_codes_url_name, args=(instance.pk,)),
                    icon_name="upload",
                    priority=15,
                )
            )
        return buttons


class RewardEditView(EditView):
    import_codes_url_name = None

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if (
            self.object.kind == RewardKind.VOUCHER
            and self.import_codes_url_name
            and permissions.can_import_vouchers(self.request.user)
        ):
            buttons.append(
                Button(
                    _("Import voucher codes"),
                    url=reverse(self.import_codes_url_name, args=(self.object.pk,)),
                    icon_name="upload",
                    priority=5,
                )
            )
        return buttons


class ImportVoucherCodesView(
    PredicateRequiredMixin, WagtailAdminTemplateMixin, FormView
):
    """Add codes to a voucher reward's pool from an uploaded or pasted CSV."""

    permission_predicate = staticmethod(permissions.can_import_vouchers)
    template_name = "rewards/admin/import_codes.html"
    form_class = ImportVoucherCodesForm
    page_title = gettext_lazy("Import voucher codes")
    header_icon = "upload"
    index_url_name = None
    edit_url_name = None
    redemptions_index_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.reward = get_object_or_404(
            with_pool_counts(Reward.objects.all()), pk=kwargs["pk"]
        )

    def dispatch(self, request, *args, **kwargs):
        if self.reward.kind != RewardKind.VOUCHER and permissions.can_import_vouchers(
            request.user
        ):
            messages.error(request, _("Only voucher rewards have a pool of codes."))
            return redirect(self.index_url_name)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.reward)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Catalogue")},
            {
                "url": reverse(self.edit_url_name, args=(self.reward.pk,)),
                "label": str(self.reward),
            },
            {"url": "", "label": self.page_title, "sublabel": str(self.reward)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reward"] = self.reward
        context["action_url"] = self.request.path
        return context

    def form_valid(self, form):
        try:
            result = vouchers.import_voucher_codes(
                actor=self.request.user,
                reward=self.reward,
                csv_text=form.cleaned_data["csv_text"],
            )
        except RewardsError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        parts = [
            ngettext("%(count)d code added", "%(count)d codes added", result.added)
            % {"count": result.added},
            ngettext(
                "%(count)d already in the pool",
                "%(count)d already in the pool",
                result.duplicates,
            )
            % {"count": result.duplicates},
        ]
        text = ", ".join(parts)
        buttons = []
        if result.waiting:
            text += "; " + ngettext(
                "%(count)d redemption is waiting for a code.",
                "%(count)d redemptions are waiting for a code.",
                result.waiting,
            ) % {"count": result.waiting}
            if self.redemptions_index_url_name:
                url = reverse(self.redemptions_index_url_name)
                buttons.append(
                    messages.button(
                        f"{url}?status=open&reward={self.reward.pk}",
                        _("Issue them"),
                    )
                )
        else:
            text += "."
        messages.success(
            self.request,
            _("%(reward)s: %(result)s") % {"reward": self.reward, "result": text},
            buttons=buttons,
        )
        return redirect(self.index_url_name)

    def form_invalid(self, form):
        messages.error(self.request, _("No code was imported; see below why."))
        return super().form_invalid(form)
