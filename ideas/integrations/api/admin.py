"""Personal API tokens in the back office: each member allowed to use the API
(``ideas.use_api``, the product team) creates, renames and revokes their own
tokens, choosing a scope (read, or read and write) at creation. The token is shown
once; Wagtail stores only its keyed hash. Superusers see and revoke everyone's.

Wagtail's own ``APITokenViewSet`` is registered only with ``wagtail.api.v3``
installed, which we do not install: it would hand tokens out by Wagtail's model
permissions (no scope, managed for others by whoever may change users)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.models import APIToken
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.users.views import api_tokens as wagtail_views

from cocreate.backoffice import PredicateRequiredMixin
from cocreate.text import SingleLineCharField
from ideas import permissions
from ideas.errors import IdeaError
from ideas.integrations.api import tokens
from ideas.models import TokenScope

NAMESPACE = "api_tokens"


class ApiTokenPolicy(ModelPermissionPolicy):
    """Tokens belong to members who may use the API, whatever Wagtail's model
    permissions on ``APIToken`` say; which tokens they see is the views' queryset."""

    def user_has_permission(self, user, action):
        return permissions.can_use_api(user) or bool(user and user.is_superuser)

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(["add"])


register_permission_policy(APIToken, ApiTokenPolicy(APIToken))


def may_manage_tokens(user) -> bool:
    return permissions.can_use_api(user) or bool(user and user.is_superuser)


class ApiTokenForm(forms.Form):
    name = SingleLineCharField(
        label=gettext_lazy("Name"),
        max_length=255,
        help_text=gettext_lazy("What the token is for, e.g. “Jira sync”."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Scope"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Read only, or read and write (status changes, promotion, shortlists, "
            "scores). Every request still needs your own permissions."
        ),
    )


class OwnTokensMixin(PredicateRequiredMixin):
    """Members manage their own tokens; superusers everybody's."""

    permission_predicate = staticmethod(may_manage_tokens)

    def get_queryset(self):
        # Some generic views fetch their object before dispatch: refuse first.
        if not may_manage_tokens(self.request.user):
            raise PermissionDenied
        queryset = super().get_queryset().select_related("user", "cocreate_scope")
        if self.request.user.is_superuser:
            return queryset
        return queryset.filter(user=self.request.user)


def _scope_label(token: APIToken) -> str:
    try:
        return token.cocreate_scope.get_scope_display()
    except APIToken.cocreate_scope.RelatedObjectDoesNotExist:
        return TokenScope.READ.label


class ScopeColumn(Column):
    def get_value(self, instance):
        return _scope_label(instance)


class IndexView(OwnTokensMixin, wagtail_views.IndexView):
    @cached_property
    def columns(self):
        columns = list(super().columns)
        columns.insert(2, ScopeColumn("scope", label=_("Scope")))
        if not self.request.user.is_superuser:
            columns = [c for c in columns if c.name != "user"]
        return columns


class CreateView(OwnTokensMixin, wagtail_views.CreateView):
    def get_form_kwargs(self):
        kwargs = super(wagtail_views.CreateView, self).get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def form_valid(self, form):
        try:
            self.object, plaintext = tokens.create_token(
                owner=self.request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
            )
        except IdeaError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        context = self.get_created_context(plaintext)
        context["scope_label"] = TokenScope(form.cleaned_data["scope"]).label
        response = TemplateResponse(
            self.request, "ideas/admin/api/created.html", context
        )
        add_never_cache_headers(response)  # the token must not stay in a cache
        return response


class EditView(OwnTokensMixin, wagtail_views.EditView):
    pass


class RevokeView(OwnTokensMixin, wagtail_views.RevokeView):
    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        tokens.revoke_token(actor=request.user, token=self.object)
        messages.success(
            request,
            _("The API token “%(name)s” is revoked; it no longer works.")
            % {"name": self.object.name},
        )
        return redirect(self.get_success_url())


class ApiTokenViewSet(wagtail_views.APITokenViewSet):
    name = "api-tokens"
    url_prefix = "api-tokens"
    url_namespace = NAMESPACE
    menu_label = gettext_lazy("API tokens")
    add_to_settings_menu = True
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = RevokeView

    def get_form_class(self, for_update=False):
        if for_update:
            return super().get_form_class(for_update=True)
        return ApiTokenForm
