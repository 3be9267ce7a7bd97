"""Back office: categories and tags to manage, ideas to browse, inspect and export."""

from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

# The product team's back office registers its own hooks: shortlists, scoring and
# R&D (``product.admin_views``), webhooks (``integrations.admin_views``), API tokens
# (``integrations.api.admin``).
from ideas import permissions
from ideas.integrations import admin_views as integrations_admin  # noqa: F401
from ideas.integrations.api import admin as api_admin  # noqa: F401
from ideas.models import Category, Idea, ModerationReason
from ideas.moderation import admin_views
from ideas.product import admin_exports
from ideas.product import admin_views as product_admin  # noqa: F401


class ReadOnlyIdeaPolicy(ModelPermissionPolicy):
    """Ideas change only through the idea services, never through a generic form."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Idea, ReadOnlyIdeaPolicy(Idea))


class IdeaViewSet(ModelViewSet):
    model = Idea
    name = "ideas"
    url_namespace = "ideas_admin"
    icon = "pick"
    menu_label = _("Ideas")
    list_display = [
        "title",
        "author",
        "campaign",
        "status",
        "supports_count",
        "created_at",
    ]
    # Exports (CSV, XLSX, JSON of the filtered list) go through ``ideas.exports``,
    # for the product team only: see ``admin_exports.IdeaIndexView``.
    index_view_class = admin_exports.IdeaIndexView
    list_filter = ["status", "campaign", "category"]
    search_fields = ["title", "description"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_fields = [
        "title",
        "description",
        "author",
        "campaign",
        "category",
        "status",
        "supports_count",
        "comments_count",
        "followers_count",
        "created_at",
    ]
    form_fields = ["title"]
    copy_view_enabled = False


class CategoryViewSet(ModelViewSet):
    model = Category
    name = "categories"
    url_namespace = "categories_admin"
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    form_fields = ["name", "slug", "description"]
    list_display = ["name", "slug", "description"]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False


class TagViewSet(ModelViewSet):
    model = Tag
    name = "tags"
    url_namespace = "tags_admin"
    icon = "tag"
    menu_label = _("Tags")
    form_fields = ["name", "slug"]
    list_display = ["name", "slug"]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False


class ModerationReasonViewSet(ModelViewSet):
    model = ModerationReason
    name = "moderation-reasons"
    url_namespace = "moderation_reasons"
    icon = "comment"
    menu_label = _("Hiding reasons")
    form_fields = ["title", "message"]
    list_display = ["title", "message"]
    search_fields = ["title", "message"]
    search_backend_name = None
    copy_view_enabled = False


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
            path(
                "unanswered/", admin_views.UnansweredView.as_view(), name="unanswered"
            ),
        ]


class CommunityGroup(ModelViewSetGroup):
    menu_label = _("Community")
    menu_icon = "group"
    menu_order = 200
    items = (IdeaViewSet, CategoryViewSet, TagViewSet, ModerationReasonViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return CommunityGroup()


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
        panels.append(admin_views.BrandTeamPanel(request.user))


@hooks.register("register_log_actions")
def register_idea_log_actions(actions):
    actions.register_action(
        "cocreate.idea.status", _("Change idea status"), _("Idea status changed")
    )
    actions.register_action(
        "cocreate.idea.official_answer",
        _("Official answer"),
        _("Official answer posted"),
    )
    actions.register_action("cocreate.export", _("Export ideas"), _("Ideas exported"))
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
