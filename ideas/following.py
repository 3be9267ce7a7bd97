"""Following ideas, to hear what becomes of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from cocreate import ratelimit
from cocreate.members.sanctions import refusal
from ideas import permissions
from ideas.errors import AlreadyDone, NotAllowed, RateLimited
from ideas.models import Follow, Idea

if TYPE_CHECKING:
    from cocreate.members.types import User


@transaction.atomic
def follow(*, member: User, idea: Idea) -> Follow:
    if not permissions.can_follow(member, idea):
        raise NotAllowed(refusal(member) or _("Please log in to follow ideas."))
    if not ratelimit.hit("follow", str(member.pk)):
        raise RateLimited(_("Too many changes in a short time; please slow down."))
    try:
        with transaction.atomic():
            created = Follow.objects.create(idea=idea, member=member)
    except IntegrityError as exc:
        raise AlreadyDone(_("You already follow this idea.")) from exc
    Idea.objects.filter(pk=idea.pk).update(followers_count=F("followers_count") + 1)
    return created


@transaction.atomic
def unfollow(*, member: User, idea: Idea) -> None:
    if not permissions.is_member(member):
        raise NotAllowed(_("Please log in to follow ideas."))
    if not ratelimit.hit("follow", str(member.pk)):
        raise RateLimited(_("Too many changes in a short time; please slow down."))
    deleted, _details = Follow.objects.filter(idea=idea, member=member).delete()
    if not deleted:
        raise AlreadyDone(_("You do not follow this idea."))
    Idea.objects.filter(pk=idea.pk).update(followers_count=F("followers_count") - 1)
