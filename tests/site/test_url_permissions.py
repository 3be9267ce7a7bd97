"""Who may use which URL: every URL pattern of the project, with its decision.

The table below holds one decision per URL pattern of the project's own: the
method to try and the answer each persona gets. A pattern without a decision (a
new view) or a decision without a pattern (a removed one) fails the first test,
so no view ships before someone decided who may use it.

Answers follow the house rules: the site sends visitors to its log-in page, the
Wagtail admin sends people without admin access to the admin's log-in page and
refuses people without the permission with a redirect to the admin home (and a
message); content someone may not see is a 404.
"""

from __future__ import annotations

import dataclasses
import datetime
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialApp
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import APIToken, Page

from cocreate.members.sanctions import sanction
from cocreate.notifications.models import Kind, Notification
from cocreate.notifications.services import unsubscribe_token
from cocreate.pages.models import HomePage
from ideas.models import (
    CampaignPage,
    Criterion,
    Idea,
    ModerationReason,
    Shortlist,
    WebhookDelivery,
    WebhookSubscription,
)
from ideas.moderation import merging
from ideas.product import shortlists
from rewards import ledger, redemptions
from rewards.models import (
    Badge,
    CampaignMultiplier,
    EarningRule,
    Level,
    Reward,
    RewardKind,
    Wallet,
)
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    IdeaFactory,
    UserFactory,
)

#: WhiteNoise warns on every request when collectstatic has not run; not our topic.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

# Which URL patterns are the project's own ----------------------------------------

OWN_MODULES = ("cocreate.", "ideas.", "rewards.")
#: Namespaces of our admin viewsets, whose generic views live in Wagtail's modules.
OWN_ADMIN_NAMESPACES = {
    "social-login",
    "ideas_admin",
    "categories_admin",
    "tags_admin",
    "moderation_reasons",
    "brand_team",
    "api_tokens",
    "api-v1",
    "product",
    "product_shortlists",
    "product_criteria",
    "webhooks",
}


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace
                    else pattern.namespace
                )
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            callback = pattern.callback
            view_class = getattr(callback, "view_class", None)
            module = (view_class or callback).__module__
            route = prefix + str(pattern.pattern)
            name = pattern.name or route
            if namespace:
                name = f"{namespace}:{name}"
            yield name, route, module, namespace or ""


def _is_own(module: str, namespace: str) -> bool:
    last = namespace.rpartition(":")[2]
    return (
        module.startswith(OWN_MODULES)
        or last in OWN_ADMIN_NAMESPACES
        or last.startswith("rewards_")
    )


def project_urls() -> dict[str, str]:
    """The project's own URL patterns: namespaced name -> route."""
    return {
        name: route
        for name, route, module, namespace in _walk(get_resolver().url_patterns)
        if _is_own(module, namespace)
    }


# Decisions -------------------------------------------------------------------------

PERSONAS = (
    "anonymous",
    "member",
    "suspended",
    "moderator",
    "product",
    "editor",
    "superuser",
)
ROLES = ("moderator", "product", "editor", "superuser")
GET, POST = "get", "post"


@dataclasses.dataclass(frozen=True)
class Answer:
    """A status code and, for a redirect, the URL name (and the objects of the
    world that fill its arguments) it must lead to."""

    status: int
    to: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.status} to {self.to[0]}" if self.to else str(self.status)


OK = Answer(200)
NO_CONTENT = Answer(204)
BAD_REQUEST = Answer(400)
FORBIDDEN = Answer(403)
NOT_FOUND = Answer(404)
CONFLICT = Answer(409)
UNAUTHORIZED = Answer(401)
NOT_ALLOWED = Answer(405)
#: To the site's log-in page.
LOGIN = Answer(302, ("account_login",))
#: To the admin's log-in page: no admin access at all.
ADMIN_LOGIN = Answer(302, ("wagtailadmin_login",))
#: To the admin home with "Sorry, you do not have permission": admin access, but
#: not this permission.
REFUSED = Answer(302, ("wagtailadmin_home",))


def goes(url_name: str, *objects: str) -> Answer:
    """A redirect to the page of this URL name (the outcome, or a refusal in words)."""
    return Answer(302, (url_name, *objects))


TO_IDEA = goes("ideas:detail", "idea")
TO_SHORTLIST = goes("product_shortlists:page", "shortlist")
TO_EVALUATION = goes("product:evaluate", "idea")
TO_WEBHOOK = goes("webhooks:inspect", "webhook")


@dataclasses.dataclass(frozen=True)
class Decision:
    method: str
    #: Objects of the world (``_build_world``) whose primary keys, or values, fill
    #: the URL's arguments.
    args: tuple[str, ...]
    answers: dict[str, Answer]
    data: dict | None = None
    #: persona -> why the view's current answer is wrong (a known bug).
    bugs: dict[str, str] = dataclasses.field(default_factory=dict)


def site(
    method: str,
    *args: str,
    data: dict | None = None,
    anonymous: Answer = LOGIN,
    others: Answer = OK,
    bugs: dict[str, str] | None = None,
    **answers: Answer,
) -> Decision:
    """A page of the public site: visitors log in first unless told otherwise;
    every logged-in persona gets ``others`` unless named."""
    table = dict.fromkeys(PERSONAS, others)
    table.update(anonymous=anonymous, **answers)
    return Decision(method, args, table, data, bugs or {})


def admin(
    method: str,
    *args: str,
    data: dict | None = None,
    bugs: dict[str, str] | None = None,
    **answers: Answer,
) -> Decision:
    """A page of the Wagtail admin: members have no admin access; the brand team's
    roles are refused unless named."""
    table = dict.fromkeys(("anonymous", "member", "suspended"), ADMIN_LOGIN)
    table.update(dict.fromkeys(ROLES, REFUSED))
    table.update(answers)
    return Decision(method, args, table, data, bugs or {})


def all_roles(answer: Answer) -> dict[str, Answer]:
    return dict.fromkeys(ROLES, answer)


#: Whom each model's generic admin views admit (the role groups' permissions).
SUPER = {"superuser": OK}
EDITOR = {"editor": OK, "superuser": OK}
MODERATOR = {"moderator": OK, "superuser": OK}
ANSWERERS = {"moderator": OK, "product": OK, "superuser": OK}
TAG_EDITORS = {"moderator": OK, "editor": OK, "superuser": OK}
READERS = all_roles(OK)
PRODUCT = {"product": OK, "superuser": OK}

NOTE = {"note": "Checked by the team."}
#: The API answers bearer tokens only: a session cookie is no credential there.
API = {"anonymous": UNAUTHORIZED, "others": UNAUTHORIZED}
#: Endpoints whose only methods are PUT, PATCH or DELETE (the table tries GET).
API_OTHER_METHODS = {"anonymous": NOT_ALLOWED, "others": NOT_ALLOWED}

DECISIONS: dict[str, Decision] = {
    # Site-wide -----------------------------------------------------------------
    "healthz": site(GET, anonymous=OK),
    # Members -------------------------------------------------------------------
    "members:edit": site(GET),
    "members:profile": site(GET, "alice", anonymous=OK),
    # Ideas ---------------------------------------------------------------------
    "ideas:list": site(GET, anonymous=OK),
    "ideas:create": site(GET),
    "ideas:detail": site(GET, "idea", anonymous=OK),
    # Only the author (alice, not a persona) and those who moderate edit an idea.
    "ideas:edit": site(GET, "idea", others=NOT_FOUND, moderator=OK, superuser=OK),
    # Refusals (the suspended member) come back to the idea with a message.
    "ideas:support": site(POST, "idea", others=TO_IDEA),
    "ideas:follow": site(POST, "idea", others=TO_IDEA),
    "ideas:comments": site(GET, "idea", anonymous=OK),
    "ideas:comment_create": site(
        POST,
        "idea",
        data={"body": "I would buy these."},
        others=TO_IDEA,
        suspended=BAD_REQUEST,
    ),
    # The comment is the member's: others are sent back to it with a message.
    "ideas:comment_edit": site(GET, "idea", "comment", others=TO_IDEA, member=OK),
    "ideas:comment_delete": site(POST, "idea", "comment", others=TO_IDEA),
    "ideas:report": site(GET, "idea"),
    "ideas:comment_report": site(GET, "idea", "comment"),
    "ideas:answer": site(
        POST,
        "idea",
        data={"body": "Thank you, the team is looking at it."},
        others=NOT_FOUND,
        moderator=TO_IDEA,
        product=TO_IDEA,
        superuser=TO_IDEA,
    ),
    "ideas:status": site(
        POST,
        "idea",
        data={"status": "under_review", "note": "We are testing it."},
        others=NOT_FOUND,
        moderator=TO_IDEA,
        product=TO_IDEA,
        superuser=TO_IDEA,
    ),
    "ideas:moderate": site(
        POST,
        "idea",
        data={"action": "lock"},
        others=NOT_FOUND,
        moderator=TO_IDEA,
        superuser=TO_IDEA,
    ),
    # Notifications -------------------------------------------------------------
    "notifications:list": site(GET),
    "notifications:bell": site(GET),
    # The notification is the member's; others only mark their own (none) read.
    "notifications:read": site(POST, "notification", others=goes("notifications:list")),
    "notifications:read_all": site(POST, others=goes("notifications:list")),
    "notifications:preferences": site(GET),
    # The signed token authenticates, whoever clicks it.
    "notifications:unsubscribe": site(GET, "unsubscribe_token", anonymous=OK),
    # Rewards -------------------------------------------------------------------
    "rewards:catalogue": site(GET, anonymous=OK),
    "rewards:detail": site(GET, "reward", anonymous=OK),
    # Only the member has points; the suspended member may not redeem at all.
    "rewards:redeem": site(
        POST,
        "reward",
        others=CONFLICT,
        member=goes("rewards:wallet"),
        suspended=FORBIDDEN,
    ),
    "rewards:wallet": site(GET),
    "rewards:nav_points": site(GET, anonymous=NO_CONTENT),
    # The redemption is the member's; nobody else's is found.
    "rewards:cancel": site(
        POST, "redemption", others=NOT_FOUND, member=goes("rewards:wallet")
    ),
    "rewards:leaderboard": site(GET, anonymous=OK),
    # Admin: social login providers (superusers only) --------------------------
    "social-login:index": admin(GET, **SUPER),
    "social-login:index_results": admin(GET, **SUPER),
    "social-login:add": admin(GET, **SUPER),
    "social-login:edit": admin(GET, "social_app", **SUPER),
    "social-login:delete": admin(GET, "social_app", **SUPER),
    "social-login:history": admin(GET, "social_app", **SUPER),
    "social-login:history_results": admin(GET, "social_app", **SUPER),
    "social-login:usage": admin(GET, "social_app", **SUPER),
    # Admin: ideas are read-only there, for everyone (services change them) -----
    "ideas_admin:index": admin(GET, **READERS),
    "ideas_admin:index_results": admin(GET, **READERS),
    "ideas_admin:add": admin(GET),
    "ideas_admin:edit": admin(GET, "idea"),
    "ideas_admin:delete": admin(GET, "idea"),
    "ideas_admin:history": admin(GET, "idea"),
    "ideas_admin:history_results": admin(GET, "idea"),
    "ideas_admin:usage": admin(GET, "idea"),
    "ideas_admin:inspect": admin(GET, "idea", **READERS),
    # Admin: categories (editors manage, the brand team reads) ------------------
    "categories_admin:index": admin(GET, **READERS),
    "categories_admin:index_results": admin(GET, **READERS),
    "categories_admin:add": admin(GET, **EDITOR),
    "categories_admin:edit": admin(GET, "category", **EDITOR),
    "categories_admin:delete": admin(GET, "category", **EDITOR),
    "categories_admin:history": admin(GET, "category", **EDITOR),
    "categories_admin:history_results": admin(GET, "category", **EDITOR),
    "categories_admin:usage": admin(GET, "category", **EDITOR),
    # Admin: tags (moderators add and rename, editors also delete) --------------
    "tags_admin:index": admin(GET, **READERS),
    "tags_admin:index_results": admin(GET, **READERS),
    "tags_admin:add": admin(GET, **TAG_EDITORS),
    "tags_admin:edit": admin(GET, "tag", **TAG_EDITORS),
    "tags_admin:delete": admin(GET, "tag", **EDITOR),
    "tags_admin:history": admin(GET, "tag", **TAG_EDITORS),
    "tags_admin:history_results": admin(GET, "tag", **TAG_EDITORS),
    "tags_admin:usage": admin(GET, "tag", **TAG_EDITORS),
    # Admin: reasons for hiding, the moderators' own templates ------------------
    "moderation_reasons:index": admin(GET, **MODERATOR),
    "moderation_reasons:index_results": admin(GET, **MODERATOR),
    "moderation_reasons:add": admin(GET, **MODERATOR),
    "moderation_reasons:edit": admin(GET, "moderation_reason", **MODERATOR),
    "moderation_reasons:delete": admin(GET, "moderation_reason", **MODERATOR),
    "moderation_reasons:history": admin(GET, "moderation_reason", **MODERATOR),
    "moderation_reasons:history_results": admin(GET, "moderation_reason", **MODERATOR),
    "moderation_reasons:usage": admin(GET, "moderation_reason", **MODERATOR),
    # Admin: the brand team's own pages ----------------------------------------
    "brand_team:queue": admin(GET, **MODERATOR),
    "brand_team:member": admin(GET, "alice", **MODERATOR),
    "brand_team:undo_merge": admin(
        POST,
        "merge",
        moderator=goes("ideas:detail", "duplicate"),
        superuser=goes("ideas:detail", "duplicate"),
    ),
    "brand_team:unanswered": admin(GET, **ANSWERERS),
    # Admin: the product team's shortlists, criteria and evaluation ------------
    "product_shortlists:index": admin(GET, **PRODUCT),
    "product_shortlists:index_results": admin(GET, **PRODUCT),
    "product_shortlists:add": admin(GET, **PRODUCT),
    "product_shortlists:edit": admin(GET, "shortlist", **PRODUCT),
    "product_shortlists:delete": admin(GET, "shortlist", **PRODUCT),
    "product_shortlists:history": admin(GET, "shortlist", **PRODUCT),
    "product_shortlists:history_results": admin(GET, "shortlist", **PRODUCT),
    "product_shortlists:usage": admin(GET, "shortlist", **PRODUCT),
    "product_shortlists:page": admin(GET, "shortlist", **PRODUCT),
    "product_shortlists:note": admin(
        POST,
        "shortlist",
        "idea",
        data=NOTE,
        product=TO_SHORTLIST,
        superuser=TO_SHORTLIST,
    ),
    "product_shortlists:move": admin(
        POST,
        "shortlist",
        "idea",
        data={"direction": "down"},
        product=TO_SHORTLIST,
        superuser=TO_SHORTLIST,
    ),
    "product_shortlists:remove": admin(
        POST, "shortlist", "idea", product=TO_SHORTLIST, superuser=TO_SHORTLIST
    ),
    "product_shortlists:export": admin(
        GET, "shortlist", data={"format": "csv"}, **PRODUCT
    ),
    "product_criteria:index": admin(GET, **PRODUCT),
    "product_criteria:index_results": admin(GET, **PRODUCT),
    "product_criteria:add": admin(GET, **PRODUCT),
    "product_criteria:edit": admin(GET, "criterion", **PRODUCT),
    # Criteria carry scores: only superusers delete them.
    "product_criteria:delete": admin(GET, "criterion", **SUPER),
    "product_criteria:history": admin(GET, "criterion", **PRODUCT),
    "product_criteria:history_results": admin(GET, "criterion", **PRODUCT),
    "product_criteria:usage": admin(GET, "criterion", **PRODUCT),
    "product:evaluate": admin(GET, "idea", **PRODUCT),
    "product:score": admin(
        POST, "idea", product=TO_EVALUATION, superuser=TO_EVALUATION
    ),
    # Empty forms come back with their errors.
    "product:shortlist": admin(POST, "idea", **PRODUCT),
    "product:promote": admin(POST, "idea", **PRODUCT),
    "product:ship": admin(POST, "idea", **PRODUCT),
    # Admin: personal API tokens (each their own; superusers see all) ---------
    "api_tokens:index": admin(GET, **PRODUCT),
    "api_tokens:index_results": admin(GET, **PRODUCT),
    "api_tokens:add": admin(GET, **PRODUCT),
    "api_tokens:edit": admin(GET, "api_token", **PRODUCT),
    "api_tokens:delete": admin(GET, "api_token", **PRODUCT),
    "api_tokens:history": admin(GET, "api_token", **PRODUCT),
    "api_tokens:history_results": admin(GET, "api_token", **PRODUCT),
    "api_tokens:usage": admin(GET, "api_token", **PRODUCT),
    # The API (tested with tokens in tests/ideas/test_api.py) --------------------
    "api-v1:openapi-json": site(GET, anonymous=OK),
    "api-v1:openapi-view": site(GET, anonymous=OK),
    "api-v1:api-root": site(GET, anonymous=NOT_FOUND, others=NOT_FOUND),
    "api-v1:campaigns": site(GET, **API),
    "api-v1:statuses": site(GET, **API),
    "api-v1:ideas": site(GET, **API),
    "api-v1:shortlists": site(GET, **API),
    "api-v1:idea": site(GET, "idea", **API),
    "api-v1:idea_comments": site(GET, "idea", **API),
    "api-v1:shortlist": site(GET, "shortlist", **API),
    "api-v1:idea_status": site(POST, "idea", **API),
    "api-v1:idea_promotion": site(POST, "idea", **API),
    "api-v1:idea_shipping": site(POST, "idea", **API),
    "api-v1:shortlist_ideas": site(POST, "shortlist", **API),
    "api-v1:idea_scores": site(GET, "idea", **API_OTHER_METHODS),
    "api-v1:shortlist_idea": site(GET, "shortlist", "idea", **API_OTHER_METHODS),
    # Admin: webhooks (the product team's) -------------------------------------
    "webhooks:index": admin(GET, **PRODUCT),
    "webhooks:index_results": admin(GET, **PRODUCT),
    "webhooks:add": admin(GET, **PRODUCT),
    "webhooks:edit": admin(GET, "webhook", **PRODUCT),
    "webhooks:delete": admin(GET, "webhook", **PRODUCT),
    "webhooks:history": admin(GET, "webhook", **PRODUCT),
    "webhooks:history_results": admin(GET, "webhook", **PRODUCT),
    "webhooks:usage": admin(GET, "webhook", **PRODUCT),
    "webhooks:inspect": admin(GET, "webhook", **PRODUCT),
    "webhooks:test": admin(POST, "webhook", product=TO_WEBHOOK, superuser=TO_WEBHOOK),
    "webhooks:redeliver": admin(
        POST, "webhook", "webhook_delivery", product=TO_WEBHOOK, superuser=TO_WEBHOOK
    ),
    "webhooks:regenerate_secret": admin(
        POST,
        "webhook",
        product=goes("webhooks:edit", "webhook"),
        superuser=goes("webhooks:edit", "webhook"),
    ),
    # Admin: redemptions (moderators decide; rows change through services) -----
    "rewards_redemptions:index": admin(GET, **MODERATOR),
    "rewards_redemptions:index_results": admin(GET, **MODERATOR),
    "rewards_redemptions:add": admin(GET),
    "rewards_redemptions:edit": admin(GET, "redemption"),
    "rewards_redemptions:delete": admin(GET, "redemption"),
    "rewards_redemptions:history": admin(GET, "redemption", **MODERATOR),
    "rewards_redemptions:history_results": admin(GET, "redemption", **MODERATOR),
    "rewards_redemptions:usage": admin(GET, "redemption"),
    "rewards_redemptions:inspect": admin(GET, "redemption", **MODERATOR),
    **{
        f"rewards_redemptions:{action}": admin(
            POST,
            "redemption",
            data=NOTE,
            moderator=goes("rewards_redemptions:inspect", "redemption"),
            superuser=goes("rewards_redemptions:inspect", "redemption"),
        )
        for action in ("approve", "fulfil", "reject", "cancel")
    },
    # Admin: money payouts ------------------------------------------------------
    "rewards_payouts:index": admin(GET, **MODERATOR),
    "rewards_payouts:export": admin(
        POST,
        moderator=goes("rewards_payouts:index"),
        superuser=goes("rewards_payouts:index"),
    ),
    # Nothing is ticked: the page comes back saying why.
    "rewards_payouts:mark_paid": admin(POST, **MODERATOR),
    # Admin: wallets (moderators look and adjust; rows change through services) -
    "rewards_wallets:index": admin(GET, **MODERATOR),
    "rewards_wallets:index_results": admin(GET, **MODERATOR),
    "rewards_wallets:add": admin(GET),
    "rewards_wallets:edit": admin(GET, "wallet"),
    "rewards_wallets:delete": admin(GET, "wallet"),
    "rewards_wallets:history": admin(GET, "wallet", **MODERATOR),
    "rewards_wallets:history_results": admin(GET, "wallet", **MODERATOR),
    "rewards_wallets:usage": admin(GET, "wallet"),
    "rewards_wallets:inspect": admin(GET, "wallet", **MODERATOR),
    "rewards_wallets:adjust": admin(
        POST,
        "wallet",
        data={"amount": 5, "memo": "Goodwill"},
        moderator=goes("rewards_wallets:inspect", "wallet"),
        superuser=goes("rewards_wallets:inspect", "wallet"),
    ),
    "rewards_wallets:freeze": admin(
        POST,
        "wallet",
        data={"reason": "Under review"},
        moderator=goes("rewards_wallets:inspect", "wallet"),
        superuser=goes("rewards_wallets:inspect", "wallet"),
    ),
    "rewards_wallets:unfreeze": admin(
        POST,
        "wallet",
        moderator=goes("rewards_wallets:inspect", "wallet"),
        superuser=goes("rewards_wallets:inspect", "wallet"),
    ),
    # Admin: the catalogue (editors; moderators read it) ------------------------
    "rewards_catalogue:index": admin(GET, **TAG_EDITORS),
    "rewards_catalogue:index_results": admin(GET, **TAG_EDITORS),
    "rewards_catalogue:add": admin(GET, **EDITOR),
    "rewards_catalogue:edit": admin(GET, "reward", **EDITOR),
    "rewards_catalogue:delete": admin(GET, "reward"),
    "rewards_catalogue:history": admin(GET, "reward", **EDITOR),
    "rewards_catalogue:history_results": admin(GET, "reward", **EDITOR),
    "rewards_catalogue:usage": admin(GET, "reward", **EDITOR),
    "rewards_catalogue:import_codes": admin(GET, "voucher_reward", **EDITOR),
    # Admin: earning rules (editors tune the installed rules) -------------------
    "rewards_earning_rules:index": admin(GET, **EDITOR),
    "rewards_earning_rules:index_results": admin(GET, **EDITOR),
    "rewards_earning_rules:add": admin(GET, **SUPER),
    "rewards_earning_rules:edit": admin(GET, "earning_rule", **EDITOR),
    "rewards_earning_rules:delete": admin(GET, "earning_rule"),
    "rewards_earning_rules:history": admin(GET, "earning_rule", **EDITOR),
    "rewards_earning_rules:history_results": admin(GET, "earning_rule", **EDITOR),
    "rewards_earning_rules:usage": admin(GET, "earning_rule", **EDITOR),
    # Admin: campaign multipliers (editors) -------------------------------------
    "rewards_multipliers:index": admin(GET, **EDITOR),
    "rewards_multipliers:index_results": admin(GET, **EDITOR),
    "rewards_multipliers:add": admin(GET, **EDITOR),
    "rewards_multipliers:edit": admin(GET, "multiplier", **EDITOR),
    "rewards_multipliers:delete": admin(GET, "multiplier", **EDITOR),
    "rewards_multipliers:history": admin(GET, "multiplier", **EDITOR),
    "rewards_multipliers:history_results": admin(GET, "multiplier", **EDITOR),
    "rewards_multipliers:usage": admin(GET, "multiplier", **EDITOR),
    # Admin: levels (editors) ---------------------------------------------------
    "rewards_levels:index": admin(GET, **EDITOR),
    "rewards_levels:index_results": admin(GET, **EDITOR),
    "rewards_levels:add": admin(GET, **EDITOR),
    "rewards_levels:edit": admin(GET, "level", **EDITOR),
    "rewards_levels:delete": admin(GET, "level", **EDITOR),
    "rewards_levels:history": admin(GET, "level", **EDITOR),
    "rewards_levels:history_results": admin(GET, "level", **EDITOR),
    "rewards_levels:usage": admin(GET, "level", **EDITOR),
    # Admin: badges (editors; switched off, never deleted) ----------------------
    "rewards_badges:index": admin(GET, **EDITOR),
    "rewards_badges:index_results": admin(GET, **EDITOR),
    "rewards_badges:add": admin(GET, **EDITOR),
    "rewards_badges:edit": admin(GET, "badge", **EDITOR),
    "rewards_badges:delete": admin(GET, "badge"),
    "rewards_badges:history": admin(GET, "badge", **EDITOR),
    "rewards_badges:history_results": admin(GET, "badge", **EDITOR),
    "rewards_badges:usage": admin(GET, "badge", **EDITOR),
}


@dataclasses.dataclass(frozen=True)
class OwnCase:
    """A URL on something the persona owns, where the main table's objects (the
    member's) cannot tell the answer."""

    url_name: str
    persona: str
    args: tuple[str, ...]
    expected: Answer
    method: str = GET
    data: dict | None = None
    bug: str = ""


OWN_CASES = {
    "member edits own idea": OwnCase("ideas:edit", "member", ("member_idea",), OK),
    "suspended edits own idea": OwnCase(
        "ideas:edit",
        "suspended",
        ("suspended_idea",),
        goes("ideas:detail", "suspended_idea"),
    ),
    "suspended edits own comment": OwnCase(
        "ideas:comment_edit",
        "suspended",
        ("idea", "suspended_comment"),
        TO_IDEA,
    ),
    # Taking one's own words down stays possible during a suspension.
    "suspended deletes own comment": OwnCase(
        "ideas:comment_delete",
        "suspended",
        ("idea", "suspended_comment"),
        TO_IDEA,
        method=POST,
    ),
    # The page comes back saying why, as for any refused adjustment.
    "moderator adjusts own points": OwnCase(
        "rewards_wallets:adjust",
        "moderator",
        ("moderator_wallet",),
        OK,
        method=POST,
        data={"amount": 500, "memo": "Bonus"},
    ),
}


# Personas and the objects the URLs name -------------------------------------------


def _in_group(name: str, **fields):
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=name))
    return user


def _build_world() -> SimpleNamespace:
    """The personas and one of each object a URL names, through the services where
    a service exists. The member owns the comment, the notification, the wallet and
    the redemption; the idea is alice's (not a persona)."""
    w = SimpleNamespace()
    w.moderator = _in_group("Moderators", display_name="Mo Derator")
    w.product = _in_group("Product team", display_name="Pat Product")
    w.editor = _in_group("Editors", display_name="Ed Itor")
    w.superuser = UserFactory(is_superuser=True, is_staff=True, display_name="Root")
    w.member = UserFactory(display_name="Mia Member")
    ledger.adjust(member=w.member, amount=100, memo="Welcome", actor=w.moderator)
    w.suspended = UserFactory(display_name="Sid Suspended")
    sanction(
        actor=w.moderator,
        member=w.suspended,
        kind="suspension",
        reason="Insults in the comments",
        until=timezone.now() + datetime.timedelta(days=7),
    )
    w.suspended.refresh_from_db()
    w.alice = UserFactory(email="alice@example.com", display_name="Alice")
    w.charlie = UserFactory(email="charlie@example.com", display_name="Charlie")

    w.idea = IdeaFactory(author=w.alice, title="Shoes that dry overnight")
    # The factory writes rows: keep the idea's counter in step by hand, or deleting
    # the comment would break the counter's check constraint.
    w.comment = CommentFactory(idea=w.idea, author=w.member)
    Idea.objects.filter(pk=w.idea.pk).update(comments_count=F("comments_count") + 1)
    # What the member and the suspended member wrote themselves.
    w.member_idea = IdeaFactory(author=w.member, title="Laces that never untie")
    w.suspended_idea = IdeaFactory(author=w.suspended, title="Soles for ice")
    w.suspended_comment = CommentFactory(idea=w.idea, author=w.suspended)
    Idea.objects.filter(pk=w.idea.pk).update(comments_count=F("comments_count") + 1)
    w.duplicate = IdeaFactory(author=w.charlie, title="Shoes that dry quickly")
    w.merge = merging.merge(actor=w.moderator, source=w.duplicate, target=w.idea)
    w.moderation_reason = ModerationReason.objects.create(
        title="Off topic", message="Please keep to the idea being discussed."
    )
    w.category = CategoryFactory(name="Running", slug="running")
    w.tag = Tag.objects.create(name="waterproof", slug="waterproof")

    w.notification = Notification.objects.create(
        recipient=w.member, kind=Kind.REPLY, title="Bob replied to your comment"
    )
    w.unsubscribe_token = unsubscribe_token(w.member.pk, "reply")

    w.reward = Reward.objects.create(
        title="A tree planted", kind=RewardKind.DONATION, cost=10, cause="Forests"
    )
    w.voucher_reward = Reward.objects.create(
        title="10 € voucher", kind=RewardKind.VOUCHER, cost=50
    )
    w.redemption = redemptions.redeem(member=w.member, reward=w.reward)
    w.wallet = Wallet.objects.get(member=w.member)
    # Moderators are members too, and earn points like anyone.
    ledger.adjust(member=w.moderator, amount=5, memo="Launch", actor=w.superuser)
    w.moderator_wallet = Wallet.objects.get(member=w.moderator)
    w.earning_rule = EarningRule.objects.order_by("pk").first()
    w.level = Level.objects.order_by("threshold").first()
    w.badge = Badge.objects.order_by("pk").first()
    w.campaign = CampaignPage(
        title="Running shoes 2027",
        starts_on=datetime.date.today() - datetime.timedelta(days=1),
    )
    Page.objects.get(pk=HomePage.objects.get().pk).add_child(instance=w.campaign)
    w.campaign.save_revision().publish()
    w.multiplier = CampaignMultiplier.objects.create(campaign=w.campaign, multiplier=2)
    w.social_app = SocialApp.objects.create(
        provider="google", name="Google", client_id="client", secret="secret"
    )
    w.shortlist = Shortlist.objects.create(name="Running shoes 2027")
    shortlists.add_idea(actor=w.product, shortlist=w.shortlist, idea=w.idea)
    w.criterion = Criterion.objects.order_by("position").first()
    w.api_token, _plaintext = APIToken.create_token(user=w.product, name="Jira")
    # Nothing listens on port 9, so a test send fails at once.
    w.webhook = WebhookSubscription.objects.create(
        name="Tools", url="http://127.0.0.1:9/hook", events=["idea.published"]
    )
    w.webhook_delivery = WebhookDelivery.objects.create(
        subscription=w.webhook, event="idea.published", payload={}, status="failed"
    )
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its
    end; each test runs in a savepoint of it, so what a request changes (a merge
    undone, a redemption approved) is undone before the next one."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _value(world, name: str):
    value = getattr(world, name)
    return getattr(value, "pk", value)


def _login(client, world, persona: str):
    if persona != "anonymous":
        client.force_login(getattr(world, persona))


# Tests -----------------------------------------------------------------------------


def test_every_project_url_has_a_decision():
    urls = project_urls()
    undecided = sorted(set(urls) - set(DECISIONS))
    gone = sorted(set(DECISIONS) - set(urls))
    assert not undecided, f"decide who may use these URLs: {undecided}"
    assert not gone, f"these decisions name URLs that no longer exist: {gone}"


def test_every_decision_answers_every_persona_with_known_objects(world, db):
    for name, decision in DECISIONS.items():
        assert set(decision.answers) == set(PERSONAS), name
        assert set(decision.bugs) <= set(PERSONAS), name
        assert decision.method in (GET, POST), name
        targets = [a.to[1:] for a in decision.answers.values()]
        for attribute in [*decision.args, *(t for to in targets for t in to)]:
            assert hasattr(world, attribute), (name, attribute)


def _cases():
    for name, decision in DECISIONS.items():
        for persona in PERSONAS:
            marks = []
            if persona in decision.bugs:
                marks.append(
                    pytest.mark.xfail(strict=True, reason=decision.bugs[persona])
                )
            yield pytest.param(name, persona, id=f"{name}-{persona}", marks=marks)


@pytest.mark.parametrize(("url_name", "persona"), list(_cases()))
def test_url_answers_persona_as_decided(client, world, db, url_name, persona):
    decision = DECISIONS[url_name]
    expected = decision.answers[persona]
    url = reverse(url_name, args=[_value(world, f) for f in decision.args])
    _login(client, world, persona)

    response = getattr(client, decision.method)(url, decision.data or {})

    _assert_answer(response, expected, world, f"{decision.method} {url} as {persona}")


def _assert_answer(response, expected: Answer, world, what: str) -> None:
    assert response.status_code == expected.status, (
        f"{what}: {response.status_code} {response.get('Location', '')}, "
        f"expected {expected}"
    )
    if expected.to:
        target_name, *objects = expected.to
        target = reverse(target_name, args=[_value(world, f) for f in objects])
        location = response["Location"]
        assert urlsplit(location).path == urlsplit(target).path, (
            f"{what} went to {location}, expected {target}"
        )


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            case,
            id=name,
            marks=[pytest.mark.xfail(strict=True, reason=case.bug)] if case.bug else [],
        )
        for name, case in OWN_CASES.items()
    ],
)
def test_owners_get_what_their_state_allows(client, world, db, case):
    url = reverse(case.url_name, args=[_value(world, f) for f in case.args])
    _login(client, world, case.persona)

    response = getattr(client, case.method)(url, case.data or {})

    _assert_answer(response, case.expected, world, f"{case.method} {url}")


# Third-party areas, coarsely -------------------------------------------------------

ADMIN_HOME = {
    "anonymous": ADMIN_LOGIN,
    "member": ADMIN_LOGIN,
    "suspended": ADMIN_LOGIN,
    **all_roles(OK),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_home_admits_the_brand_team_only(client, world, db, persona):
    _login(client, world, persona)
    response = client.get(reverse("wagtailadmin_home"))
    expected = ADMIN_HOME[persona]
    assert response.status_code == expected.status
    if expected.to:
        assert urlsplit(response["Location"]).path == reverse(expected.to[0])


def test_login_page_is_open_to_visitors(client, db):
    assert client.get(reverse("account_login")).status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_health_check_answers_everybody(client, world, db, persona):
    _login(client, world, persona)
    assert client.get("/healthz").status_code == 200
