"""Private campaigns: who may see a campaign's ideas, read from Wagtail's privacy
settings on the campaign's page or on any page above it.

An editor makes a campaign private in the page's *Privacy* dialog. For the ideas
of such a campaign (and for taking part in it) the settings read:

- ``login`` ("any logged-in users"): every signed-in member;
- ``groups``: members of one of the chosen groups;
- ``password`` (a shared password): nobody but the brand team, since a password
  shown to the page is no account we could check on an idea's page, a list or
  a socket.

The brand team (everyone with ``ideas.view_idea``: moderators, product team,
editors, superusers) sees every campaign. A campaign under several restrictions
(its own and an ancestor's) admits those whom every one admits, as Wagtail does.

The rules are read in one or two queries and cached (``RULES_KEY``); the cache is
emptied whenever a restriction, its groups or a campaign page changes, or a page
moves (receivers connected in ``ideas.apps``).

What a member brings to the rules (whether their permissions make them brand
team, and their groups) is cached too, per member (``MEMBER_KEY``), so a
member's page does not read their permissions and groups on every request. Each
entry carries the token of ``MEMBER_GENERATION_KEY``, which any change of a
group's members or permissions, of a member's own permissions, or of a group or
permission row replaces: the next request reads afresh. ``is_active`` and
``is_superuser`` come from the request's own user, never from the cache.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from ideas import events
from ideas.models.campaigns import CampaignPage

RULES_KEY = "ideas:campaign-access:v2"
#: A safety net only: every change that matters empties the cache at once.
RULES_TIMEOUT = 600

LOGIN = PageViewRestriction.LOGIN
GROUPS = PageViewRestriction.GROUPS
PASSWORD = PageViewRestriction.PASSWORD

MEMBER_KEY = "ideas:member-access:v1:{}"
MEMBER_GENERATION_KEY = "ideas:member-access:generation"
#: A safety net only: every change that matters replaces the generation.
MEMBER_TIMEOUT = 300

#: Marks on a user object, filled once per request (like Django's permission cache).
_ACCESS_ATTR = "_cocreate_member_access"


@dataclass(frozen=True)
class Rule:
    """One privacy restriction that applies to a campaign."""

    kind: str
    group_ids: frozenset[int] = frozenset()
    #: The groups' names, sorted, to tell those admitted who else is.
    group_names: tuple[str, ...] = ()


def campaign_rules() -> dict[int, tuple[Rule, ...]]:
    """Restricted campaigns (by id) and the rules each must pass; others are open."""
    rules = cache.get(RULES_KEY)
    if rules is None:
        rules = _read_rules()
        cache.set(RULES_KEY, rules, timeout=RULES_TIMEOUT)
    return rules


def _read_rules() -> dict[int, tuple[Rule, ...]]:
    restrictions: dict[int, tuple[str, str, dict[int, str]]] = {}
    rows = PageViewRestriction.objects.exclude(
        restriction_type=PageViewRestriction.NONE
    ).values_list("pk", "restriction_type", "page__path", "groups", "groups__name")
    for pk, kind, path, group_id, group_name in rows:
        _kind, _path, groups = restrictions.setdefault(pk, (kind, path, {}))
        if group_id is not None:
            groups[group_id] = group_name
    if not restrictions:
        return {}
    under_any = Q()
    for _kind, path, _groups in restrictions.values():
        under_any |= Q(path__startswith=path)
    found: dict[int, list[Rule]] = {}
    for campaign_id, campaign_path in CampaignPage.objects.filter(
        under_any
    ).values_list("pk", "path"):
        found[campaign_id] = [
            Rule(kind, frozenset(groups), tuple(sorted(groups.values())))
            for kind, path, groups in restrictions.values()
            if campaign_path.startswith(path)
        ]
    return {pk: tuple(rules) for pk, rules in found.items()}


def forget_rules(*args, **kwargs) -> None:
    """Receiver: a restriction, its groups or a campaign changed; read afresh.

    Forgotten now, for the rest of this transaction, and again once it commits:
    a request that read the rules in between saw the old ones and may have
    cached them."""
    _forget()
    transaction.on_commit(_forget)


def _forget() -> None:
    cache.delete(RULES_KEY)
    events.campaign_access_changed.send(sender=None)


def sees_every_campaign(user) -> bool:
    """The brand team: moderators, the product team, editors and superusers."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or _member_access(user)[0]


def _group_ids(user) -> frozenset[int]:
    return _member_access(user)[1]


def _member_access(user) -> tuple[bool, frozenset[int]]:
    """Whether the member's permissions include ``ideas.view_idea``, and their
    groups' ids: once per request, from the cache when its generation holds."""
    found = getattr(user, _ACCESS_ATTR, None)
    if found is not None:
        return found
    key = MEMBER_KEY.format(user.pk)
    kept = cache.get_many([MEMBER_GENERATION_KEY, key])
    generation = kept.get(MEMBER_GENERATION_KEY)
    entry = kept.get(key)
    if generation is not None and isinstance(entry, tuple) and len(entry) == 3:
        kept_generation, team, group_ids = entry
        if kept_generation == generation:
            found = (bool(team), frozenset(group_ids))
    if found is None:
        found = (
            user.has_perm("ideas.view_idea"),
            frozenset(user.groups.values_list("pk", flat=True)),
        )
        if generation is None:
            token = secrets.token_hex(6)
            generation = token if cache.add(MEMBER_GENERATION_KEY, token) else None
        if generation is not None:
            cache.set(key, (generation, *found), timeout=MEMBER_TIMEOUT)
    setattr(user, _ACCESS_ATTR, found)
    return found


def forget_members(*args, **kwargs) -> None:
    """Receiver: a group's members or permissions, a member's permissions, or a
    group or permission changed: every member's access is read afresh, now and
    again once the change commits (a request in between may have kept the old)."""
    cache.delete(MEMBER_GENERATION_KEY)
    transaction.on_commit(lambda: cache.delete(MEMBER_GENERATION_KEY))


def _admits(rule: Rule, user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if rule.kind == LOGIN:
        return True
    if rule.kind == GROUPS:
        return bool(rule.group_ids & _group_ids(user))
    return False  # a shared password: the brand team only (checked by the caller)


def closed_campaigns(user) -> frozenset[int]:
    """Ids of the campaigns whose ideas this person may not see (none for the
    brand team, every restricted one for visitors)."""
    rules = campaign_rules()
    if not rules:
        return frozenset()
    if not (user and user.is_authenticated):
        return frozenset(rules)
    if sees_every_campaign(user):
        return frozenset()
    return frozenset(
        pk
        for pk, campaign in rules.items()
        if not all(_admits(rule, user) for rule in campaign)
    )


def restricted_campaigns() -> frozenset[int]:
    """Ids of every campaign that is not open to everybody."""
    return frozenset(campaign_rules())


def may_view_campaign(user, campaign_id: int | None) -> bool:
    """May see (and so take part in) the campaign of this id; ideas without a
    campaign are open to everybody."""
    if campaign_id is None:
        return True
    rules = campaign_rules().get(campaign_id)
    if rules is None:
        return True
    if sees_every_campaign(user):
        return True
    return all(_admits(rule, user) for rule in rules)


def left_out_of_its_groups(user, campaign_id: int | None) -> bool:
    """A signed-in member whom a group restriction on the campaign leaves out.
    Wagtail would send them to log in, which they have; the login page would
    send them back, and round they would go."""
    if not (user and user.is_authenticated) or sees_every_campaign(user):
        return False
    rules = campaign_rules().get(campaign_id) if campaign_id is not None else None
    return any(rule.kind == GROUPS and not _admits(rule, user) for rule in rules or ())


def open_to_everyone(campaign_id: int | None) -> bool:
    return campaign_id is None or campaign_id not in campaign_rules()


def same_audience(first_id: int | None, second_id: int | None) -> bool:
    """The two campaigns (``None``: no campaign) admit the same people: both open
    to everybody, or under the very same restrictions."""
    rules = campaign_rules()
    return frozenset(rules.get(first_id, ()) if first_id is not None else ()) == (
        frozenset(rules.get(second_id, ()) if second_id is not None else ())
    )


def login_would_admit(campaign_id: int | None) -> bool:
    """A visitor who signs in would see this campaign: every restriction on it
    asks only for an account. (Groups and passwords are not announced to
    visitors: their ideas answer "not found".)"""
    rules = campaign_rules().get(campaign_id) if campaign_id is not None else None
    if not rules:
        return False
    return all(rule.kind == LOGIN for rule in rules)


def members_admitted(campaign_id: int | None) -> QuerySet | None:
    """The members who may see the campaign's ideas, as a queryset (one SQL
    subquery wherever it is used); ``None`` when it is open to everybody."""
    rules = campaign_rules().get(campaign_id) if campaign_id is not None else None
    if not rules:
        return None
    members = get_user_model().objects.filter(is_active=True)
    view_idea = Q(codename="view_idea", content_type__app_label="ideas")
    team = (
        Q(is_superuser=True)
        | Q(user_permissions__in=Permission.objects.filter(view_idea))
        | Q(groups__permissions__in=Permission.objects.filter(view_idea))
    )
    admitted = members
    for rule in rules:
        if rule.kind == GROUPS:
            admitted = admitted.filter(
                pk__in=members.filter(groups__in=sorted(rule.group_ids)).values("pk")
            )
        elif rule.kind != LOGIN:
            admitted = admitted.none()
    return members.filter(
        Q(pk__in=members.filter(team).values("pk")) | Q(pk__in=admitted.values("pk"))
    )


@dataclass(frozen=True)
class Audience:
    """Who a private campaign admits, as those who see it are told."""

    kind: str  # LOGIN, GROUPS or PASSWORD: the narrowest of its restrictions
    group_names: tuple[str, ...] = ()


def audience(campaign_id: int | None, rules=None) -> Audience | None:
    """Who may see the campaign's ideas besides the brand team; ``None`` when it
    is open to everybody. ``rules``: ``campaign_rules()`` read before, so a list
    of cards reads the cache once."""
    if campaign_id is None:
        return None
    found = (campaign_rules() if rules is None else rules).get(campaign_id)
    if not found:
        return None
    kinds = {rule.kind for rule in found}
    if PASSWORD in kinds:
        return Audience(PASSWORD)
    if GROUPS in kinds:
        names = sorted({name for rule in found for name in rule.group_names})
        return Audience(GROUPS, tuple(names))
    return Audience(LOGIN)


def connect_receivers() -> None:
    """Empty the cache when what it holds may have changed: a restriction saved,
    deleted or given other groups, a campaign saved, published or deleted, a page
    moved (its campaigns move under other restrictions), a group renamed."""
    uid = "ideas.access.forget_rules"
    groups_through = PageViewRestriction.groups.through
    post_save.connect(forget_rules, sender=PageViewRestriction, dispatch_uid=uid)
    post_delete.connect(forget_rules, sender=PageViewRestriction, dispatch_uid=uid)
    m2m_changed.connect(forget_rules, sender=groups_through, dispatch_uid=uid)
    post_save.connect(forget_rules, sender=CampaignPage, dispatch_uid=uid)
    post_delete.connect(forget_rules, sender=CampaignPage, dispatch_uid=uid)
    page_published.connect(forget_rules, dispatch_uid=uid)
    page_unpublished.connect(forget_rules, dispatch_uid=uid)
    post_page_move.connect(forget_rules, dispatch_uid=uid)
    post_save.connect(forget_rules, sender=Group, dispatch_uid=uid)
    member = "ideas.access.forget_members"
    user_model = get_user_model()
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(forget_members, sender=through, dispatch_uid=member)
    for model in (Group, Permission):
        post_save.connect(forget_members, sender=model, dispatch_uid=member)
        post_delete.connect(forget_members, sender=model, dispatch_uid=member)
