"""The points economy's viewsets: rules, levels, badges, the catalogue, the
redemptions queue, money payouts and wallets, grouped under "Rewards".

Redemptions, wallets and the ledger change only through the rewards services:
their generic views only show rows, and custom views call the services.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cocreate.backoffice import ServiceDeleteMixin, ServiceFormMixin
from cocreate.spreadsheets import NeutralisedExportMixin
from rewards import achievements, levels, permissions
from rewards.admin import forms as admin_forms
from rewards.admin import redemptions as admin_redemptions
from rewards.admin import views as admin_views
from rewards.admin import wallets as admin_wallets
from rewards.errors import RewardsError
from rewards.models import (
    Badge,
    CampaignMultiplier,
    EarningRule,
    Level,
    Redemption,
    Reward,
    Wallet,
)

# Permission policies ------------------------------------------------------------


class ServicesOnlyPolicy(ModelPermissionPolicy):
    """Rows that change only through the rewards services, never through a generic
    form. Django's add/change/delete permissions keep their meaning for the custom
    views (``rewards.permissions``); ``view_with`` lists permissions that also let
    a user see the rows (a moderator who may decide redemptions may list them).
    """

    def __init__(self, model, view_with=()):
        super().__init__(model)
        self.view_with = tuple(view_with)

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        if action == "view" and any(user.has_perm(perm) for perm in self.view_with):
            return True
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class NoDeletePolicy(ModelPermissionPolicy):
    """Rows the ledger or members' history point to: switch them off instead."""

    def user_has_permission(self, user, action):
        if action == "delete":
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(
    Redemption, ServicesOnlyPolicy(Redemption, view_with=["rewards.change_redemption"])
)
register_permission_policy(
    Wallet,
    ServicesOnlyPolicy(Wallet, view_with=["rewards.add_entry", "rewards.view_entry"]),
)
for model in (EarningRule, Reward, Badge):
    register_permission_policy(model, NoDeletePolicy(model))


# Viewsets -----------------------------------------------------------------------


class ServicesOnlyViewSetMixin:
    """Listing, inspect and history only: no generic form, no delete."""

    inspect_view_enabled = True
    history_view_class = admin_views.ReadOnlyHistoryView
    form_fields = []

    def get_history_view_kwargs(self, **kwargs):
        return super().get_history_view_kwargs(edit_url_name=None, **kwargs)


class RewardsViewSetMixin:
    """URLs under /admin/rewards/<slug>/, namespaces rewards_<slug>."""

    slug = ""
    copy_view_enabled = False

    @property
    def url_prefix(self):
        return f"rewards/{self.slug}"

    @property
    def url_namespace(self):
        return "rewards_" + self.slug.replace("-", "_")


class EarningRuleViewSet(RewardsViewSetMixin, ModelViewSet):
    model = EarningRule
    slug = "earning-rules"
    icon = "sliders"
    menu_label = _("Earning rules")
    list_display = [
        "trigger",
        "points",
        "daily_cap",
        BooleanColumn("is_active", label=_("Active"), sort_key="is_active"),
    ]
    list_filter = ["is_active"]


class CampaignMultiplierViewSet(RewardsViewSetMixin, ModelViewSet):
    model = CampaignMultiplier
    slug = "multipliers"
    icon = "decimal"
    menu_label = _("Campaign multipliers")
    list_display = ["campaign", "multiplier"]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=CampaignMultiplier.objects.select_related("campaign"), **kwargs
        )


class LevelCreateView(ServiceFormMixin, CreateView):
    domain_errors = (RewardsError,)

    def save_instance(self):
        return levels.save_level(actor=self.request.user, level=self.form.instance)


class LevelEditView(ServiceFormMixin, EditView):
    """A new threshold moves members between levels: the service moves them."""

    domain_errors = (RewardsError,)

    def save_instance(self):
        return levels.save_level(actor=self.request.user, level=self.form.instance)


class LevelDeleteView(ServiceDeleteMixin, DeleteView):
    domain_errors = (RewardsError,)

    def delete_action(self):
        levels.delete_level(actor=self.request.user, level=self.object)


class LevelViewSet(RewardsViewSetMixin, ModelViewSet):
    model = Level
    slug = "levels"
    icon = "order-up"
    menu_label = _("Levels")
    list_display = ["name", "threshold"]
    add_view_class = LevelCreateView
    edit_view_class = LevelEditView
    delete_view_class = LevelDeleteView


class BadgeCreateView(ServiceFormMixin, CreateView):
    domain_errors = (RewardsError,)

    def save_instance(self):
        return achievements.save_badge(
            actor=self.request.user, badge=self.form.instance
        )


class BadgeEditView(ServiceFormMixin, EditView):
    domain_errors = (RewardsError,)

    def save_instance(self):
        return achievements.save_badge(
            actor=self.request.user, badge=self.form.instance
        )


class BadgeViewSet(RewardsViewSetMixin, ModelViewSet):
    model = Badge
    slug = "badges"
    icon = "circle-check"
    menu_label = _("Badges")
    add_view_class = BadgeCreateView
    edit_view_class = BadgeEditView
    list_display = [
        "name",
        "symbol",
        "milestone",
        "description",
        BooleanColumn("is_active", label=_("Active"), sort_key="is_active"),
    ]


class RewardViewSet(RewardsViewSetMixin, ModelViewSet):
    model = Reward
    slug = "catalogue"
    icon = "list-ul"
    menu_label = _("Catalogue")
    index_view_class = admin_views.RewardIndexView
    edit_view_class = admin_views.RewardEditView
    list_display = [
        "title",
        "kind",
        "cost",
        "stock",
        Column("window", label=_("Window"), accessor=admin_views.reward_window),
        Column(
            "codes_left",
            label=_("Codes left"),
            accessor=admin_views.reward_pool,
            sort_key="codes_left",
        ),
        BooleanColumn("is_active", label=_("Active"), sort_key="is_active"),
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["title", "description"]
    search_backend_name = None

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            import_codes_url_name=self.get_url_name("import_codes"),
            redemptions_index_url_name="rewards_redemptions:index",
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "import-codes/<int:pk>/",
                self.construct_view(admin_views.ImportVoucherCodesView),
                name="import_codes",
            ),
        ]


class RedemptionIndexView(
    NeutralisedExportMixin, admin_redemptions.RedemptionIndexView
):
    """The queue, whose CSV and XLSX carry text members chose (display names)."""


class RedemptionViewSet(ServicesOnlyViewSetMixin, RewardsViewSetMixin, ModelViewSet):
    model = Redemption
    slug = "redemptions"
    icon = "clipboard-list"
    menu_label = _("Redemptions")
    index_view_class = RedemptionIndexView
    inspect_view_class = admin_redemptions.RedemptionInspectView
    inspect_template_name = "rewards/admin/redemption_inspect.html"
    filterset_class = admin_forms.RedemptionFilterSet
    list_display = [
        "member",
        Column("email", label=_("Email"), accessor="member.email"),
        "reward",
        "reward__kind",
        "points",
        "status",
        DateColumn("created_at", label=_("Requested"), sort_key="created_at"),
    ]
    list_export = [
        "id",
        "member",
        "reward",
        "points",
        "status",
        "created_at",
        "closed_at",
    ]
    actions = ("approve", "fulfil", "reject", "cancel")

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            payouts_url_name="rewards_payouts:index",
            wallet_url_name="rewards_wallets:inspect",
            action_url_names={
                action: self.get_url_name(action) for action in self.actions
            },
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            *(
                path(
                    f"{action}/<int:pk>/",
                    self.construct_view(
                        admin_redemptions.RedemptionActionView,
                        **self.get_inspect_view_kwargs(),
                        action=action,
                    ),
                    name=action,
                )
                for action in self.actions
            ),
        ]


class PayoutMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_manage_redemptions(request.user)


class PayoutViewSet(ViewSet):
    """Approved money payouts: export for the bank, then mark paid."""

    name = "rewards-payouts"
    url_prefix = "rewards/payouts"
    url_namespace = "rewards_payouts"
    icon = "download"
    menu_label = _("Money payouts")
    menu_item_class = PayoutMenuItem

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            payouts_url_name=self.get_url_name("index"),
            export_url_name=self.get_url_name("export"),
            mark_paid_url_name=self.get_url_name("mark_paid"),
            redemption_url_name="rewards_redemptions:inspect",
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            path("", self.construct_view(admin_redemptions.PayoutsView), name="index"),
            path(
                "export/",
                self.construct_view(admin_redemptions.ExportPayoutsView),
                name="export",
            ),
            path(
                "mark-paid/",
                self.construct_view(admin_redemptions.MarkPaidView),
                name="mark_paid",
            ),
        ]


class WalletViewSet(ServicesOnlyViewSetMixin, RewardsViewSetMixin, ModelViewSet):
    model = Wallet
    slug = "wallets"
    icon = "table"
    menu_label = _("Wallets")
    index_view_class = admin_wallets.WalletIndexView
    inspect_view_class = admin_wallets.WalletInspectView
    inspect_template_name = "rewards/admin/wallet_inspect.html"
    filterset_class = admin_forms.WalletFilterSet
    list_display = [
        "member",
        Column("email", label=_("Email"), accessor="member.email"),
        "available",
        "held",
        "lifetime_earned",
        "level",
        BooleanColumn("is_frozen", label=_("Frozen"), sort_key="frozen_at"),
    ]
    search_fields = ["member__email", "member__display_name"]
    search_backend_name = None

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            adjust_url_name=self.get_url_name("adjust"),
            freeze_url_name=self.get_url_name("freeze"),
            unfreeze_url_name=self.get_url_name("unfreeze"),
            **kwargs,
        )

    def get_urlpatterns(self):
        views = {
            "adjust": admin_wallets.AdjustPointsView,
            "freeze": admin_wallets.FreezeView,
            "unfreeze": admin_wallets.UnfreezeView,
        }
        return [
            *super().get_urlpatterns(),
            *(
                path(
                    f"{name}/<int:pk>/",
                    self.construct_view(view, **self.get_inspect_view_kwargs()),
                    name=name,
                )
                for name, view in views.items()
            ),
        ]


class RewardsGroup(ModelViewSetGroup):
    menu_label = _("Rewards")
    menu_icon = "success"
    menu_order = 210
    items = (
        RedemptionViewSet,
        PayoutViewSet,
        WalletViewSet,
        RewardViewSet,
        EarningRuleViewSet,
        CampaignMultiplierViewSet,
        LevelViewSet,
        BadgeViewSet,
    )
