"""Back office: the redemptions queue and its decisions, and money payouts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    DateTimeField,
    F,
    Value,
    When,
)
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import policy_registry

from cocreate.backoffice import PredicateRequiredMixin
from rewards import payouts, permissions, redemptions
from rewards.admin.forms import MarkPaidForm, RedemptionNoteForm

#: The latest entries shown on a wallet's page; older ones are in the database.
from rewards.admin.views import _money, _when, history_buttons
from rewards.errors import RewardsError
from rewards.models import (
    OPEN_REDEMPTION_STATUSES,
    Entry,
    Redemption,
    RedemptionStatus,
    RewardKind,
    VoucherCode,
    Wallet,
)

# Redemptions -----------------------------------------------------------------


class RedemptionIndexView(IndexView):
    """The queue: open requests first, oldest first; then closed ones, newest."""

    payouts_url_name = None

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("member", "reward")

    def order_queryset(self, queryset):
        if self.is_explicitly_ordered and self.ordering:
            return super().order_queryset(queryset)
        return queryset.annotate(
            _open_since=Case(
                When(status__in=OPEN_REDEMPTION_STATUSES, then=F("created_at")),
                default=Value(None),
                output_field=DateTimeField(),
            )
        ).order_by(F("_open_since").asc(nulls_last=True), "-created_at", "-id")

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.payouts_url_name and permissions.can_manage_redemptions(
            self.request.user
        ):
            buttons.append(
                HeaderButton(
                    _("Money payouts"),
                    url=reverse(self.payouts_url_name),
                    icon_name="download",
                )
            )
        return buttons


FULFIL_LABELS = {
    RewardKind.VOUCHER: gettext_lazy("Issue a code"),
    RewardKind.GOODS: pgettext_lazy("goods reward", "Mark shipped"),
    RewardKind.DONATION: gettext_lazy("Mark donated"),
    RewardKind.MONEY: gettext_lazy("Mark paid"),
}


class RedemptionInspectView(InspectView):
    """The whole request, what the team may do with it, and its ledger lines.

    The IBAN is only ever shown masked here; the full number leaves the system
    only in the payout export.
    """

    template_name = "rewards/admin/redemption_inspect.html"
    inspect_url_name = None
    history_url_name = None
    wallet_url_name = None
    payouts_url_name = None
    action_url_names: dict[str, str] = {}
    note_form = None

    @cached_property
    def header_more_buttons(self):
        return history_buttons(self)

    def get_object(self, queryset=None):
        return get_object_or_404(
            Redemption.objects.select_related("member", "reward", "decided_by"),
            pk=self.pk,
        )

    def get_page_subtitle(self):
        return _("%(reward)s for %(member)s") % {
            "reward": self.object.reward,
            "member": self.object.member,
        }

    def get_fields_context(self):
        redemption = self.object
        reward = redemption.reward
        rows = [
            (_("Member"), f"{redemption.member} <{redemption.member.email}>"),
            (_("Reward"), f"{reward} ({reward.get_kind_display()})"),
            (_("Points"), redemption.points),
            (_("Status"), redemption.get_status_display()),
            (_("Requested"), _when(redemption.created_at)),
        ]
        if reward.kind == RewardKind.GOODS:
            rows += [
                (_("Ship to"), redemption.shipping_name),
                (_("Address"), redemption.shipping_address),
                (_("Postcode"), redemption.shipping_postcode),
                (_("City"), redemption.shipping_city),
                (_("Country"), redemption.shipping_country),
            ]
        elif reward.kind == RewardKind.MONEY:
            rows += [
                (_("Account holder"), redemption.account_holder),
                (_("IBAN"), redemption.masked_iban),
                (_("Amount"), _money(redemption.amount_cents, redemption.currency)),
                (
                    _("Exported for payment"),
                    _when(redemption.exported_at) if redemption.exported_at else "—",
                ),
            ]
        elif reward.kind == RewardKind.DONATION:
            rows.append((_("Cause"), reward.cause or "—"))
        elif reward.kind == RewardKind.VOUCHER:
            code = self.voucher_code
            rows.append(
                (
                    _("Voucher code"),
                    _("issued %(when)s (…%(end)s)")
                    % {"when": _when(code.issued_at), "end": code.code[-4:]}
                    if code
                    else _("not issued yet"),
                )
            )
        if redemption.decided_by_id:
            rows.append((_("Decided by"), str(redemption.decided_by)))
        if redemption.note:
            rows.append((_("Note to the member"), redemption.note))
        if redemption.closed_at:
            rows.append((_("Closed"), _when(redemption.closed_at)))
        return [
            {"label": label, "value": value, "component": None} for label, value in rows
        ]

    @cached_property
    def voucher_code(self):
        return VoucherCode.objects.filter(redemption=self.object).first()

    def get_actions(self) -> list[dict]:
        redemption = self.object
        if not redemption.is_open or not permissions.can_manage_redemptions(
            self.request.user
        ):
            return []
        kind = redemption.reward.kind
        actions = []
        if redemption.status == RedemptionStatus.PENDING:
            actions.append({"name": "approve", "label": _("Approve")})
        if kind != RewardKind.MONEY or redemption.exported_at:
            actions.append({"name": "fulfil", "label": FULFIL_LABELS[kind]})
        actions.append({"name": "reject", "label": _("Reject"), "danger": True})
        actions.append({"name": "cancel", "label": _("Cancel"), "danger": True})
        for action in actions:
            action["url"] = reverse(
                self.action_url_names[action["name"]], args=(redemption.pk,)
            )
        return actions

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        redemption = self.object
        context["actions"] = self.get_actions()
        context["note_form"] = self.note_form or RedemptionNoteForm()
        wallet = Wallet.objects.filter(member=redemption.member).first()
        context["wallet"] = wallet
        user = self.request.user
        if (
            wallet
            and self.wallet_url_name
            and policy_registry.get_by_type(Wallet).user_has_permission(user, "view")
        ):
            context["wallet_url"] = reverse(self.wallet_url_name, args=(wallet.pk,))
        if self.payouts_url_name and permissions.can_manage_redemptions(user):
            context["payouts_url"] = reverse(self.payouts_url_name)
        context["entries"] = list(
            Entry.objects.filter(redemption=redemption).order_by("created_at", "id")
        )
        context["money_waits_for_export"] = (
            redemption.is_open
            and redemption.reward.kind == RewardKind.MONEY
            and not redemption.exported_at
        )
        return context


class RedemptionActionView(PredicateRequiredMixin, RedemptionInspectView):
    """POST only: approve, fulfil, reject or cancel one redemption."""

    permission_predicate = staticmethod(permissions.can_manage_redemptions)
    http_method_names = ["post"]
    action = None

    def post(self, request, *args, **kwargs):
        form = RedemptionNoteForm(request.POST)
        if not form.is_valid():
            return self.refuse(form, _("The note has at most 255 characters."))
        try:
            message = self.perform(self.object, form.cleaned_data["note"])
        except RewardsError as error:
            return self.refuse(form, str(error))
        messages.success(request, message)
        return redirect(self.inspect_url_name, self.object.pk)

    def perform(self, redemption: Redemption, note: str) -> str:
        """Call the service for this action; return what happened, in words."""
        actor = self.request.user
        kind = redemption.reward.kind
        words = {
            "reward": redemption.reward,
            "member": redemption.member,
            "points": redemption.points,
        }
        if self.action == "approve":
            redemptions.approve(actor=actor, redemption=redemption, note=note)
            return _("Approved “%(reward)s” for %(member)s.") % words
        if self.action == "fulfil" and kind == RewardKind.MONEY:
            # fulfil refuses payouts not yet exported to the bank.
            redemptions.fulfil(
                actor=actor, redemption=redemption, note=note or _("Paid")
            )
            return _("Marked the payout of “%(reward)s” to %(member)s paid.") % words
        if self.action == "fulfil":
            redemptions.fulfil(actor=actor, redemption=redemption, note=note)
            return {
                RewardKind.VOUCHER: _("Issued a code of “%(reward)s” to %(member)s."),
                RewardKind.GOODS: _("Marked “%(reward)s” shipped to %(member)s."),
                RewardKind.DONATION: _("Marked “%(reward)s” donated for %(member)s."),
            }[kind] % words
        if self.action == "reject":
            redemptions.reject(actor=actor, redemption=redemption, note=note)
            return (
                ngettext(
                    "Rejected “%(reward)s”: %(points)d point returned to %(member)s.",
                    "Rejected “%(reward)s”: %(points)d points returned to %(member)s.",
                    redemption.points,
                )
                % words
            )
        if self.action == "cancel":
            redemptions.cancel(actor=actor, redemption=redemption, note=note)
            return (
                ngettext(
                    "Cancelled “%(reward)s”: %(points)d point returned to %(member)s.",
                    "Cancelled “%(reward)s”: %(points)d points returned to %(member)s.",
                    redemption.points,
                )
                % words
            )
        raise PermissionDenied

    def refuse(self, form, why: str):
        """Show the page again with the note kept and the reason in words."""
        messages.error(self.request, why)
        self.note_form = form
        return self.render_to_response(self.get_context_data())


# Money payouts ----------------------------------------------------------------


def _open_payouts():
    return (
        Redemption.objects.filter(
            reward__kind=RewardKind.MONEY, status=RedemptionStatus.APPROVED
        )
        .select_related("member__wallet", "reward")
        .order_by("created_at", "id")
    )


class PayoutsView(PredicateRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Approved money payouts: export them for the bank, then mark them paid."""

    permission_predicate = staticmethod(permissions.can_manage_redemptions)
    template_name = "rewards/admin/payouts.html"
    page_title = gettext_lazy("Money payouts")
    header_icon = "download"
    payouts_url_name = None
    export_url_name = None
    mark_paid_url_name = None
    redemption_url_name = None
    mark_paid_form = None

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        payouts = list(_open_payouts())
        exported = [payout for payout in payouts if payout.exported_at]
        for payout in payouts:
            payout.amount_display = _money(payout.amount_cents, payout.currency)
            payout.url = reverse(self.redemption_url_name, args=(payout.pk,))
        context.update(
            not_exported=[payout for payout in payouts if not payout.exported_at],
            exported=exported,
            export_url=reverse(self.export_url_name),
            mark_paid_url=reverse(self.mark_paid_url_name),
            mark_paid_form=self.mark_paid_form
            or MarkPaidForm(choices=self.choices(exported)),
        )
        return context

    @staticmethod
    def choices(exported) -> list[tuple[int, str]]:
        return [(payout.pk, str(payout.pk)) for payout in exported]


class ExportPayoutsView(PredicateRequiredMixin, View):
    """POST: the CSV of approved payouts, with full IBANs, as a download."""

    permission_predicate = staticmethod(permissions.can_manage_redemptions)
    http_method_names = ["post"]
    payouts_url_name = None

    def post(self, request, *args, **kwargs):
        try:
            csv_text, count = payouts.export_payouts(actor=request.user)
        except RewardsError as error:
            messages.error(request, str(error))
            return redirect(self.payouts_url_name)
        if not count:
            messages.info(request, _("No approved payout is waiting to be exported."))
            return redirect(self.payouts_url_name)
        stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
        response = HttpResponse(csv_text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="payouts-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        return response


class MarkPaidView(PayoutsView):
    """POST: the ticked exported payouts are paid; their held points are spent."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        exported = [payout for payout in _open_payouts() if payout.exported_at]
        form = MarkPaidForm(request.POST, choices=self.choices(exported))
        if form.is_valid():
            chosen = set(form.cleaned_data["redemptions"])
            try:
                count = payouts.mark_paid(
                    actor=request.user,
                    redemptions=[p for p in exported if p.pk in chosen],
                )
            except RewardsError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d payout marked paid.",
                        "%(count)d payouts marked paid.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect(self.payouts_url_name)
        else:
            messages.error(request, _("Nothing was marked paid; see below why."))
        self.mark_paid_form = form
        return self.render_to_response(self.get_context_data())
