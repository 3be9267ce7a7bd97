"""An open idea page whose live updates stop: it says so, and catches up on return.

The page's sockets are dropped and pointed at a port nobody listens on, as when
Redis or the ASGI process is away; meanwhile members support and comment and the
viewer gets a notification. Those changes are broadcast from the test's own process
(where they fail, logged, as Playwright's event loop runs in this thread) and never
reach the live server, so only the resynchronisation can bring them to the page.
"""

from __future__ import annotations

import re

from cocreate.notifications import services as notifications
from ideas import discussion, voting
from ideas.models import Idea
from tests.e2e.journey import JOURNEY_MARKS, expect
from tests.e2e.test_journeys import DESKTOP, log_in
from tests.factories import IdeaFactory, UserFactory

pytestmark = JOURNEY_MARKS

#: The retries wait about 1, 2, 4 ... seconds; the page is back within two waits.
RESYNC_TIMEOUT_MS = 15_000
NOBODY_LISTENS = "ws://127.0.0.1:9/ws/"


def luminance(css_rgb: str) -> float:
    """WCAG relative luminance of a computed ``rgb(r, g, b)`` colour."""
    channels = [int(c) / 255 for c in re.findall(r"\d+", css_rgb)[:3]]
    r, g, b = (
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    )
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted(
        (luminance(foreground), luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def test_a_paused_idea_page_says_so_and_resyncs_its_counts(
    browser, live_site, screenshot_dir
):
    base = live_site.url
    viewer = UserFactory(email="viewer@example.com", display_name="Vera Viewer")
    idea = IdeaFactory(title="A jacket that packs into its pocket")
    bob, charlie = UserFactory.create_batch(2)

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log_in(page, base, "viewer@example.com", f"/ideas/{idea.pk}/")
    supports = page.locator(f'[data-idea-supports="{idea.pk}"]')
    comments = page.locator(f'[data-idea-comments="{idea.pk}"]')
    status = page.get_by_role("status").filter(has_text="Live updates paused")
    live_status = page.locator("#live-status")
    expect(page.locator("body")).to_have_attribute("data-live", "connected")
    expect(supports).to_have_text("0")
    expect(live_status).to_have_text("")
    expect(live_status).to_be_hidden()

    # The connection drops, and every retry fails until the "server" is back.
    original = page.evaluate("document.body.dataset.wsUrl || ''")
    page.evaluate(f"document.body.dataset.wsUrl = {NOBODY_LISTENS!r}")
    page.evaluate("window.cocreateLive.drop()")
    expect(status).to_be_visible()
    assert live_status.get_attribute("aria-live") == "polite"

    page.screenshot(path=screenshot_dir / "idea-live-paused.png", animations="disabled")
    # A small pill in the bottom left corner of the window, readable on its own.
    box = live_status.bounding_box()
    viewport = page.viewport_size
    assert box is not None and box["height"] < 60 and box["width"] < 400, box
    assert box["x"] < viewport["width"] / 2, box
    assert viewport["height"] - 80 < box["y"] + box["height"] <= viewport["height"], box
    colour, background = live_status.evaluate(
        "el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]"
    )
    assert contrast(colour, background) >= 4.5, (colour, background)

    # Meanwhile, on the server: two supports, a comment, a notification.
    voting.support(member=bob, idea=idea)
    voting.support(member=charlie, idea=idea)
    discussion.post_comment(author=bob, idea=idea, body="Packed mine on a hike")
    notifications.notify(
        [viewer.pk], notifications.Message("reply", "A reply for Vera", "", "/")
    )
    page.wait_for_timeout(1_500)  # a retry or two fail meanwhile
    expect(status).to_be_visible()
    expect(supports).to_have_text("0")  # nothing reached the page: it is paused

    # The server is back: the next retry connects, and the page catches up.
    page.evaluate(f"document.body.dataset.wsUrl = {original!r}")
    expect(live_status).to_have_text("", timeout=RESYNC_TIMEOUT_MS)
    expect(live_status).to_be_hidden()
    stored = Idea.objects.get(pk=idea.pk)
    expect(supports).to_have_text(str(stored.supports_count))
    assert stored.supports_count == 2
    expect(page.locator("#support-box .support-count")).to_have_text(
        re.compile(r"^\s*2\s+supporters\s*$")
    )
    expect(comments).to_have_text(str(stored.comments_count))
    expect(page.get_by_text("Packed mine on a hike")).to_be_visible()
    expect(page.locator(".nav-bell .bell-count")).to_have_text("1")

    context.close()
