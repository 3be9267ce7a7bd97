"""An idea's evaluation page in the back office: the product team's scores, the
shortlists it is on, promotion into R&D and shipping, each a POST to one service
that says in words what happened or why not, keeping what was typed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from cocreate import ratelimit
from cocreate.backoffice import PredicateRequiredMixin
from ideas import permissions
from ideas.errors import IdeaError
from ideas.models import (
    Criterion,
    Idea,
    IdeaStatus,
    Promotion,
    Score,
    ShortlistEntry,
)
from ideas.product import evaluation, rnd, scoring, shortlists
from ideas.product.forms import (
    AddToShortlistForm,
    PromoteForm,
    ScoreForm,
    ShipForm,
    criterion_field_name,
)

# An idea's evaluation -------------------------------------------------------------


def _excerpt(idea: Idea) -> str:
    return Truncator(strip_tags(idea.description_html)).words(60)


class EvaluationView(PredicateRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET: the idea, its signals, scores, shortlists and R&D record with the forms.
    POST (``action`` = score, shortlist, promote or ship): one service call; a
    refusal comes back with the form as typed and the reason."""

    permission_predicate = staticmethod(permissions.can_evaluate)
    template_name = "ideas/admin/product/evaluation.html"
    header_icon = "pick"
    action = None
    bound_forms: dict

    def dispatch(self, request, *args, **kwargs):
        self.idea = get_object_or_404(
            evaluation.with_signals(Idea.objects.all()), pk=kwargs["pk"]
        )
        self.bound_forms = {}
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Evaluate: %(title)s") % {"title": self.idea.title}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.idea.title}]

    def page_url(self) -> str:
        return reverse("product:evaluate", args=[self.idea.pk])

    # Reads ------------------------------------------------------------------

    def criteria(self) -> list[Criterion]:
        return list(Criterion.objects.filter(is_active=True))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        idea = self.idea
        criteria = self.criteria()
        scores = list(
            Score.objects.filter(idea=idea, criterion__is_active=True)
            .select_related("scorer")
            .order_by("scorer__display_name", "scorer_id")
        )
        by_scorer: dict[int, dict] = {}
        for score in scores:
            row = by_scorer.setdefault(
                score.scorer_id, {"scorer": score.scorer, "values": {}}
            )
            row["values"][score.criterion_id] = score.value
        score_rows = [
            {
                "scorer": row["scorer"],
                "is_me": scorer_id == user.pk,
                "cells": [row["values"].get(c.pk) for c in criteria],
            }
            for scorer_id, row in by_scorer.items()
        ]
        means = scoring.criterion_means([idea.pk]).get(idea.pk, {})
        entries = list(
            ShortlistEntry.objects.filter(idea=idea)
            .select_related("shortlist")
            .order_by("shortlist__name")
        )
        promotion = (
            Promotion.objects.filter(idea=idea)
            .select_related("owner", "promoted_by", "shipped_by")
            .first()
        )
        can_score = permissions.can_score(user)
        can_promote = permissions.can_promote(user)
        score_form = self.bound_forms.get("score")
        if score_form is None and can_score:
            mine = by_scorer.get(user.pk, {"values": {}})["values"]
            score_form = ScoreForm(
                criteria=criteria,
                initial={
                    criterion_field_name(c): mine.get(c.pk)
                    for c in criteria
                    if c.pk in mine
                },
            )
        shortlist_form = None
        if permissions.can_manage_shortlists(user):
            shortlist_form = self.bound_forms.get("shortlist") or AddToShortlistForm(
                exclude_ids=[entry.shortlist_id for entry in entries]
            )
        # A refused form comes back as typed, even if the idea moved meanwhile.
        promote_form = self.bound_forms.get("promote")
        if promote_form is None and can_promote and idea.status in rnd.PROMOTABLE:
            promote_form = PromoteForm(initial={"owner": user.pk})
        ship_form = self.bound_forms.get("ship")
        if ship_form is None and can_promote and idea.status == IdeaStatus.IN_RND:
            ship_form = ShipForm()
        signals = [
            {"label": signal.label, "value": getattr(idea, signal.name, None)}
            for signal in evaluation.registered_signals()
        ]
        context.update(
            idea=idea,
            excerpt=_excerpt(idea),
            signals=signals,
            criteria=[{"criterion": c, "mean": means.get(c.pk)} for c in criteria],
            score_rows=score_rows,
            score_form=score_form,
            entries=entries,
            shortlist_form=shortlist_form,
            promote_form=promote_form,
            ship_form=ship_form,
            promotion=promotion,
            can_view_shortlists=permissions.can_view_shortlists(user),
            can_score=can_score,
            shortlist_checkbox_may_move=idea.status
            in shortlists.MAY_BECOME_SHORTLISTED,
        )
        return context

    # Writes -----------------------------------------------------------------

    def post(self, request, *args, **kwargs):
        handler = {
            "score": self.post_score,
            "shortlist": self.post_shortlist,
            "promote": self.post_promote,
            "ship": self.post_ship,
        }.get(self.action)
        if handler is None:
            raise Http404
        return handler(request)

    def _refused(self, name: str, form, message: str = ""):
        """Back to the page with the form as typed; say why above it."""
        if message:
            form.add_error(None, message)
        messages.error(
            request=self.request,
            message=message or _("Nothing was saved; see below why."),
        )
        self.bound_forms[name] = form
        return self.render_to_response(self.get_context_data())

    def post_score(self, request):
        if not permissions.can_score(request.user):
            raise PermissionDenied
        form = ScoreForm(request.POST, criteria=self.criteria())
        if not form.is_valid():
            return self._refused("score", form)
        if not ratelimit.hit("score", str(request.user.pk)):
            return self._refused(
                "score",
                form,
                _("Too many scores in a short time; please wait a minute."),
            )
        try:
            score, scorers = scoring.score_idea(
                scorer=request.user, idea=self.idea, values=form.values()
            )
        except IdeaError as error:
            return self._refused("score", form, str(error))
        if score is None:
            messages.success(request, _("Your scores are saved; nobody scores it now."))
        else:
            messages.success(
                request,
                _("Your scores are saved. The idea scores %(score)s out of 100.")
                % {"score": score},
            )
        return redirect(self.page_url())

    def post_shortlist(self, request):
        if not permissions.can_manage_shortlists(request.user):
            raise PermissionDenied
        form = AddToShortlistForm(request.POST)
        if not form.is_valid():
            return self._refused("shortlist", form)
        if not ratelimit.hit("shortlist", str(request.user.pk)):
            return self._refused(
                "shortlist",
                form,
                _("Too many changes in a short time; please wait a minute."),
            )
        data = form.cleaned_data
        try:
            shortlists.add_idea(
                actor=request.user,
                shortlist=data["shortlist"],
                idea=self.idea,
                note=data["note"],
                mark_shortlisted=data["mark_shortlisted"],
                status_note=data["status_note"],
            )
        except IdeaError as error:
            return self._refused("shortlist", form, str(error))
        if data["mark_shortlisted"]:
            message = _("The idea is on “%(shortlist)s” and now shortlisted.")
        else:
            message = _("The idea is on “%(shortlist)s”.")
        messages.success(request, message % {"shortlist": data["shortlist"].name})
        return redirect(self.page_url())

    def post_promote(self, request):
        if not permissions.can_promote(request.user):
            raise PermissionDenied
        form = PromoteForm(request.POST)
        if not form.is_valid():
            return self._refused("promote", form)
        data = form.cleaned_data
        try:
            promotion = rnd.promote(
                actor=request.user,
                idea=self.idea,
                ticket_key=data["ticket_key"],
                ticket_url=data["ticket_url"],
                owner=data["owner"],
                target_date=data["target_date"],
                note=data["note"],
            )
        except IdeaError as error:
            return self._refused("promote", form, str(error))
        messages.success(
            request,
            _(
                "The idea is in R&D as %(ticket)s; its author, supporters and "
                "followers are told."
            )
            % {"ticket": promotion.ticket_key},
        )
        return redirect(self.page_url())

    def post_ship(self, request):
        if not permissions.can_promote(request.user):
            raise PermissionDenied
        form = ShipForm(request.POST)
        if not form.is_valid():
            return self._refused("ship", form)
        data = form.cleaned_data
        try:
            rnd.ship(
                actor=request.user,
                idea=self.idea,
                product_url=data["product_url"],
                note=data["note"],
            )
        except IdeaError as error:
            return self._refused("ship", form, str(error))
        messages.success(
            request,
            _("The idea has shipped; its author, supporters and followers are told."),
        )
        return redirect(self.page_url())


class ProductViewSet(ViewSet):
    """An idea's evaluation page and its forms, under /admin/product/ideas/<id>/."""

    name = "product"
    url_prefix = "product"
    url_namespace = "product"

    def get_urlpatterns(self):
        return [
            path("ideas/<int:pk>/", EvaluationView.as_view(), name="evaluate"),
            *(
                path(
                    f"ideas/<int:pk>/{action}/",
                    EvaluationView.as_view(action=action, http_method_names=["post"]),
                    name=action,
                )
                for action in ("score", "shortlist", "promote", "ship")
            ),
        ]
