"""Who may do what with ideas: predicates that views, templates and services ask."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from cocreate.i18n import in_site_language
from cocreate.members.permissions import can_participate
from cocreate.members.roles import MODERATORS, PRODUCT_TEAM
from cocreate.members.staff_security import must_enrol
from ideas.models import CampaignPage, Comment, Idea, IdeaStatus
from ideas.models.access import (
    login_would_admit,
    may_view_campaign,
    members_admitted,
)


def is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def participates(user) -> bool:
    """May post, support and comment: a member who is not suspended."""
    return can_participate(user)


def can_view_campaign(user, campaign: CampaignPage | int | None) -> bool:
    """May see the campaign's ideas and take part in it: everybody, unless the
    brand made it private (``ideas.models.access`` reads its privacy settings)."""
    campaign_id = campaign.pk if isinstance(campaign, CampaignPage) else campaign
    return may_view_campaign(user, campaign_id)


def can_view_idea(user, idea: Idea) -> bool:
    if is_member(user) and idea.author_id == user.pk:
        return True  # authors see their own pending or hidden ideas, with a notice
    if idea.is_readable and can_view_campaign(user, idea.campaign_id):
        return True  # a removed idea keeps its page and discussion, unlisted
    return bool(user and user.is_authenticated and user.has_perm("ideas.change_idea"))


def sign_in_would_show(idea: Idea) -> bool:
    """A visitor would see this idea once signed in: its campaign asks only for
    an account. Ideas of campaigns kept for groups, or behind a password, are
    not announced to visitors at all."""
    return login_would_admit(idea.campaign_id)


def idea_viewers(sender, idea_id: int, **kwargs):
    """Receiver of ``events.idea_viewers``: who may see the idea, as a queryset of
    members (its campaign's admitted members and its author), or ``None`` when
    its campaign is open to everybody."""
    row = Idea.objects.filter(pk=idea_id).values_list("campaign_id", "author_id")
    found = row.first()
    if found is None:
        return get_user_model().objects.none()
    campaign_id, author_id = found
    admitted = members_admitted(campaign_id)
    if admitted is None:
        return None
    return get_user_model().objects.filter(
        Q(pk__in=admitted.values("pk")) | Q(pk=author_id)
    )


def can_post_idea(user, campaign: CampaignPage | None = None) -> bool:
    return participates(user) and can_view_campaign(user, campaign)


def idea_edit_window_open(idea: Idea, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    window = datetime.timedelta(minutes=settings.COCREATE_IDEA_EDIT_MINUTES)
    return idea.supports_count == 0 or now - idea.created_at <= window


def can_edit_idea(user, idea: Idea) -> bool:
    """Authors edit while nobody supports the idea yet, or in its first 30 minutes;
    moderators edit any idea that is not merged (to remove personal data, say)."""
    if can_moderate(user) and idea.status not in (
        IdeaStatus.DUPLICATE,
        IdeaStatus.REMOVED,
    ):
        return True
    return (
        participates(user)
        and idea.author_id == user.pk
        and idea.status
        not in (IdeaStatus.HIDDEN, IdeaStatus.DUPLICATE, IdeaStatus.REMOVED)
        and idea_edit_window_open(idea)
    )


def can_support(user, idea: Idea) -> bool:
    return (
        participates(user)
        and idea.is_open
        and idea.author_id != user.pk
        and can_view_campaign(user, idea.campaign_id)
    )


def can_follow(user, idea: Idea) -> bool:
    """Following shows in the idea's public count: a suspension stops it too
    (unfollowing stays open, as withdrawing a support does)."""
    return (
        participates(user)
        and idea.is_public
        and can_view_campaign(user, idea.campaign_id)
    )


def can_comment(user, idea: Idea) -> bool:
    return (
        participates(user)
        and idea.is_open
        and not idea.comments_locked
        and can_view_campaign(user, idea.campaign_id)
    )


#: Mark on a user object: ``must_enrol`` read once per request.
_ENROL_ATTR = "_cocreate_must_enrol"


def second_factor_pending(user) -> bool:
    """A staff account the brand asks for a second factor that has none yet: it
    keeps no brand-team power (on the site, in the admin or through the API)
    until it enrols at /accounts/2fa/."""
    if not (user and user.is_authenticated):
        return False
    pending = getattr(user, _ENROL_ATTR, None)
    if pending is None:
        pending = must_enrol(user)
        setattr(user, _ENROL_ATTR, pending)
    return pending


def _has(user, permission: str) -> bool:
    """A brand-team permission, which needs the second factor the brand asks for."""
    return bool(
        user
        and user.is_authenticated
        and user.has_perm(permission)
        and not second_factor_pending(user)
    )


def can_change_status(user) -> bool:
    return _has(user, "ideas.change_idea_status")


def can_answer_officially(user, idea: Idea) -> bool:
    """The brand team answers even where comments are locked."""
    return (
        participates(user)
        and _has(user, "ideas.post_official_answer")
        and idea.status not in (IdeaStatus.HIDDEN, IdeaStatus.DRAFT, IdeaStatus.REMOVED)
    )


def can_answer_at_all(user) -> bool:
    """Belongs to the brand team that answers ideas (moderators, product team)."""
    return _has(user, "ideas.post_official_answer")


def can_moderate(user) -> bool:
    return _has(user, "ideas.moderate_idea")


def can_manage_shortlists(user) -> bool:
    return _has(user, "ideas.change_shortlist")


def can_view_shortlists(user) -> bool:
    return _has(user, "ideas.view_shortlist")


def can_score(user) -> bool:
    return _has(user, "ideas.score_idea")


def can_promote(user) -> bool:
    return _has(user, "ideas.promote_idea")


def can_evaluate(user) -> bool:
    """Sees an idea's evaluation page: scorers and those who promote."""
    return can_score(user) or can_promote(user)


def can_export(user) -> bool:
    return _has(user, "ideas.export_ideas")


def can_use_api(user) -> bool:
    return _has(user, "ideas.use_api")


def can_manage_webhooks(user) -> bool:
    return _has(user, "ideas.change_webhooksubscription")


def comment_edit_window_open(
    comment: Comment, now: datetime.datetime | None = None
) -> bool:
    now = now or timezone.now()
    window = datetime.timedelta(minutes=settings.COCREATE_COMMENT_EDIT_MINUTES)
    return now - comment.created_at <= window


def can_edit_comment(user, comment: Comment) -> bool:
    return (
        participates(user)
        and comment.author_id == user.pk
        and not comment.is_removed
        and comment_edit_window_open(comment)
    )


def can_delete_comment(user, comment: Comment) -> bool:
    return is_member(user) and comment.author_id == user.pk and not comment.is_removed


@in_site_language()
def official_role(user) -> str:
    """How an official answer is signed: the answerer's role, never their email.

    Stored untranslated (the catalogue's English) and translated for each reader.
    """
    from django.utils.translation import gettext_noop

    names = {group.name for group in user.groups.all()}
    if PRODUCT_TEAM in names:
        return gettext_noop("Product team")
    if MODERATORS in names:
        return gettext_noop("Community manager")
    return gettext_noop("Brand team")
