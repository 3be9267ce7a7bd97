"""seed_demo: the demo content, its accounts, and that seeding twice changes nothing."""

from __future__ import annotations

import datetime
import io

import pytest
from allauth.account.models import EmailAddress
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.utils import timezone
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page, Revision
from wagtail.search.backends import get_search_backend

from cocreate.members.models import User
from cocreate.pages.models import ContentPage, HomePage
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
    TaggedIdea,
)

DEMO_PASSWORD = "cocreate-demo"
DEMO_ACCOUNTS = (
    "member@example.com",
    "moderator@example.com",
    "product@example.com",
    "editor@example.com",
)
COUNTED = (
    User,
    EmailAddress,
    Page,
    Revision,
    Category,
    Tag,
    Idea,
    IdeaImage,
    IdeaRevision,
    TaggedIdea,
    Support,
    Follow,
    Comment,
)


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--force", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    counted = {model.__name__: model.objects.count() for model in COUNTED}
    counted["Image"] = get_image_model().objects.count()
    return counted


@pytest.fixture
def seeded(db):
    seed("--ideas", "20")


def test_it_creates_the_demo_accounts_who_can_log_in(seeded, client):
    for email in DEMO_ACCOUNTS:
        assert client.login(email=email, password=DEMO_PASSWORD), email
        client.logout()
        assert EmailAddress.objects.filter(
            email=email, verified=True, primary=True
        ).exists()
    staff = {user.email: user for user in User.objects.filter(is_staff=True)}
    assert set(staff) == set(DEMO_ACCOUNTS) - {"member@example.com"}
    assert staff["editor@example.com"].is_superuser
    assert not staff["moderator@example.com"].is_superuser
    assert staff["moderator@example.com"].has_perm("wagtailadmin.access_admin")
    assert staff["product@example.com"].has_perm("wagtailadmin.access_admin")
    assert User.objects.get(email="member@example.com").display_name


def test_staff_accounts_open_the_admin_and_the_member_does_not(seeded, client):
    for email, status in (
        ("moderator@example.com", 200),
        ("product@example.com", 200),
        ("editor@example.com", 200),
        ("member@example.com", 302),
    ):
        client.login(email=email, password=DEMO_PASSWORD)
        assert client.get("/admin/").status_code == status, email
        client.logout()


def test_it_creates_members_with_verified_emails_and_some_avatars(seeded):
    members = User.objects.filter(is_staff=False)
    assert members.count() == 31  # 30 community members and the demo member
    assert all(member.display_name for member in members)
    assert not members.exclude(emailaddress__verified=True).exists()
    with_avatar = members.exclude(avatar="")
    assert 0 < with_avatar.count() < members.count()
    assert default_storage.exists(with_avatar.first().avatar.name)


def test_it_creates_the_pages_categories_and_three_campaigns(seeded):
    home = HomePage.objects.get()
    assert home.hero_title and home.hero_text and home.hero_image
    pages = {page.slug: page for page in ContentPage.objects.live().child_of(home)}
    assert set(pages) == {"charter", "faq", "rules"}
    assert [block.block_type for block in pages["faq"].body].count("question") >= 3
    assert 5 <= Category.objects.count() <= 6

    campaigns = list(CampaignPage.objects.live().child_of(home))
    assert len(campaigns) == 3
    assert all(
        campaign.hero_image and campaign.categories.exists() for campaign in campaigns
    )
    open_ = [campaign for campaign in campaigns if campaign.is_open()]
    assert len(open_) == 2
    assert any(campaign.support_threshold for campaign in open_)
    assert any(campaign.premoderate for campaign in open_)
    closed = next(campaign for campaign in campaigns if not campaign.is_open())
    assert closed.ends_on < timezone.localdate()


def test_it_creates_ideas_with_pictures_tags_and_a_past(seeded):
    assert Idea.objects.count() == 20
    now = timezone.now()
    assert not Idea.objects.filter(created_at__gte=now).exists()
    assert Idea.objects.filter(
        created_at__lt=now - datetime.timedelta(days=14)
    ).exists()
    assert not Idea.objects.filter(images__isnull=True).exists()
    picture = IdeaImage.objects.first()
    assert default_storage.exists(picture.image.name)
    assert default_storage.exists(picture.thumbnail.name)
    assert picture.width and picture.height
    assert not Idea.objects.filter(tags__isnull=True).exists()
    assert IdeaRevision.objects.count() == 20
    # Every idea's author follows it, as when they post it themselves.
    assert Follow.objects.filter(member_id=F("idea__author_id")).count() == 20


def test_supports_and_comments_are_spread_over_weeks(seeded):
    assert Support.objects.count() == 20 * 8
    old = timezone.now() - datetime.timedelta(days=7)
    assert Support.objects.filter(created_at__lt=old).exists()
    assert Support.objects.filter(created_at__gte=old).exists()
    assert not Support.objects.filter(member_id=F("idea__author_id")).exists()
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert Comment.objects.filter(created_at__lt=old).exists()
    for support in Support.objects.select_related("idea")[:50]:
        assert support.created_at >= support.idea.created_at


def test_the_demo_member_has_ideas_with_supports(seeded):
    member = User.objects.get(email="member@example.com")
    ideas = Idea.objects.filter(author=member)
    assert ideas.filter(supports_count__gt=0).exists()
    assert ideas.filter(status=IdeaStatus.PENDING).exists()
    assert Support.objects.filter(member=member).exists()


def test_counters_are_exact_after_seeding(seeded):
    assert recount_ideas() == 0


def test_ideas_are_in_the_search_index(seeded):
    idea = Idea.objects.public().first()
    word = max(idea.title.split(), key=len)
    results = get_search_backend().search(word, Idea.objects.public())
    assert idea in list(results)


def test_it_is_idempotent(seeded):
    before = counts()
    assert "none added" in seed("--ideas", "20")
    seed("--ideas", "40")
    assert counts() == before
    assert recount_ideas() == 0


def test_it_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", "--ideas", "5")
    assert not User.objects.exists()


def test_it_runs_with_debug_on_without_force(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--ideas", "5", stdout=io.StringIO())
    assert Idea.objects.count() == 5


def test_large_sets_get_extra_members(db):
    seed("--ideas", "10", "--supports", "400")
    assert Support.objects.count() == 400
    assert User.objects.filter(is_staff=False).count() > 31
    assert recount_ideas() == 0


def test_the_site_renders_after_seeding(seeded, client):
    campaign = CampaignPage.objects.get(slug="trail-running-2027")
    idea = Idea.objects.public().filter(comments__isnull=False).first()
    urls = ["/", "/ideas/", campaign.url, idea.get_absolute_url(), "/faq/"]
    for url in urls:
        assert client.get(url).status_code == 200, url
    client.login(email="member@example.com", password=DEMO_PASSWORD)
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.slow
def test_the_default_set(db, client):
    seed()
    assert Idea.objects.count() == 120
    assert Support.objects.count() == 960
    assert User.objects.filter(is_staff=False).count() == 31
    assert CampaignPage.objects.count() == 3
    assert recount_ideas() == 0
    assert client.get("/").status_code == 200
    before = counts()
    seed()
    assert counts() == before
