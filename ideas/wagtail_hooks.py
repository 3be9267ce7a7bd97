"""Back office: categories, tags and a read-only view of ideas."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.filters import WagtailFilterSet
from wagtail import hooks
from taggit.models import Tag

from ideas.models import Category, Idea


class CategoryViewSet(ModelViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    form_fields = ["name", "slug", "description"]
    list_display = ["name", "slug", "description"]
    search_fields = ["name"]
    add_to_admin_menu = False


class TagViewSet(ModelViewSet):
    model = Tag
    icon = "tag"
    menu_label = _("Tags")
    form_fields = ["name", "slug"]
    list_display = ["name", "slug"]
    search_fields = ["name"]


class IdeaFilterSet(WagtailFilterSet):
    class Meta:
        model = Idea
        fields = ["status", "campaign", "category"]


class IdeaViewSet(ModelViewSet):
    """Ideas change only through services, so the back office lists and exports them."""

    model = Idea
    icon = "pick"
    menu_label = _("Ideas")
    list_display = ["title", "author", "campaign", "status", "supports_count", "created_at"]
    list_export = [
        "id", "title", "author", "campaign", "category", "status",
        "supports_count", "comments_count", "created_at",
    ]
    list_filter = ["status", "campaign", "category"]
    search_fields = ["title", "description"]
    inspect_view_enabled = True
    form_fields = ["title"]
    create_view_enabled = False
    ordering = ["-created_at"]


class IdeasGroup(ModelViewSetGroup):
    menu_label = _("Community")
    menu_icon = "group"
    menu_order = 200
    items = (IdeaViewSet, CategoryViewSet, TagViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return IdeasGroup()
