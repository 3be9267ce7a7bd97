"""The admin's idea list: each idea leads to its evaluation page, and the list
exports through ``ideas.exports``: our columns in CSV,
XLSX and JSON, exactly the list's filters, search and order, for the product team.

Wagtail's index view already turns ``?export=<format>`` into a download of its
filtered queryset (``SpreadsheetExportMixin``); this view keeps its buttons and
URLs but answers them with our exporter, after the permission and rate limit.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.widgets.button import Button

from cocreate.backoffice import too_fast
from ideas import permissions
from ideas.product.exports import TOO_MANY_EXPORTS, ExportFormat, export_response


class IdeaIndexView(IndexView):
    #: Newest first, ties by id, so exports of the list keep a stable order.
    default_ordering = ("-created_at", "-id")
    #: ``SpreadsheetExportMixin.setup`` reads this to tell an export request.
    FORMATS = tuple(ExportFormat.values)

    @cached_property
    def show_export_buttons(self) -> bool:
        return permissions.can_export(self.request.user)

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons.copy()
        if self.show_export_buttons:
            buttons.append(
                Button(
                    _("Download JSON"),
                    url=self.get_export_url(ExportFormat.JSON),
                    icon_name="download",
                    priority=110,
                )
            )
        return buttons

    def get_list_more_buttons(self, instance):
        """Each idea leads to its evaluation page, for those who score or promote."""
        buttons = list(super().get_list_more_buttons(instance))
        if self.can_evaluate:
            buttons.append(
                Button(
                    _("Evaluate"),
                    url=reverse("product:evaluate", args=[instance.pk]),
                    icon_name="pick",
                    priority=5,
                )
            )
        return buttons

    @cached_property
    def can_evaluate(self) -> bool:
        return permissions.can_evaluate(self.request.user)

    def get(self, request, *args, **kwargs):
        if not self.is_export:
            return super().get(request, *args, **kwargs)
        # Short of Wagtail's listing (which would count and hold every row), the
        # export reads the same filtered, searched and ordered queryset in chunks.
        if not permissions.can_export(request.user):
            messages.error(request, _("Only the product team can export ideas."))
            return redirect("wagtailadmin_home")
        if too_fast(request, "export", TOO_MANY_EXPORTS):
            return redirect(self._listing_url())
        fmt = request.GET["export"]
        return export_response(
            request,
            ideas=self.get_queryset(),
            fmt=fmt,
            source=self._source(),
            basename="ideas",
        )

    def _listing_url(self) -> str:
        params = self.request.GET.copy()
        params.pop("export", None)
        query = params.urlencode()
        return f"{self.index_url}?{query}" if query else self.index_url

    def _source(self) -> str:
        """What the audit log says was exported: the list and its query."""
        params = self.request.GET.copy()
        for name in ("export", self.page_kwarg, "_w_filter_fragment"):
            params.pop(name, None)
        query = params.urlencode()
        return f"ideas: {query}" if query else "ideas: all"
