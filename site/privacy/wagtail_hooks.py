"""Back office of privacy requests: a menu item for the staff who may handle
them, their views and their actions in Wagtail's audit log."""

from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from cocreate.privacy import admin_views, permissions


class PrivacyMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_handle_requests(request.user)


class PrivacyViewSet(ViewSet):
    name = "privacy"
    url_prefix = "privacy"
    url_namespace = "privacy_admin"

    def get_urlpatterns(self):
        return [
            path("", admin_views.RequestsView.as_view(), name="requests"),
            path("members/<int:pk>/", admin_views.MemberView.as_view(), name="member"),
        ]


@hooks.register("register_admin_viewset")
def register_privacy_views():
    return PrivacyViewSet()


@hooks.register("register_admin_menu_item")
def register_privacy_menu_item():
    return PrivacyMenuItem(
        _("Privacy requests"),
        reverse_lazy("privacy_admin:requests"),
        icon_name="lock",
        order=900,
    )


@hooks.register("register_log_actions")
def register_privacy_log_actions(actions):
    for action, label, message in [
        ("export", _("Data download"), _("Data download prepared on request")),
        (
            "erasure_scheduled",
            _("Schedule erasure"),
            _("Account erasure scheduled on request"),
        ),
        ("erasure_cancelled", _("Cancel erasure"), _("Account erasure cancelled")),
        ("erased", _("Erase account"), _("Account erased")),
    ]:
        actions.register_action(f"cocreate.privacy.{action}", label, message)
