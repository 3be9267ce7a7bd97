"""Personal API tokens: created with a scope, revoked by their owner (or a
superuser). Wagtail's ``APIToken`` keeps only a keyed hash of the token."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import APIToken

from ideas import permissions
from ideas.errors import InvalidInput, NotAllowed
from ideas.models import ApiTokenScope, TokenScope


@transaction.atomic
def create_token(*, owner, name: str, scope: str) -> tuple[APIToken, str]:
    """A new token of ``owner``'s and its plaintext, to show once and never again."""
    if not (permissions.can_use_api(owner) or owner.is_superuser):
        raise NotAllowed(_("Your account may not use the API."))
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Please name the token, e.g. “Jira sync”."))
    if scope not in TokenScope.values:
        raise InvalidInput(_("Please choose read, or read and write."))
    token, plaintext = APIToken.create_token(user=owner, name=name[:255])
    ApiTokenScope.objects.create(token=token, scope=scope)
    log(token, "wagtail.apitoken.create", user=owner, data={"scope": scope})
    return token, plaintext


@transaction.atomic
def revoke_token(*, actor, token: APIToken) -> bool:
    """Revoke a token at once; False when it was already revoked."""
    if token.user_id != actor.pk and not actor.is_superuser:
        raise NotAllowed(_("Only the token's owner can revoke it."))
    if token.revoked_at is not None:
        return False
    token.revoke()
    log(token, "wagtail.apitoken.revoke", user=actor)
    return True
