"""The product team's back office: shortlists and their pages and scoring
criteria; an idea's evaluation page is in ``ideas.admin_evaluation``.

Every view checks a predicate of ``ideas.permissions``; writes are POSTs that call
one service each (``ideas.shortlists``, ``ideas.scoring``, ``ideas.rnd``) and say
in words what happened or why not, keeping what was typed when they refuse.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from cocreate.backoffice import (
    PredicateRequiredMixin,
    ServiceDeleteMixin,
    ServiceFormMixin,
    too_fast,
)
from ideas import permissions
from ideas.errors import IdeaError
from ideas.models import (
    Criterion,
    Idea,
    Shortlist,
    ShortlistEntry,
)
from ideas.product import evaluation, scoring, shortlists
from ideas.product.exports import TOO_MANY_EXPORTS, ExportFormat, export_response
from ideas.product.forms import NoteForm

MANUAL = "manual"


# Shortlists ----------------------------------------------------------------------


class ShortlistIndexView(generic.IndexView):
    """Shortlists by name; each name opens the shortlist's page."""

    page_url_name = None

    def get_base_queryset(self):
        return super().get_base_queryset().annotate(ideas_total=Count("entries"))

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        column_class = self._get_title_column_class(column_class)
        return column_class(
            "name",
            label=gettext_lazy("Name"),
            sort_key="name",
            get_url=lambda shortlist: reverse(self.page_url_name, args=[shortlist.pk]),
        )


class ShortlistCreateView(generic.CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class ShortlistViewSet(ModelViewSet):
    model = Shortlist
    icon = "list-ol"
    menu_label = gettext_lazy("Shortlists")
    url_prefix = "product/shortlists"
    url_namespace = "product_shortlists"
    index_view_class = ShortlistIndexView
    add_view_class = ShortlistCreateView
    form_fields = ["name", "description"]
    list_display = [
        "name",
        "description",
        Column("ideas_total", label=gettext_lazy("Ideas"), sort_key="ideas_total"),
        "updated_at",
    ]
    search_fields = ["name", "description"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            page_url_name=self.get_url_name("page"), **kwargs
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/ideas/", ShortlistPageView.as_view(), name="page"),
            path(
                "<int:pk>/ideas/<int:idea_pk>/note/",
                ShortlistNoteView.as_view(),
                name="note",
            ),
            path(
                "<int:pk>/ideas/<int:idea_pk>/move/",
                ShortlistMoveView.as_view(),
                name="move",
            ),
            path(
                "<int:pk>/ideas/<int:idea_pk>/remove/",
                ShortlistRemoveView.as_view(),
                name="remove",
            ),
            path("<int:pk>/export/", ShortlistExportView.as_view(), name="export"),
        ]


def _sort_from(value: str) -> tuple[str, bool]:
    """``?sort=score`` (the key's natural direction) or ``?sort=-score`` (reversed);
    anything unknown is the manual order."""
    reverse_order = value.startswith("-")
    key = value.removeprefix("-")
    if key in evaluation.sort_keys():
        return key, reverse_order
    return MANUAL, False


def shortlist_ideas(shortlist: Shortlist, sort: str = MANUAL, reverse_order=False):
    """The shortlist's ideas with their signals, note and place; constant queries."""
    queryset = evaluation.with_signals(
        Idea.objects.filter(shortlist_entries__shortlist=shortlist)
    ).annotate(
        entry_note=F("shortlist_entries__note"),
        entry_position=F("shortlist_entries__position"),
    )
    if sort == MANUAL:
        return queryset.order_by("entry_position", "shortlist_entries__id")
    return evaluation.order_by_key(
        queryset, sort, then="entry_position", reverse=reverse_order
    )


class ShortlistMixin(PredicateRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        self.shortlist = get_object_or_404(Shortlist, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def page_url(self, sort: str = "") -> str:
        url = reverse("product_shortlists:page", args=[self.shortlist.pk])
        key, reverse_order = _sort_from(sort)
        if key != MANUAL:
            url += f"?sort={'-' if reverse_order else ''}{key}"
        return url


class ShortlistPageView(ShortlistMixin, WagtailAdminTemplateMixin, TemplateView):
    """The ideas of a shortlist, in the manual order or sorted by a column."""

    permission_predicate = staticmethod(permissions.can_view_shortlists)
    template_name = "ideas/admin/product/shortlist_page.html"
    header_icon = "list-ol"

    def get_page_title(self):
        return self.shortlist.name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse("product_shortlists:index"),
                "label": _("Shortlists"),
            },
            {"url": "", "label": self.shortlist.name},
        ]

    @cached_property
    def header_buttons(self):
        buttons = []
        if self.request.user.has_perm("ideas.change_shortlist"):
            buttons.append(
                HeaderButton(
                    _("Edit name and description"),
                    url=reverse("product_shortlists:edit", args=[self.shortlist.pk]),
                    icon_name="edit",
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sort, reverse_order = _sort_from(self.request.GET.get("sort", ""))
        ideas = list(shortlist_ideas(self.shortlist, sort, reverse_order))
        names = [signal.name for signal in evaluation.registered_signals()]
        for idea in ideas:
            idea.signal_values = [getattr(idea, name, None) for name in names]
        keys = evaluation.sort_keys()
        current = f"{'-' if reverse_order else ''}{sort}"
        columns = []
        for key in keys.values():
            # A click on the column sorted now turns its direction around.
            target = f"-{key.key}" if current == key.key else key.key
            columns.append(
                {
                    "key": key.key,
                    "label": key.label,
                    "url": f"?sort={target}",
                    "active": sort == key.key,
                    "reversed": sort == key.key and reverse_order,
                }
            )
        context.update(
            shortlist=self.shortlist,
            ideas=ideas,
            columns=columns,
            sort=sort,
            current_sort="" if sort == MANUAL else current,
            manual=sort == MANUAL,
            can_manage=permissions.can_manage_shortlists(self.request.user),
            can_export=permissions.can_export(self.request.user),
            can_evaluate=permissions.can_evaluate(self.request.user),
            export_formats=ExportFormat.values,
            description=self.shortlist.description,
        )
        return context


class ShortlistWriteView(ShortlistMixin, View):
    permission_predicate = staticmethod(permissions.can_manage_shortlists)
    http_method_names = ["post"]

    def post(self, request, pk: int, idea_pk: int):
        idea = get_object_or_404(Idea, pk=idea_pk)
        if not too_fast(request, "shortlist"):
            try:
                self.act(request, idea)
            except IdeaError as error:
                messages.error(request, str(error))
        return redirect(self.page_url(request.POST.get("sort", "")))

    def act(self, request, idea: Idea) -> None:
        raise NotImplementedError


class ShortlistNoteView(ShortlistWriteView):
    def act(self, request, idea: Idea) -> None:
        form = NoteForm(request.POST)
        if not form.is_valid():
            raise IdeaError(_("Please keep the note under 2,000 characters."))
        shortlists.set_note(
            actor=request.user,
            shortlist=self.shortlist,
            idea=idea,
            note=form.cleaned_data["note"],
        )
        messages.success(
            request, _("The note on “%(idea)s” is saved.") % {"idea": idea.title}
        )


class ShortlistMoveView(ShortlistWriteView):
    def act(self, request, idea: Idea) -> None:
        direction = request.POST.get("direction")
        if direction not in ("up", "down"):
            raise IdeaError(_("Choose to move the idea up or down."))
        shortlists.move(
            actor=request.user,
            shortlist=self.shortlist,
            idea=idea,
            offset=-1 if direction == "up" else 1,
        )
        messages.success(
            request,
            (
                _("“%(idea)s” moved up.")
                if direction == "up"
                else _("“%(idea)s” moved down.")
            )
            % {"idea": idea.title},
        )


class ShortlistRemoveView(ShortlistWriteView):
    def act(self, request, idea: Idea) -> None:
        shortlists.remove_idea(actor=request.user, shortlist=self.shortlist, idea=idea)
        messages.success(
            request,
            _("“%(idea)s” is off “%(shortlist)s”; its status stays as it was.")
            % {"idea": idea.title, "shortlist": self.shortlist.name},
        )


class ShortlistExportView(ShortlistMixin, View):
    """The shortlist's ideas as a file, in the order the page shows them."""

    permission_predicate = staticmethod(permissions.can_export)
    http_method_names = ["get"]

    def get(self, request, pk: int):
        if not permissions.can_view_shortlists(request.user):
            raise PermissionDenied
        fmt = request.GET.get("format", "")
        sort = request.GET.get("sort", "")
        if fmt not in ExportFormat.values:
            messages.error(request, _("Choose CSV, Excel or JSON."))
            return redirect(self.page_url(sort))
        if too_fast(request, "export", TOO_MANY_EXPORTS):
            return redirect(self.page_url(sort))
        key, reverse_order = _sort_from(sort)
        ideas = shortlist_ideas(self.shortlist, key, reverse_order)
        notes = dict(
            ShortlistEntry.objects.filter(shortlist=self.shortlist).values_list(
                "idea_id", "note"
            )
        )
        return export_response(
            request,
            ideas=ideas,
            fmt=fmt,
            source=f"shortlist:{self.shortlist.pk} {self.shortlist.name}",
            notes=notes,
            basename=f"shortlist-{self.shortlist.pk}",
        )


# Scoring criteria ----------------------------------------------------------------


class CriterionCreateView(ServiceFormMixin, generic.CreateView):
    domain_errors = (IdeaError,)

    def save_instance(self):
        return scoring.save_criterion(
            actor=self.request.user, criterion=self.form.instance
        )


class CriterionEditView(ServiceFormMixin, generic.EditView):
    """Weights, scales and use change every score: the service rescores."""

    domain_errors = (IdeaError,)

    def save_instance(self):
        return scoring.save_criterion(
            actor=self.request.user, criterion=self.form.instance
        )


class CriterionDeleteView(ServiceDeleteMixin, generic.DeleteView):
    domain_errors = (IdeaError,)

    def delete_action(self):
        scoring.delete_criterion(actor=self.request.user, criterion=self.object)


class CriterionViewSet(ModelViewSet):
    model = Criterion
    icon = "sliders"
    menu_label = gettext_lazy("Scoring criteria")
    url_prefix = "product/criteria"
    url_namespace = "product_criteria"
    add_view_class = CriterionCreateView
    edit_view_class = CriterionEditView
    delete_view_class = CriterionDeleteView
    form_fields = ["name", "description", "weight", "scale", "position", "is_active"]
    list_display = ["name", "description", "weight", "scale", "position", "is_active"]
    ordering = ["position", "id"]
    copy_view_enabled = False
    inspect_view_enabled = False


class ProductGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Product")
    menu_icon = "pick"
    menu_order = 210
    items = (ShortlistViewSet, CriterionViewSet)
