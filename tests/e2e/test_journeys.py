"""A new member's first visit, end to end, in a real browser against a live server.

Sign up, confirm the email from the link the server mailed, propose an idea with
a photo, and watch another member's support arrive on the open page over the
WebSocket. A second journey checks that supporting works without JavaScript.
"""

from __future__ import annotations

import io
import re

from PIL import Image, ImageDraw

from ideas.models import Idea
from tests.e2e.journey import JOURNEY_MARKS, expect
from tests.factories import PASSWORD, IdeaFactory, UserFactory

pytestmark = JOURNEY_MARKS

LIVE_TIMEOUT_MS = 5_000
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def make_photo(path) -> None:
    """A small landscape 'photo' with some shapes, so a broken one would show."""
    image = Image.new("RGB", (800, 600), "#5aa9e6")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 420, 800, 600), fill="#3d7a3a")
    draw.ellipse((560, 60, 700, 200), fill="#ffd23f")
    draw.polygon([(120, 420), (300, 160), (480, 420)], fill="#7f8c8d")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    path.write_bytes(buffer.getvalue())


def log_in(page, base_url: str, email: str, next_url: str) -> None:
    page.goto(f"{base_url}/accounts/login/?next={next_url}")
    page.get_by_label("Email").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_url(f"{base_url}{next_url}")


def test_new_member_signs_up_posts_an_idea_and_sees_support_live(
    browser, live_site, tmp_path, screenshot_dir
):
    base = live_site.url
    newcomer_email = "newcomer@example.com"
    photo = tmp_path / "trail-shoes.jpg"
    make_photo(photo)

    newcomer = browser.new_context(viewport=DESKTOP)
    page = newcomer.new_page()

    # Sign up: email, display name, password twice.
    page.goto(f"{base}/accounts/signup/")
    page.locator("input[name=email]").fill(newcomer_email)
    page.get_by_label("Display name").fill("Nora Newcomer")
    # allauth's fields, by name: their labels differ only by "(again)".
    page.locator("input[name=password1]").fill("trail-runner-2027!")
    page.locator("input[name=password2]").fill("trail-runner-2027!")
    page.screenshot(
        path=screenshot_dir / "signup-desktop.png",
        full_page=True,
        animations="disabled",
    )
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    expect(page.get_by_text(newcomer_email).first).to_be_visible()

    # The confirmation email, written to a file by the server process.
    links = [
        link
        for link in live_site.links_in_mail_to(newcomer_email)
        if "/accounts/confirm-email/" in link
    ]
    assert len(links) == 1, live_site.emails()
    page.goto(links[0])
    page.get_by_role("button", name="Confirm", exact=True).click()
    # Confirming in the same browser logs the member in.
    expect(page.locator(".nav-member")).to_contain_text("Nora Newcomer")

    # Propose an idea with a photo.
    page.goto(f"{base}/ideas/new/")
    page.get_by_label("Title").fill("Trail shoes that dry overnight")
    page.get_by_label("Description").fill(
        "A mesh upper and a **removable** insole, so wet shoes are dry by morning."
    )
    page.get_by_label("Tags").fill("running, trail")
    page.get_by_label("Images").set_input_files(photo)
    page.get_by_role("button", name="Publish idea").click()
    page.wait_for_url(re.compile(r"/ideas/\d+/$"))
    idea = Idea.objects.get(title="Trail shoes that dry overnight")
    assert page.url == f"{base}/ideas/{idea.pk}/"
    expect(page.get_by_role("heading", level=1)).to_have_text(idea.title)
    expect(page.get_by_text("Your idea is published")).to_be_visible()
    gallery_image = page.locator(".idea-gallery img").first
    expect(gallery_image).to_be_visible()
    # Wait for the picture to finish loading (it may still be on its way).
    assert gallery_image.evaluate(
        """img => img.complete ? img.naturalWidth > 0 : new Promise(done => {
            img.onload = () => done(img.naturalWidth > 0);
            img.onerror = () => done(false);
        })"""
    )

    supports = page.locator(f'[data-idea-supports="{idea.pk}"]')
    expect(supports).to_have_text("0")
    # The page listens for live counts once its WebSocket is open.
    expect(page.locator("body")).to_have_attribute("data-live", "connected")

    # Another member logs in through the form, in a second browser, and supports.
    UserFactory(email="supporter@example.com", display_name="Sam Supporter")
    supporter = browser.new_context(viewport=DESKTOP)
    other = supporter.new_page()
    log_in(other, base, "supporter@example.com", f"/ideas/{idea.pk}/")
    other.get_by_role("button", name="Support this idea").click()
    expect(other.get_by_role("button", name=re.compile("Withdraw"))).to_be_visible()
    expect(other.locator(f'[data-idea-supports="{idea.pk}"]')).to_have_text("1")

    # The author's open page shows the new count without a reload.
    expect(supports).to_have_text("1", timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("#support-box .support-count")).to_have_text(
        re.compile(r"^\s*1\s+supporter\s*$")
    )
    assert page.url == f"{base}/ideas/{idea.pk}/"

    # Screenshots at phone and desktop widths, for people to look at.
    page.screenshot(
        path=screenshot_dir / "idea-desktop.png", full_page=True, animations="disabled"
    )
    page.set_viewport_size(PHONE)
    page.screenshot(
        path=screenshot_dir / "idea-phone.png", full_page=True, animations="disabled"
    )
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "the idea page scrolls sideways at 390px"
    )

    supporter.close()
    newcomer.close()


def test_supporting_works_without_javascript(browser, live_site, screenshot_dir):
    base = live_site.url
    author = UserFactory(display_name="Alice Author")
    idea = IdeaFactory(author=author, title="A bottle that cools itself")
    UserFactory(email="nojs@example.com", display_name="Nico No-Script")

    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    log_in(page, base, "nojs@example.com", f"/ideas/{idea.pk}/")
    supports = page.locator(f'[data-idea-supports="{idea.pk}"]')
    expect(supports).to_have_text("0")

    page.get_by_role("button", name="Support this idea").click()
    page.wait_for_url(f"{base}/ideas/{idea.pk}/")
    expect(supports).to_have_text("1")
    expect(page.get_by_role("button", name=re.compile("Withdraw"))).to_be_visible()
    page.screenshot(
        path=screenshot_dir / "idea-phone-nojs.png",
        full_page=True,
        animations="disabled",
    )

    idea.refresh_from_db()
    assert idea.supports_count == 1

    # The list shows the card with its counts in words.
    page.goto(f"{base}/ideas/")
    card = page.locator(f"#idea-{idea.pk}")
    expect(card.locator(".idea-counts")).to_contain_text("1 support")
    expect(card.locator(".idea-counts")).not_to_contain_text("1 supports")
    page.screenshot(
        path=screenshot_dir / "ideas-phone-nojs.png",
        full_page=True,
        animations="disabled",
    )
    context.close()
