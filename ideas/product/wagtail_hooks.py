"""The product team's back office: the Product menu (shortlists, scoring criteria),
the evaluation pages and the audit log's product actions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from wagtail import hooks

from ideas.product.admin_evaluation import ProductViewSet
from ideas.product.admin_views import ProductGroup


@hooks.register("register_admin_viewset")
def register_product_group():
    return ProductGroup()


@hooks.register("register_admin_viewset")
def register_product_pages():
    return ProductViewSet()


@hooks.register("register_log_actions")
def register_product_log_actions(actions):
    for action, label, message in [
        (
            "added",
            gettext_lazy("Add to shortlist"),
            gettext_lazy("Idea added to a shortlist"),
        ),
        (
            "removed",
            gettext_lazy("Remove from shortlist"),
            gettext_lazy("Idea removed from a shortlist"),
        ),
        (
            "noted",
            gettext_lazy("Shortlist note"),
            gettext_lazy("Note on a shortlisted idea changed"),
        ),
        (
            "reordered",
            gettext_lazy("Reorder shortlist"),
            gettext_lazy("Shortlist reordered"),
        ),
    ]:
        actions.register_action(f"cocreate.shortlist.{action}", label, message)
    actions.register_action(
        "cocreate.idea.score", gettext_lazy("Score"), gettext_lazy("Idea scored")
    )
    actions.register_action(
        "cocreate.idea.promote",
        gettext_lazy("Promote into R&D"),
        gettext_lazy("Idea promoted into R&D"),
    )
    actions.register_action(
        "cocreate.idea.ship",
        gettext_lazy("Mark shipped"),
        gettext_lazy("Idea marked shipped"),
    )
