"""The brand team's back office: the moderation queue, members' records, the
unanswered ideas, the dashboard panel and the moderation actions of the audit log."""

from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from ideas import permissions
from ideas.moderation import admin_views, dashboard


class PredicateMenuItem(MenuItem):
    def __init__(self, *args, predicate, **kwargs):
        super().__init__(*args, **kwargs)
        self.predicate = predicate

    def is_shown(self, request):
        return self.predicate(request.user)


class BrandTeamViewSet(ViewSet):
    """The moderation queue, members' records and the unanswered ideas."""

    name = "brand-team"
    url_prefix = "brand-team"
    url_namespace = "brand_team"

    def get_urlpatterns(self):
        return [
            path("queue/", admin_views.QueueView.as_view(), name="queue"),
            path(
                "members/<int:pk>/",
                admin_views.MemberRecordView.as_view(),
                name="member",
            ),
            path(
                "merges/<int:pk>/undo/",
                admin_views.UndoMergeView.as_view(),
                name="undo_merge",
            ),
            path("unanswered/", dashboard.UnansweredView.as_view(), name="unanswered"),
        ]


@hooks.register("register_admin_viewset")
def register_brand_team():
    return BrandTeamViewSet()


@hooks.register("register_admin_menu_item")
def register_queue_menu_item():
    return PredicateMenuItem(
        _("Moderation queue"),
        reverse_lazy("brand_team:queue"),
        icon_name="warning",
        order=190,
        predicate=permissions.can_moderate,
    )


@hooks.register("register_admin_menu_item")
def register_unanswered_menu_item():
    return PredicateMenuItem(
        _("Unanswered ideas"),
        reverse_lazy("brand_team:unanswered"),
        icon_name="help",
        order=195,
        predicate=permissions.can_answer_at_all,
    )


@hooks.register("construct_homepage_panels")
def add_brand_team_panel(request, panels):
    if permissions.can_answer_at_all(request.user) or permissions.can_moderate(
        request.user
    ):
        panels.append(dashboard.BrandTeamPanel(request.user))


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    for action, label, message in [
        ("hide", _("Hide"), _("Hidden by a moderator")),
        ("restore", _("Restore"), _("Restored by a moderator")),
        ("approve", _("Approve"), _("Approved by a moderator")),
        ("lock", _("Lock comments"), _("Comments locked")),
        ("unlock", _("Unlock comments"), _("Comments unlocked")),
        ("merge", _("Merge"), _("Merged as a duplicate")),
        ("unmerge", _("Undo merge"), _("Merge undone")),
    ]:
        actions.register_action(f"cocreate.moderation.{action}", label, message)
