"""What the seeded demo holds: accounts, content, and seeding twice."""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.core.files.storage import default_storage
from django.db.models import F
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from cocreate.members import consents
from cocreate.members.models import ConsentRecord, User
from cocreate.page_translations import in_default_language
from cocreate.pages.models import ContentPage, HomePage, LegalPage
from ideas.counters import recount_ideas
from ideas.models import (
    CampaignPage,
    Category,
    Comment,
    Follow,
    Idea,
    IdeaImage,
    IdeaRevision,
    IdeaStatus,
    Support,
)
from rewards.audit import run_audit
from rewards.models import (
    EarningRule,
    Entry,
    EntryKind,
    MemberBadge,
    Milestone,
    Redemption,
    RedemptionStatus,
    Reward,
    RewardKind,
    VoucherCode,
    Wallet,
)
from tests.site.seed_demo.helpers import DEMO_PASSWORD, community_ideas, counts, seed

DEMO_ACCOUNTS = (
    "member@example.com",
    "moderator@example.com",
    "product@example.com",
    "editor@example.com",
)


class TestTheSeededSite:
    """Seeded once with 20 ideas: what the demo holds."""

    def test_it_creates_the_demo_accounts_who_can_log_in(self, seeded, client):
        for email in DEMO_ACCOUNTS:
            assert client.login(email=email, password=DEMO_PASSWORD), email
            client.logout()
            assert EmailAddress.objects.filter(
                email=email, verified=True, primary=True
            ).exists()
        staff = {user.email: user for user in User.objects.filter(is_staff=True)}
        # The R&D lab scores ideas and owns them in R&D; nobody logs in as it.
        lab = staff.pop("lab@example.com")
        assert lab.groups.get().name == "Product team"
        assert not client.login(email=lab.email, password=DEMO_PASSWORD)
        assert set(staff) == set(DEMO_ACCOUNTS) - {"member@example.com"}
        assert not any(user.is_superuser for user in staff.values())
        roles = {
            email: set(user.groups.values_list("name", flat=True))
            for email, user in staff.items()
        }
        assert roles == {
            "moderator@example.com": {"Moderators"},
            "product@example.com": {"Product team"},
            "editor@example.com": {"Editors"},
        }
        assert staff["moderator@example.com"].has_perm("wagtailadmin.access_admin")
        assert staff["product@example.com"].has_perm("wagtailadmin.access_admin")
        assert User.objects.get(email="member@example.com").display_name

    def test_staff_accounts_open_the_admin_and_the_member_does_not(
        self, seeded, client
    ):
        for email, status in (
            ("moderator@example.com", 200),
            ("product@example.com", 200),
            ("editor@example.com", 200),
            ("member@example.com", 302),
        ):
            client.login(email=email, password=DEMO_PASSWORD)
            assert client.get("/admin/").status_code == status, email
            client.logout()

    def test_it_creates_members_with_verified_emails_and_some_avatars(self, seeded):
        members = User.objects.filter(is_staff=False)
        assert members.count() == 31  # 30 community members and the demo member
        assert all(member.display_name for member in members)
        assert not members.exclude(emailaddress__verified=True).exists()
        with_avatar = members.exclude(avatar="")
        assert 0 < with_avatar.count() < members.count()
        assert default_storage.exists(with_avatar.first().avatar.name)

    def test_it_creates_the_pages_categories_and_three_public_campaigns(self, seeded):
        home = in_default_language(HomePage.objects.all()).get()
        assert home.hero_title and home.hero_text and home.hero_image
        pages = {page.slug: page for page in ContentPage.objects.live().child_of(home)}
        assert set(pages) == {"charter", "faq", "rules"}
        assert [block.block_type for block in pages["faq"].body].count("question") >= 3
        assert 5 <= Category.objects.count() <= 6

        campaigns = list(CampaignPage.objects.live().child_of(home).public().specific())
        assert len(campaigns) == 3
        assert all(
            campaign.hero_image and campaign.categories.exists()
            for campaign in campaigns
        )
        open_ = [campaign for campaign in campaigns if campaign.is_open()]
        assert len(open_) == 2
        assert any(campaign.support_threshold for campaign in open_)
        assert any(campaign.premoderate for campaign in open_)
        closed = next(campaign for campaign in campaigns if not campaign.is_open())
        assert closed.ends_on < timezone.localdate()

    def test_it_publishes_the_terms_and_every_member_accepted_them(
        self, seeded, client
    ):
        home = in_default_language(HomePage.objects.all()).get()
        legal = {page.slug: page for page in LegalPage.objects.live().child_of(home)}
        assert set(legal) == {"terms", "privacy"}
        assert {v.kind for v in consents.current_legal_versions()} == {
            "terms",
            "privacy",
        }
        assert not User.objects.filter(terms_pending=True).exists()
        member = User.objects.get(email="member@example.com")
        assert set(
            ConsentRecord.objects.filter(member=member).values_list(
                "purpose", flat=True
            )
        ) >= {"terms", "privacy"}
        assert client.get("/terms/").status_code == 200
        assert b"Version 1.0" in client.get("/privacy/").content

    def test_it_creates_ideas_with_pictures_tags_and_a_past(self, seeded):
        assert community_ideas().count() == 20
        now = timezone.now()
        assert not Idea.objects.filter(created_at__gte=now).exists()
        assert Idea.objects.filter(
            created_at__lt=now - datetime.timedelta(days=14)
        ).exists()
        assert not Idea.objects.filter(images__isnull=True).exists()
        picture = IdeaImage.objects.first()
        # Idea images are private files, in a storage of their own.
        assert picture.image.storage.exists(picture.image.name)
        assert picture.thumbnail.storage.exists(picture.thumbnail.name)
        assert not default_storage.exists(picture.image.name)
        assert picture.width and picture.height
        assert not Idea.objects.filter(tags__isnull=True).exists()
        assert IdeaRevision.objects.count() == Idea.objects.count()
        # Every idea's author follows it, as when they post it themselves (the
        # follows of the demo's merged duplicate moved to the idea it joined).
        assert (
            Follow.objects.filter(member_id=F("idea__author_id")).count()
            == Idea.objects.exclude(status="duplicate").count()
        )

    def test_supports_and_comments_are_spread_over_weeks(self, seeded):
        assert Support.objects.filter(idea__in=community_ideas()).count() == 20 * 8
        old = timezone.now() - datetime.timedelta(days=7)
        assert Support.objects.filter(created_at__lt=old).exists()
        assert Support.objects.filter(created_at__gte=old).exists()
        assert not Support.objects.filter(member_id=F("idea__author_id")).exists()
        assert Comment.objects.filter(parent__isnull=False).exists()
        assert Comment.objects.filter(created_at__lt=old).exists()
        for support in Support.objects.select_related("idea")[:50]:
            assert support.created_at >= support.idea.created_at

    def test_the_demo_member_has_ideas_with_supports(self, seeded):
        member = User.objects.get(email="member@example.com")
        ideas = Idea.objects.filter(author=member)
        assert ideas.filter(supports_count__gt=0).exists()
        assert ideas.filter(status=IdeaStatus.PENDING).exists()
        assert Support.objects.filter(member=member).exists()

    def test_counters_are_exact_after_seeding(self, seeded):
        assert recount_ideas() == 0

    def test_ideas_are_in_the_search_index(self, seeded):
        idea = Idea.objects.public().first()
        word = max(idea.title.split(), key=len)
        results = get_search_backend().search(word, Idea.objects.public())
        assert idea in list(results)

    def test_it_is_idempotent(self, seeded):
        before = counts()
        wallets = list(
            Wallet.objects.values_list("available", "held", "lifetime_earned")
        )
        out = seed("--ideas", "20")
        assert "Ideas were seeded before; none added." in out
        assert "Points were seeded before; none added." in out
        seed("--ideas", "40")
        assert counts() == before
        assert recount_ideas() == 0
        assert (
            list(Wallet.objects.values_list("available", "held", "lifetime_earned"))
            == wallets
        )
        assert run_audit().clean

    def test_the_site_renders_after_seeding(self, seeded, client):
        campaign = in_default_language(CampaignPage.objects.all()).get(
            slug="trail-running-2027"
        )
        idea = Idea.objects.public().filter(comments__isnull=False).first()
        urls = ["/", "/ideas/", campaign.url, idea.get_absolute_url(), "/faq/"]
        for url in urls:
            assert client.get(url).status_code == 200, url
        client.login(email="member@example.com", password=DEMO_PASSWORD)
        for url in urls:
            assert client.get(url).status_code == 200, url

    def test_the_ledger_is_consistent_after_seeding(self, seeded):
        report = run_audit()
        assert report.clean, [str(d) for d in report.discrepancies]
        assert report.wallets >= 20
        assert Wallet.objects.filter(
            lifetime_earned__gt=0, level__isnull=False
        ).exists()

    def test_the_history_earns_what_the_rules_pay_when_it_happened(self, seeded):
        earned = Entry.objects.filter(kind=EntryKind.EARN)
        assert not earned.filter(created_at__gte=timezone.now()).exists()
        assert earned.filter(
            created_at__lt=timezone.now() - datetime.timedelta(days=14)
        ).exists()
        support = Support.objects.select_related("idea").order_by("pk").first()
        given = Entry.objects.get(key=f"support-given:{support.pk}")
        received = Entry.objects.get(key=f"support-received:{support.pk}")
        assert given.wallet.member_id == support.member_id
        assert received.wallet.member_id == support.idea.author_id
        assert given.created_at == support.created_at
        assert given.source == received.source == f"support:{support.pk}"
        assert given.idea_id == support.idea_id
        assert given.campaign_id == support.idea.campaign_id
        comment = Comment.objects.order_by("pk").first()
        paid = Entry.objects.get(key=f"comment:{comment.pk}")
        assert (paid.comment_id, paid.idea_id) == (comment.pk, comment.idea_id)
        idea = Idea.objects.public().order_by("pk").first()
        assert Entry.objects.get(key=f"idea-published:{idea.pk}").amount == 10
        assert Entry.objects.filter(key=f"first-idea:{idea.author_id}").exists()
        # Nothing for ideas that still await moderation.
        for pending in Idea.objects.filter(status=IdeaStatus.PENDING):
            assert not Entry.objects.filter(key=f"idea-published:{pending.pk}").exists()

    def test_the_history_stays_within_daily_caps(self, seeded):
        caps = dict(
            EarningRule.objects.exclude(daily_cap=None).values_list("pk", "daily_cap")
        )
        days: dict[tuple, int] = {}
        for wallet_id, rule_id, amount, when in Entry.objects.filter(
            kind=EntryKind.EARN, rule_id__in=caps
        ).values_list("wallet_id", "rule_id", "amount", "created_at"):
            key = (wallet_id, rule_id, timezone.localtime(when).date())
            days[key] = days.get(key, 0) + amount
        assert days
        assert all(total <= caps[rule_id] for (_w, rule_id, _d), total in days.items())

    def test_ideas_moved_along_pay_their_author_and_earn_badges(self, seeded):
        for status, key in (
            (IdeaStatus.SHORTLISTED, "shortlisted"),
            (IdeaStatus.IN_RND, "promoted"),
            (IdeaStatus.SHIPPED, "shipped"),
        ):
            for idea in Idea.objects.filter(status=status):
                entry = Entry.objects.get(key=f"{key}:{idea.pk}")
                assert entry.wallet.member_id == idea.author_id
                assert entry.created_at <= timezone.now()
        for idea in Idea.objects.filter(status=IdeaStatus.UNDER_REVIEW):
            threshold = idea.campaign.support_threshold if idea.campaign else None
            paid = Entry.objects.filter(key=f"threshold_reached:{idea.pk}").exists()
            assert paid == bool(threshold and idea.supports_count >= threshold)
        badges = set(MemberBadge.objects.values_list("badge__milestone", flat=True))
        assert {
            Milestone.FIRST_IDEA,
            Milestone.FIRST_SUPPORT_RECEIVED,
            Milestone.FIRST_COMMENT,
        } <= badges
        author = Idea.objects.public().first().author
        assert author.badges.filter(badge__milestone=Milestone.FIRST_IDEA).exists()

    def test_staff_accounts_earn_nothing(self, seeded):
        staff = User.objects.filter(is_staff=True)
        assert staff.count() == 4  # moderator@, product@, editor@ and the R&D lab
        assert not Entry.objects.filter(
            wallet__member__in=staff, kind=EntryKind.EARN
        ).exists()
        assert not MemberBadge.objects.filter(member__in=staff).exists()

    def test_the_catalogue_offers_the_four_kinds(self, seeded):
        rewards = Reward.objects.all()
        assert set(rewards.values_list("kind", flat=True)) == set(RewardKind.values)
        assert all(reward.is_available() and reward.image for reward in rewards)
        vouchers = rewards.filter(kind=RewardKind.VOUCHER)
        pools = sorted(voucher.voucher_codes.count() for voucher in vouchers)
        assert pools == [0, 20]
        goods = rewards.get(kind=RewardKind.GOODS)
        assert (goods.cost, goods.limit_per_member) == (1500, 1)
        assert goods.stock == 24  # one bottle waits to ship, the refused one is back
        assert rewards.get(kind=RewardKind.DONATION).cause
        assert rewards.get(kind=RewardKind.MONEY).cost == 1000

    def test_the_demo_member_has_points_a_voucher_and_a_request_waiting(self, seeded):
        member = User.objects.get(email="member@example.com")
        bonus = Entry.objects.get(wallet__member=member, kind=EntryKind.ADJUSTMENT)
        assert bonus.memo == "Welcome bonus for the demo"
        assert bonus.actor.email == "moderator@example.com"
        assert Entry.objects.filter(wallet__member=member, kind=EntryKind.EARN).exists()
        voucher = Redemption.objects.get(member=member, reward__kind=RewardKind.VOUCHER)
        assert voucher.status == RedemptionStatus.FULFILLED
        assert voucher.voucher.code
        bottle = Redemption.objects.get(member=member, reward__kind=RewardKind.GOODS)
        assert bottle.status == RedemptionStatus.PENDING
        assert bottle.shipping_city
        wallet = Wallet.objects.get(member=member)
        assert wallet.held == bottle.points
        assert wallet.available >= 1000  # enough to try a redemption

    def test_the_redemption_queue_has_payouts_a_wait_and_a_refusal(self, seeded):
        others = Redemption.objects.exclude(member__email="member@example.com")
        payouts = others.filter(reward__kind=RewardKind.MONEY)
        assert payouts.count() == 2
        assert set(payouts.values_list("status", flat=True)) == {"pending"}
        assert {payout.iban for payout in payouts} == {
            "DE89370400440532013000",
            "FR7630006000011234567890189",
        }
        assert all(payout.amount_cents == payout.points for payout in payouts)
        waiting = others.get(reward__kind=RewardKind.VOUCHER)
        assert waiting.status == RedemptionStatus.PENDING
        assert not VoucherCode.objects.filter(reward=waiting.reward).exists()
        refused = others.get(status=RedemptionStatus.REJECTED)
        assert refused.note and refused.decided_by.email == "moderator@example.com"
        assert others.filter(status=RedemptionStatus.FULFILLED).exists()
        assert not others.filter(member__is_staff=True).exists()

    def test_the_moderator_can_run_the_redemption_queue(self, seeded):
        moderator = User.objects.get(email="moderator@example.com")
        for permission in (
            "rewards.view_redemption",
            "rewards.change_redemption",
            "rewards.view_wallet",
            "rewards.view_entry",
            "rewards.add_entry",
        ):
            assert moderator.has_perm(permission), permission
        editor = User.objects.get(email="editor@example.com")
        assert editor.has_perm("rewards.add_vouchercode")
        assert not User.objects.get(email="product@example.com").has_perm(
            "rewards.change_redemption"
        )

    def test_a_second_run_gives_existing_moderators_new_permissions(self, seeded):
        moderator = User.objects.get(email="moderator@example.com")
        moderator.user_permissions.remove(
            *moderator.user_permissions.filter(content_type__app_label="rewards")
        )
        seed("--ideas", "20")
        assert User.objects.get(pk=moderator.pk).has_perm("rewards.change_redemption")
