"""Back office: members' wallets, their ledger, adjustments and freezing."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin import messages
from wagtail.admin.views.generic import IndexView, InspectView

from cocreate.backoffice import PredicateRequiredMixin
from rewards import ledger, permissions, wallets
from rewards.admin.forms import AdjustPointsForm, FreezeForm

#: The latest entries shown on a wallet's page; older ones are in the database.
from rewards.admin.views import _when, history_buttons
from rewards.errors import RewardsError
from rewards.models import (
    Entry,
    Wallet,
)

#: The latest entries shown on a wallet's page; older ones are in the database.
WALLET_ENTRIES_SHOWN = 100


# Wallets ----------------------------------------------------------------------


class WalletIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("member", "level")


class WalletInspectView(InspectView):
    """A wallet's balances, its latest entries and the team's two tools."""

    template_name = "rewards/admin/wallet_inspect.html"
    inspect_url_name = None
    history_url_name = None
    adjust_url_name = None
    freeze_url_name = None
    unfreeze_url_name = None
    adjust_form = None
    freeze_form = None

    def get_object(self, queryset=None):
        return get_object_or_404(
            Wallet.objects.select_related("member", "level"), pk=self.pk
        )

    @cached_property
    def header_more_buttons(self):
        return history_buttons(self)

    def get_page_subtitle(self):
        return str(self.object.member)

    def get_fields_context(self):
        wallet = self.object
        rows = [
            (_("Member"), f"{wallet.member} <{wallet.member.email}>"),
            (_("Available points"), wallet.available),
            (_("Held points"), wallet.held),
            (_("Lifetime points"), wallet.lifetime_earned),
            (_("Level"), wallet.level or "—"),
        ]
        if wallet.is_frozen:
            rows.append(
                (
                    _("Frozen"),
                    _("since %(when)s: %(reason)s")
                    % {"when": _when(wallet.frozen_at), "reason": wallet.frozen_reason},
                )
            )
        return [
            {"label": label, "value": value, "component": None} for label, value in rows
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        wallet = self.object
        context["entries"] = list(
            Entry.objects.filter(wallet=wallet)
            .select_related("actor", "redemption__reward")
            .order_by("-created_at", "-id")[:WALLET_ENTRIES_SHOWN]
        )
        context["entries_shown"] = WALLET_ENTRIES_SHOWN
        can_adjust = permissions.can_adjust_points(self.request.user)
        context["can_adjust"] = can_adjust
        if can_adjust:
            context.update(
                adjust_form=self.adjust_form or AdjustPointsForm(),
                freeze_form=self.freeze_form or FreezeForm(),
                adjust_url=reverse(self.adjust_url_name, args=(wallet.pk,)),
                freeze_url=reverse(self.freeze_url_name, args=(wallet.pk,)),
                unfreeze_url=reverse(self.unfreeze_url_name, args=(wallet.pk,)),
            )
        return context

    def done(self, message: str):
        messages.success(self.request, message)
        return redirect(self.inspect_url_name, self.object.pk)

    def refuse(self, why: str, **forms):
        """Show the page again with the input kept and the reason in words."""
        messages.error(self.request, why)
        for name, form in forms.items():
            setattr(self, name, form)
        return self.render_to_response(self.get_context_data())


class AdjustPointsView(PredicateRequiredMixin, WalletInspectView):
    """POST: give or take back points, with a reason (an adjustment entry)."""

    permission_predicate = staticmethod(permissions.can_adjust_points)
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = AdjustPointsForm(request.POST)
        if not form.is_valid():
            return self.refuse(
                _("No points were adjusted; see below why."), adjust_form=form
            )
        member = self.object.member
        amount = form.cleaned_data["amount"]
        try:
            ledger.adjust(
                member=member,
                amount=amount,
                memo=form.cleaned_data["memo"],
                actor=request.user,
            )
        except RewardsError as error:
            form.add_error(None, str(error))
            return self.refuse(str(error), adjust_form=form)
        if amount > 0:
            text = ngettext(
                "Gave %(points)d point to %(member)s.",
                "Gave %(points)d points to %(member)s.",
                amount,
            )
        else:
            text = ngettext(
                "Took back %(points)d point from %(member)s.",
                "Took back %(points)d points from %(member)s.",
                -amount,
            )
        return self.done(text % {"points": abs(amount), "member": member})


class FreezeView(PredicateRequiredMixin, WalletInspectView):
    """POST: freeze a wallet (the member keeps earning but cannot redeem)."""

    permission_predicate = staticmethod(permissions.can_adjust_points)
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = FreezeForm(request.POST)
        if not form.is_valid():
            return self.refuse(
                _("The points were not frozen; see below why."), freeze_form=form
            )
        member = self.object.member
        try:
            wallets.freeze(
                actor=request.user, member=member, reason=form.cleaned_data["reason"]
            )
        except RewardsError as error:
            form.add_error(None, str(error))
            return self.refuse(str(error), freeze_form=form)
        return self.done(
            _("Froze the points of %(member)s: they cannot redeem until unfrozen.")
            % {"member": member}
        )


class UnfreezeView(PredicateRequiredMixin, WalletInspectView):
    permission_predicate = staticmethod(permissions.can_adjust_points)
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        member = self.object.member
        if not self.object.is_frozen:
            messages.info(request, _("The points of %s are not frozen.") % member)
            return redirect(self.inspect_url_name, self.object.pk)
        try:
            wallets.unfreeze(actor=request.user, member=member)
        except RewardsError as error:
            return self.refuse(str(error))
        return self.done(
            _("Unfroze the points of %(member)s: they can redeem again.")
            % {"member": member}
        )
