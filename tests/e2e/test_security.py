"""In a real browser: the main public pages load nothing from another origin, set
no cookie beyond session, CSRF and language, and break no rule of the
Content-Security-Policy, on a desktop and on a phone; nor do the admin's pages
under their own policy."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from ideas.models import CampaignPage
from tests.e2e.journey import JOURNEY_MARKS
from tests.e2e.test_journeys import DESKTOP, PHONE, log_in
from tests.factories import UserFactory
from tests.site.test_security_headers import public_pages_of

pytestmark = JOURNEY_MARKS

ALLOWED_COOKIES = {
    settings.SESSION_COOKIE_NAME,
    settings.CSRF_COOKIE_NAME,
    settings.LANGUAGE_COOKIE_NAME,
}
# Collects what the page itself sees, before any of its scripts run.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
  );
});
"""


class Watch:
    """Everything a browser context asked for and complained about."""

    def __init__(self, context, base: str):
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(base))
        self.foreign: list[str] = []
        self.console: list[str] = []
        context.add_init_script(WATCH_VIOLATIONS)
        context.on("request", self._request)

    def _request(self, request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if parts.scheme in {"ws", "wss"}:
            origin = origin.replace("ws", "http", 1)
        if origin != self.origin:
            self.foreign.append(url)

    def page(self, context):
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                self.console.append(message.text)
                if message.type in {"error", "warning"}
                else None
            ),
        )
        return page

    def csp_messages(self) -> list[str]:
        return [
            text
            for text in self.console
            if "Content Security Policy" in text or "Content-Security-Policy" in text
        ]


def visit(page, url: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert urlsplit(page.url).path == urlsplit(url).path, (url, page.url)
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__cspViolations")


@pytest.fixture
def site_content(make_campaign):
    author = UserFactory(email="ana@example.com", display_name="Ana")
    campaign = make_campaign(title="Trail running 2027")
    UserFactory(email="vera@example.com", display_name="Vera")
    return public_pages_of(campaign, author)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_public_pages_stay_on_the_site_and_within_the_policy(
    browser, live_site, site_content, viewport
):
    base = live_site.url
    context = browser.new_context(viewport=viewport)
    watch = Watch(context, base)
    page = watch.page(context)
    violations = []
    for path in site_content:
        violations += [f"{path}: {v}" for v in visit(page, base + path)]
    # And again as a member (menu, bell and points come in through htmx).
    log_in(page, base, "vera@example.com", "/ideas/")
    private = ["/rewards/wallet/", "/notifications/", "/members/settings/"]
    accounts = ["/accounts/email/", "/accounts/2fa/", "/accounts/privacy/"]
    for path in [*site_content[:4], "/rewards/", *private, *accounts]:
        violations += [f"{path}: {v}" for v in visit(page, base + path)]
    cookies = {cookie["name"] for cookie in context.cookies()}
    context.close()

    assert violations == []
    assert watch.csp_messages() == []
    assert watch.foreign == []
    assert cookies <= ALLOWED_COOKIES, cookies - ALLOWED_COOKIES
    assert settings.SESSION_COOKIE_NAME in cookies


def test_the_admin_works_within_its_own_policy(browser, live_site, site_content):
    base = live_site.url
    moderator = UserFactory(email="mona@example.com", display_name="Mona")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    editor = UserFactory(
        email="root@example.com", display_name="Root", is_staff=True, is_superuser=True
    )
    assert editor.pk
    context = browser.new_context(viewport=DESKTOP)
    watch = Watch(context, base)
    page = watch.page(context)
    log_in(page, base, "root@example.com", "/admin/")
    violations = []
    admin_pages = [
        "/admin/",
        "/admin/pages/",
        "/admin/pages/3/",
        "/admin/images/",
        "/admin/users/",
        "/admin/reports/site-history/",
        "/api/v1/docs",  # under the public policy: Swagger UI's bundled files
    ]
    for path in admin_pages:
        violations += [f"{path}: {v}" for v in visit(page, base + path)]
    # A campaign's editor, with its live preview of the public page.
    campaign = CampaignPage.objects.get()
    editor_path = f"/admin/pages/{campaign.pk}/edit/"
    violations += [f"{editor_path}: {v}" for v in visit(page, base + editor_path)]
    page.get_by_role("button", name="Toggle preview").click()
    page.locator("#w-preview-iframe").wait_for(state="attached")
    page.wait_for_timeout(1_000)  # Wagtail swaps the frame once it has loaded
    page.wait_for_load_state("networkidle")
    frames = [frame for frame in page.frames if "/preview/" in frame.url]
    assert frames, [frame.url for frame in page.frames]
    for frame in [page.main_frame, *frames]:
        violations += frame.evaluate("window.__cspViolations || []")
    # The public campaign page, with the userbar that staff see.
    violations += [f"userbar: {v}" for v in visit(page, base + campaign.url)]
    context.close()

    assert violations == []
    assert watch.csp_messages() == []
    assert watch.foreign == []
