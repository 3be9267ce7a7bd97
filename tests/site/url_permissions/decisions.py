"""The table of decisions: one per URL pattern of the project's own.

The table holds one decision per URL pattern of the project's own: the method to
try and the answer each persona gets. A pattern without a decision (a new view) or
a decision without a pattern (a removed one) fails the first test, so no view
ships before someone decided who may use it.

Answers follow the house rules: the site sends visitors to its log-in page, the
Wagtail admin sends people without admin access to the admin's log-in page and
refuses people without the permission with a redirect to the admin home (and a
message); content someone may not see is a 404.
"""

from __future__ import annotations

from tests.site.url_permissions.helpers import (
    ANSWERERS,
    API,
    API_OTHER_METHODS,
    BAD_REQUEST,
    CONFLICT,
    EDITOR,
    FORBIDDEN,
    GET,
    LOGIN,
    MODERATOR,
    NO_CONTENT,
    NOT_FOUND,
    NOTE,
    OK,
    POST,
    PRODUCT,
    READERS,
    SUPER,
    TAG_EDITORS,
    TO_EVALUATION,
    TO_IDEA,
    TO_PRIVATE_IDEA,
    TO_SHORTLIST,
    TO_WEBHOOK,
    Answer,
    Decision,
    admin,
    goes,
    site,
)

DECISIONS: dict[str, Decision] = {
    # Site-wide -----------------------------------------------------------------
    "healthz": site(GET, anonymous=OK),
    # Anyone may switch language (a member's profile remembers it).
    "set_language": site(
        POST,
        data={"language": "fr", "next": "/healthz"},
        anonymous=goes("healthz"),
        others=goes("healthz"),
    ),
    # Wagtail's own log-in forms send everyone to allauth's (which logs in).
    "admin_login": site(
        POST, anonymous=goes("account_login"), others=goes("account_login")
    ),
    "page_login": site(
        POST, anonymous=goes("account_login"), others=goes("account_login")
    ),
    # Members -------------------------------------------------------------------
    "members:edit": site(GET),
    "members:consents": site(GET),
    "members:accept_terms": site(GET),
    "members:profile": site(GET, "alice", anonymous=OK),
    # Ideas ---------------------------------------------------------------------
    "ideas:list": site(GET, anonymous=OK),
    "ideas:create": site(GET),
    "ideas:detail": site(GET, "idea", anonymous=OK),
    # Only the author (alice, not a persona) and those who moderate edit an idea.
    "ideas:edit": site(GET, "idea", others=NOT_FOUND, moderator=OK, superuser=OK),
    # A public idea's image; who sees the images of other ideas:
    # tests/ideas/test_image_privacy.py. The fixture names a file never written.
    "ideas:image": site(
        GET, "idea", "idea_image", "rendition", anonymous=NOT_FOUND, others=NOT_FOUND
    ),
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
        data={"answer-body": "Thank you, the team is looking at it."},
        others=NOT_FOUND,
        moderator=TO_IDEA,
        product=TO_IDEA,
        superuser=TO_IDEA,
    ),
    "ideas:status": site(
        POST,
        "idea",
        data={"status-status": "under_review", "status-note": "We are testing it."},
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
    # Privacy: the member's own data -----------------------------------------------
    "privacy:home": site(GET),
    # The link is the member's: anyone else is told it is not valid. (The world
    # writes no zip, so the member is told it is gone; tests/privacy downloads.)
    "privacy:download": site(GET, "export_token", others=NOT_FOUND),
    "privacy_admin:requests": admin(GET, **SUPER),
    "privacy_admin:member": admin(GET, "alice", **SUPER),
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
    # The API (tested with tokens in tests/ideas/api/) ---------------------------
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


# The idea of a private campaign ------------------------------------------------------
#: Who may see the panel's campaign: the panelist and the brand team. To everyone
#: else its idea does not exist (a 404, visitors included: a campaign kept for
#: groups is not announced by a log-in page).
ADMITTED = ("panelist", "moderator", "product", "editor", "superuser")


def private(
    method: str,
    *args: str,
    admitted: Answer,
    data: dict | None = None,
    anonymous: Answer = NOT_FOUND,
    **answers: Answer,
) -> Decision:
    """A URL on the private campaign's idea: outsiders (the member, the suspended
    member) find nothing; the admitted get ``admitted`` unless named."""
    table = dict.fromkeys(ADMITTED, admitted)
    table.update(anonymous=anonymous, member=NOT_FOUND, suspended=NOT_FOUND)
    table.update(answers)
    return site(method, *args, data=data, **table)


#: The same URLs as the main table's, on ``private_idea`` (and its comment, by
#: another panelist). Actions need an account first, so visitors log in.
PRIVATE_DECISIONS: dict[str, Decision] = {
    "ideas:detail": private(GET, "private_idea", admitted=OK),
    "ideas:comments": private(GET, "private_idea", admitted=OK),
    "ideas:edit": private(
        GET,
        "private_idea",
        admitted=NOT_FOUND,
        anonymous=LOGIN,
        moderator=OK,
        superuser=OK,
    ),
    "ideas:support": private(
        POST, "private_idea", admitted=TO_PRIVATE_IDEA, anonymous=LOGIN
    ),
    "ideas:follow": private(
        POST, "private_idea", admitted=TO_PRIVATE_IDEA, anonymous=LOGIN
    ),
    "ideas:comment_create": private(
        POST,
        "private_idea",
        data={"body": "I would buy these."},
        admitted=TO_PRIVATE_IDEA,
        anonymous=LOGIN,
    ),
    "ideas:comment_edit": private(
        GET,
        "private_idea",
        "private_comment",
        admitted=TO_PRIVATE_IDEA,
        anonymous=LOGIN,
    ),
    "ideas:comment_delete": private(
        POST,
        "private_idea",
        "private_comment",
        admitted=TO_PRIVATE_IDEA,
        anonymous=LOGIN,
    ),
    "ideas:report": private(GET, "private_idea", admitted=OK, anonymous=LOGIN),
    "ideas:comment_report": private(
        GET, "private_idea", "private_comment", admitted=OK, anonymous=LOGIN
    ),
    "ideas:answer": private(
        POST,
        "private_idea",
        data={"answer-body": "Thank you, the team is looking at it."},
        admitted=NOT_FOUND,
        anonymous=LOGIN,
        moderator=TO_PRIVATE_IDEA,
        product=TO_PRIVATE_IDEA,
        superuser=TO_PRIVATE_IDEA,
    ),
    "ideas:status": private(
        POST,
        "private_idea",
        data={"status-status": "under_review", "status-note": "We are testing it."},
        admitted=NOT_FOUND,
        anonymous=LOGIN,
        moderator=TO_PRIVATE_IDEA,
        product=TO_PRIVATE_IDEA,
        superuser=TO_PRIVATE_IDEA,
    ),
    "ideas:moderate": private(
        POST,
        "private_idea",
        data={"action": "lock"},
        admitted=NOT_FOUND,
        anonymous=LOGIN,
        moderator=TO_PRIVATE_IDEA,
        superuser=TO_PRIVATE_IDEA,
    ),
}

#: Pages that list ideas or campaigns: the private idea's title (or its
#: campaign's) shows on them to the admitted only. Values: URL name, the world's
#: objects of its arguments, its query (an object of the world, or a text).
PRIVATE_LISTINGS: dict[str, tuple[str, tuple[str, ...], dict]] = {
    "idea list": ("ideas:list", (), {}),
    "idea list of the campaign": ("ideas:list", (), {"campaign": "private_campaign"}),
    "search": ("ideas:list", (), {"q": "heated sole"}),
    "author's profile": ("members:profile", ("paula",), {}),
    "idea form's campaigns": ("ideas:create", (), {}),
}
