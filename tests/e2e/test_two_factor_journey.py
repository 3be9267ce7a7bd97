"""Two-factor sign-in in a real browser.

Mona, a moderator, opens the admin, is sent to set up an authenticator app, reads
the secret, types the code her app shows, keeps her recovery codes, logs out, logs
in again with a code, and the admin opens. Alice adds a passkey (Chromium's virtual
authenticator) and signs in with it alone.
"""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group

from tests.e2e.journey import JOURNEY_MARKS, expect
from tests.e2e.test_journeys import DESKTOP, PHONE
from tests.factories import PASSWORD, UserFactory

pytestmark = JOURNEY_MARKS


def app_code(secret: str) -> str:
    """What the authenticator app on Mona's phone shows now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def staff_mfa(settings):
    """Before ``live_site``: the forked server inherits the policy."""
    settings.COCREATE_STAFF_MFA = "all"


def test_a_moderator_enrols_an_app_logs_in_with_a_code_and_opens_the_admin(
    staff_mfa, browser, live_site, screenshot_dir
):
    base = live_site.url
    mona = UserFactory(email="mona@example.com", display_name="Mona")
    mona.groups.add(Group.objects.get(name="Moderators"))
    page = browser.new_context(viewport=DESKTOP).new_page()

    # The admin sends her to the log-in page (allauth's), then to enrol.
    page.goto(f"{base}/admin/")
    page.wait_for_url(f"{base}/accounts/login/?next=/admin/")
    page.get_by_label("Email").fill(mona.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_url(f"{base}/accounts/2fa/")
    expect(
        page.get_by_text("Set up two-factor authentication to open the admin")
    ).to_be_visible()
    page.screenshot(path=screenshot_dir / "2fa-index-1280.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshot_dir / "2fa-index-390.png", full_page=True)
    page.set_viewport_size(DESKTOP)

    # Enrolment asks for her password again, then a code from the app.
    page.get_by_role("link", name="Set up an authenticator app").click()
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{base}/accounts/2fa/totp/activate/")
    expect(page.locator("img[alt]").first).to_be_visible()  # the QR code
    secret = page.get_by_label("Authenticator secret").input_value()
    page.screenshot(path=screenshot_dir / "2fa-activate-1280.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshot_dir / "2fa-activate-390.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    page.locator("input[name=code]").fill(app_code(secret))
    page.get_by_role("button", name="Activate").click()

    page.wait_for_url(f"{base}/accounts/2fa/recovery-codes/")
    page.screenshot(path=screenshot_dir / "2fa-recovery-codes-1280.png", full_page=True)
    assert Authenticator.objects.filter(
        user=mona, type=Authenticator.Type.TOTP
    ).exists()

    # Logged out, she signs in again: the password, then the code.
    page.get_by_role("button", name="Log out").click()
    page.goto(f"{base}/admin/")
    page.wait_for_url(f"{base}/accounts/login/?next=/admin/")
    page.get_by_label("Email").fill(mona.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_url(f"{base}/accounts/2fa/authenticate/**")
    page.screenshot(path=screenshot_dir / "2fa-authenticate-1280.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshot_dir / "2fa-authenticate-390.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    page.locator("input[name=code]").fill(app_code(secret))
    page.locator("input[name=code]").press("Enter")

    # The admin opens.
    page.wait_for_url(f"{base}/admin/")
    expect(page.get_by_role("heading", name="Brand team")).to_be_visible()
    page.screenshot(path=screenshot_dir / "admin-after-2fa-1280.png", full_page=True)


@pytest.fixture
def webauthn_over_http(settings):
    """Before ``live_site``: the journey's server speaks plain HTTP on localhost."""
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True


def test_a_member_adds_a_passkey_and_signs_in_with_it_alone(
    webauthn_over_http, browser, live_site, screenshot_dir
):
    # WebAuthn refuses IP addresses as the site's identity: localhost it is.
    base = live_site.url.replace("127.0.0.1", "localhost")
    alice = UserFactory(email="alice@example.com", display_name="Alice")
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    page.goto(f"{base}/accounts/login/?next=/accounts/2fa/")
    page.get_by_label("Email").fill(alice.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_url(f"{base}/accounts/2fa/")
    page.get_by_role("link", name="Add a key").click()
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{base}/accounts/2fa/webauthn/add/")
    page.get_by_label("Name").fill("Laptop")
    page.get_by_label("Passwordless").check()
    page.screenshot(path=screenshot_dir / "2fa-webauthn-add-1280.png", full_page=True)
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(f"{base}/accounts/2fa/recovery-codes/")
    key = Authenticator.objects.get(user=alice, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().is_passwordless

    page.get_by_role("button", name="Log out").click()
    page.goto(f"{base}/accounts/login/?next=/rewards/wallet/")
    page.get_by_role("button", name="Sign in with a passkey").click()

    page.wait_for_url(f"{base}/rewards/wallet/")
    expect(page.locator(".nav-member")).to_contain_text("Alice")
