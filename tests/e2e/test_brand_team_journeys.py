"""The brand team and the points economy in a real browser.

A member converts points into a voucher and reads its code in the wallet; the
product team answers an idea officially and moves it along, and the author sees
both (and the bell counts them); a moderator hides a comment with a reason.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from rewards import ledger
from rewards.models import Reward, RewardKind, VoucherCode
from tests.e2e.journey import JOURNEY_MARKS, expect
from tests.e2e.test_journeys import DESKTOP, log_in
from tests.factories import CommentFactory, IdeaFactory, UserFactory

pytestmark = JOURNEY_MARKS


def member_of(group: str, **fields):
    member = UserFactory(**fields)
    member.groups.add(Group.objects.get(name=group))
    return member


def test_a_member_redeems_points_for_a_voucher(browser, live_site, screenshot_dir):
    base = live_site.url
    admin = UserFactory(is_staff=True, is_superuser=True)
    member = UserFactory(
        email="vera@example.com",
        display_name="Vera",
        date_joined=timezone.now() - datetime.timedelta(days=30),
    )
    ledger.adjust(member=member, amount=1500, memo="Prize", actor=admin)
    voucher = Reward.objects.create(
        title="10 € voucher", kind=RewardKind.VOUCHER, cost=1000
    )
    VoucherCode.objects.create(reward=voucher, code="SHOP-2027-XYZ")

    page = browser.new_context(viewport=DESKTOP).new_page()
    log_in(page, base, "vera@example.com", "/rewards/")
    expect(page.locator(".nav-points")).to_contain_text("1,500 points")
    page.get_by_role("link", name="10 € voucher").first.click()
    page.get_by_role("button", name="Redeem").click()

    page.wait_for_url(f"{base}/rewards/wallet/")
    expect(page.get_by_text("SHOP-2027-XYZ").first).to_be_visible()
    expect(page.locator(".nav-points")).to_contain_text("500 points")
    page.screenshot(path=screenshot_dir / "wallet.png", full_page=True)


def test_the_brand_team_answers_and_moderates_and_the_author_hears_it(
    browser, live_site, screenshot_dir
):
    base = live_site.url
    author = UserFactory(email="ana@example.com", display_name="Ana")
    product = member_of("Product team", email="pia@example.com", display_name="Pia")
    moderator = member_of("Moderators", email="mo@example.com", display_name="Mo")
    idea = IdeaFactory(author=author, title="A tent that pitches itself")
    rude = CommentFactory(idea=idea, body="What a stupid idea")
    idea.comments_count = 1
    idea.save(update_fields=["comments_count"])
    url = idea.get_absolute_url()

    team = browser.new_context(viewport=DESKTOP).new_page()
    log_in(team, base, product.email, url)
    team.get_by_label("Official answer").fill("Our lab is testing this winter.")
    team.get_by_role("button", name="Publish the official answer").click()
    expect(team.get_by_text("Official answer · Product team")).to_be_visible()
    team.get_by_label("New status").select_option("shortlisted")
    team.get_by_label("Public note").fill("On the list for 2027.")
    team.get_by_role("button", name="Change the status").click()
    expect(team.get_by_text("What became of this idea")).to_be_visible()

    mod = browser.new_context(viewport=DESKTOP).new_page()
    log_in(mod, base, moderator.email, url)
    comment = mod.locator(f"#comment-{rude.pk}")
    comment.get_by_text("Hide", exact=True).click()
    comment.get_by_label("Reason, sent to the author").fill("Please be kind.")
    comment.get_by_role("button", name="Hide this comment").click()
    expect(mod.get_by_text("Done.")).to_be_visible()

    reader = browser.new_context(viewport=DESKTOP).new_page()
    log_in(reader, base, author.email, url)
    expect(reader.get_by_text("On the list for 2027.")).to_be_visible()
    expect(reader.get_by_text("What a stupid idea")).to_have_count(0)
    expect(reader.locator(".bell-count")).to_have_text("3")
    reader.locator(".nav-bell").click()
    expect(
        reader.get_by_text("Official answer on “A tent that pitches itself”")
    ).to_be_visible()
    reader.screenshot(path=screenshot_dir / "notifications.png", full_page=True)
