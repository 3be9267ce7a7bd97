"""The personas, answers and world the URL permission tests share."""

from __future__ import annotations

import dataclasses
import datetime
from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialApp
from django.contrib.auth.models import Group
from django.db.models import F
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import APIToken, Page, PageViewRestriction

from cocreate.members.sanctions import sanction
from cocreate.notifications.models import Kind, Notification
from cocreate.notifications.services import unsubscribe_token
from cocreate.pages.models import HomePage
from cocreate.privacy.exports import download_token
from cocreate.privacy.models import DataExport, ExportStatus
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
    IdeaImageFactory,
    UserFactory,
)

# Decisions -------------------------------------------------------------------------
PERSONAS = (
    "anonymous",
    "member",
    "suspended",
    "moderator",
    "product",
    "editor",
    "superuser",
    # A member of a group a private campaign admits (a panel of customers).
    "panelist",
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


#: To the log-in page, from the admin: no admin access at all (the admin logs in
#: through allauth too).
ADMIN_LOGIN = Answer(302, ("account_login",))


#: To the admin home with "Sorry, you do not have permission": admin access, but
#: not this permission.
REFUSED = Answer(302, ("wagtailadmin_home",))


def goes(url_name: str, *objects: str) -> Answer:
    """A redirect to the page of this URL name (the outcome, or a refusal in words)."""
    return Answer(302, (url_name, *objects))


TO_IDEA = goes("ideas:detail", "idea")


TO_PRIVATE_IDEA = goes("ideas:detail", "private_idea")


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
    table = dict.fromkeys(("anonymous", "member", "suspended", "panelist"), ADMIN_LOGIN)
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


# Personas and the objects the URLs name -------------------------------------------
def _in_group(name: str, **fields):
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=name))
    return user


# Module fixtures build it before the per-test fixture that waives the staff's
# second factor: waived here too, or the moderator could not merge.
@override_settings(COCREATE_STAFF_MFA="none")
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
    w.idea_image = IdeaImageFactory(idea=w.idea)
    w.rendition = "thumb"
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
    # A ready download of the member's data (its zip is not written here).
    w.export_token = download_token(
        DataExport.objects.create(
            member=w.member,
            status=ExportStatus.READY,
            file_name=f"{w.member.pk}/not-written.zip",
            expires_at=timezone.now() + datetime.timedelta(days=7),
        )
    )

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
    _add_private_campaign(w)
    return w


def _add_private_campaign(w: SimpleNamespace) -> None:
    """A campaign open to a panel group only (Wagtail's privacy setting "users in
    specific groups"), with an idea and a comment of another panelist's."""
    w.panel = Group.objects.create(name="Verified customers")
    w.panelist = UserFactory(display_name="Pia Panelist")
    w.panelist.groups.add(w.panel)
    w.paula = UserFactory(email="paula@example.com", display_name="Paula")
    w.paula.groups.add(w.panel)
    w.private_campaign = CampaignPage(
        title="Panel: prototype boots",
        starts_on=datetime.date.today() - datetime.timedelta(days=1),
    )
    home = Page.objects.get(pk=HomePage.objects.get().pk)
    home.add_child(instance=w.private_campaign)
    w.private_campaign.save_revision().publish()
    restriction = PageViewRestriction.objects.create(
        page=w.private_campaign, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(w.panel)
    w.private_idea = IdeaFactory(
        author=w.paula, campaign=w.private_campaign, title="Boots with a heated sole"
    )
    w.private_comment = CommentFactory(
        idea=w.private_idea, author=w.paula, body="Warm feet at last."
    )
    Idea.objects.filter(pk=w.private_idea.pk).update(comments_count=1)


def _value(world, name: str):
    value = getattr(world, name)
    return getattr(value, "pk", value)


def _login(client, world, persona: str):
    if persona != "anonymous":
        client.force_login(getattr(world, persona))


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
