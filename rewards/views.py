"""What members see of the points economy: parse input, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cocreate.http import member_required
from cocreate.params import choice_param, int_param
from rewards import levels, permissions, redemptions, selectors
from rewards.errors import InvalidInput, NotAllowed, RewardsError
from rewards.forms import RedeemForm
from rewards.models import (
    Redemption,
    RedemptionStatus,
    Reward,
    RewardSettings,
    Wallet,
)
from rewards.wallets import wallet_of


def _wallet(user) -> Wallet | None:
    return wallet_of(user) if permissions.is_member(user) else None


@require_GET
def catalogue(request):
    rewards = list(selectors.available_rewards())
    # A money reward's card says the smallest payout the settings allow.
    minimum = (
        RewardSettings.load().money_minimum_points
        if any(reward.kind == "money" for reward in rewards)
        else 0
    )
    for reward in rewards:
        reward.smallest_payout = (
            max(reward.cost, minimum) if reward.kind == "money" else reward.cost
        )
    return render(
        request,
        "rewards/catalogue.html",
        {
            "rewards": rewards,
            "wallet": _wallet(request.user),
            "page_title": _("Rewards"),
        },
    )


def _reward(pk: int) -> Reward:
    try:
        return selectors.reward_for_page(pk)
    except Reward.DoesNotExist as exc:
        raise Http404(_("No such reward.")) from exc


def _detail(request, reward: Reward, form: RedeemForm | None = None, status=200):
    terms = selectors.money_terms(reward)
    form = form or RedeemForm(reward=reward, terms=terms)
    points = terms.minimum if terms else reward.cost
    if terms and form.is_bound:
        points = int_param(form.data, "points", default=terms.minimum)
    return render(
        request,
        "rewards/reward_detail.html",
        {
            "reward": reward,
            "form": form,
            "terms": terms,
            "money_cents": terms.cents_for(points) if terms else 0,
            "wallet": _wallet(request.user),
            "is_available": reward.is_available(),
            "page_title": reward.i18n.title,
        },
        status=status,
    )


@require_GET
def reward_detail(request, pk: int):
    return _detail(request, _reward(pk))


def _forget_iban(form: RedeemForm) -> None:
    """A valid account number is never shown again once sent, even on a refusal;
    a mistyped one stays in its field to be corrected."""
    if "iban" not in form.fields or "iban" in form.errors:
        return
    data = form.data.copy()
    data["iban"] = ""
    form.data = data
    # The bound field copied its help text when the form was validated.
    form["iban"].help_text = _(
        "For your safety we never show a full IBAN again: please type it once more."
    )


def _status_for(error: RewardsError) -> int:
    if isinstance(error, InvalidInput):
        return 400
    if isinstance(error, NotAllowed):
        return 403
    return 409  # not enough points, out of stock, frozen: the state says no


@member_required
@require_POST
def redeem(request, pk: int):
    reward = _reward(pk)
    form = RedeemForm(request.POST, reward=reward, terms=selectors.money_terms(reward))
    if not form.is_valid():
        return _detail(request, reward, form, status=400)
    try:
        redemption = redemptions.redeem(
            member=request.user, reward=reward, details=form.details()
        )
    except RewardsError as exc:
        form.add_error(None, str(exc))
        _forget_iban(form)
        return _detail(request, reward, form, status=_status_for(exc))
    voucher = getattr(redemption, "voucher", None)
    if redemption.status == RedemptionStatus.FULFILLED and voucher is not None:
        messages.success(
            request,
            _("Thank you! Your voucher code: %(code)s") % {"code": voucher.code},
        )
    else:
        messages.success(
            request,
            _(
                "Thank you! Your request is waiting for approval; "
                "your points are held until then."
            ),
        )
    return redirect("rewards:wallet")


@never_cache
@member_required
@require_GET
def wallet(request):
    member_wallet = wallet_of(request.user)
    return render(
        request,
        "rewards/wallet.html",
        {
            "wallet": member_wallet,
            "progress": levels.progress(member_wallet.lifetime_earned),
            "badges": selectors.member_badges(request.user),
            "entries": selectors.ledger_page(
                member_wallet, int_param(request.GET, "page", default=1)
            ),
            "redemptions": selectors.member_redemptions(request.user),
            "page_title": _("Your points"),
        },
    )


@member_required
@require_POST
def cancel(request, pk: int):
    redemption = get_object_or_404(Redemption, pk=pk, member=request.user)
    try:
        redemptions.cancel(actor=request.user, redemption=redemption)
    except RewardsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Your request is cancelled and its %(points)d points are back.")
            % {"points": redemption.points},
        )
    return redirect("rewards:wallet")


@never_cache
@require_GET
def nav_points(request):
    """The points in the menu, loaded after the page (and again when points are
    earned), so no page pays a query for it."""
    if not permissions.is_member(request.user):
        return HttpResponse(status=204)
    return render(request, "rewards/_nav_points.html")


@require_GET
def leaderboard(request):
    period = choice_param(request.GET, "period", selectors.PERIODS)
    campaigns = selectors.live_campaigns()
    campaign_id = None
    campaign_title = ""
    if request.GET.get("campaign"):
        titles = dict(campaigns)
        campaign_id = int_param(request.GET, "campaign")
        if campaign_id not in titles:
            raise Http404(_("No such campaign."))
        campaign_title = titles[campaign_id]
        period = period or "all"
    period = period or selectors.DEFAULT_PERIOD
    return render(
        request,
        "rewards/leaderboard.html",
        {
            "standings": selectors.leaderboard(period=period, campaign_id=campaign_id),
            "period": period,
            "periods": list(selectors.PERIODS.items()),
            "campaigns": campaigns,
            "campaign_id": campaign_id,
            "campaign_title": campaign_title,
            "page_title": _("Leaderboard"),
        },
    )
