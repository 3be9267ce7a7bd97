"""Back office: categories and tags to manage, ideas to browse, inspect and export."""

from django.http import Http404
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

# Each sub-package registers its own back office: the brand team's, the product
# team's, the integrations'.
from ideas.integrations import wagtail_hooks as integrations_hooks  # noqa: F401
from ideas.models import CampaignPage, Category, Idea, ModerationReason, access
from ideas.moderation import wagtail_hooks as moderation_hooks  # noqa: F401
from ideas.product import admin_exports
from ideas.product import wagtail_hooks as product_hooks  # noqa: F401


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
    form_fields = ["name", "name_fr", "slug", "description", "description_fr"]
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
    form_fields = ["title", "title_fr", "message", "message_fr"]
    list_display = ["title", "message"]
    search_fields = ["title", "message"]
    search_backend_name = None
    copy_view_enabled = False


class CommunityGroup(ModelViewSetGroup):
    menu_label = _("Community")
    menu_icon = "group"
    menu_order = 200
    items = (IdeaViewSet, CategoryViewSet, TagViewSet, ModerationReasonViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return CommunityGroup()


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


@hooks.register("before_serve_page", order=10)
def serve_private_campaigns_to_the_brand_team(page, request, serve_args, serve_kwargs):
    """Wagtail admits to a private page only its groups (and superusers) or
    whoever has its password; the brand team moderates every campaign, so it
    reads a private campaign's page too. A signed-in member outside a campaign's
    groups is told it does not exist (Wagtail would send them to the login page,
    which sends signed-in members back: a loop). Everybody else meets Wagtail's
    check."""
    if (
        isinstance(page, CampaignPage)
        and page.pk in access.restricted_campaigns()
        and access.sees_every_campaign(request.user)
    ):
        response = page.serve(request, *serve_args, **serve_kwargs)
        add_never_cache_headers(response)
        return response
    if isinstance(page, CampaignPage) and access.left_out_of_its_groups(
        request.user, page.pk
    ):
        # As its ideas: to members outside its groups the campaign does not exist.
        raise Http404
    return None
