"""A member's own data in a real browser.

Alice asks for her data, the task builds the zip at once (the immediate task
backend), she downloads it from the Privacy page and finds her profile in it; then
she schedules the erasure of her account, reads the date it will happen and
cancels it. Sam, of the staff, opens her record under *Privacy requests*.
"""

from __future__ import annotations

import json
import zipfile

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from cocreate.privacy.models import Erasure
from tests.e2e.journey import JOURNEY_MARKS, expect
from tests.e2e.test_journeys import DESKTOP, PHONE, log_in
from tests.factories import PASSWORD, IdeaFactory, UserFactory

pytestmark = JOURNEY_MARKS


@pytest.fixture
def private_exports(settings, tmp_path):
    """Before ``live_site``: the forked server inherits the folder."""
    settings.COCREATE_EXPORTS_ROOT = tmp_path / "exports"
    settings.COCREATE_ERASURE_GRACE_DAYS = 14


def shoot(page, folder, name: str) -> None:
    """The page at desktop and phone widths, whole."""
    page.screenshot(path=folder / f"{name}-1280.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=folder / f"{name}-390.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def test_a_member_downloads_their_data_then_schedules_and_cancels_erasure(
    private_exports, browser, live_site, screenshot_dir, tmp_path
):
    base = live_site.url
    alice = UserFactory(email="alice@example.com", display_name="Alice")
    IdeaFactory(author=alice, title="Trail shoes that dry overnight")
    page = browser.new_context(viewport=DESKTOP, accept_downloads=True).new_page()
    log_in(page, base, alice.email, "/accounts/privacy/")
    expect(page.get_by_role("heading", name="Download my data")).to_be_visible()
    shoot(page, screenshot_dir, "privacy-nothing-requested")

    # The task runs at once here; the page lists the ready download.
    page.get_by_role("button", name="Prepare my download").click()
    page.wait_for_url(f"{base}/accounts/privacy/")
    expect(page.get_by_text("Your download is being prepared")).to_be_visible()
    page.reload()
    link = page.locator(".privacy-exports a", has_text="Download")
    expect(link).to_be_visible()
    shoot(page, screenshot_dir, "privacy-download-ready")
    with page.expect_download() as download_info:
        link.click()
    saved = tmp_path / "my-data.zip"
    download_info.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert "profile.json" in archive.namelist()
        profile = json.loads(archive.read("profile.json"))
        ideas = json.loads(archive.read("ideas.json"))
    assert profile["email"] == alice.email
    assert [idea["title"] for idea in ideas] == ["Trail shoes that dry overnight"]
    # The link was emailed too.
    links = live_site.links_in_mail_to(alice.email)
    assert any("/accounts/privacy/download/" in url for url in links)

    # Erasure: keep the ideas, confirm with the password, read the date.
    page.get_by_label("Keep them, signed “Former member”").check()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Erase my account").click()
    page.wait_for_url(f"{base}/accounts/privacy/")
    scheduled = Erasure.objects.get(member=alice, cancelled_at__isnull=True)
    due = timezone.localdate(scheduled.due_at)
    assert (due - timezone.localdate()).days == 14
    when = date_format(due, "DATE_FORMAT")
    expect(page.locator("#erase")).to_contain_text(
        f"Your account will be erased on {when}."
    )
    cancel = page.get_by_role("button", name="Cancel the erasure and keep my account")
    expect(cancel).to_be_visible()
    shoot(page, screenshot_dir, "privacy-erasure-scheduled")

    cancel.click()
    page.wait_for_url(f"{base}/accounts/privacy/")
    cancelled = page.get_by_text("The erasure is cancelled; your account stays.")
    expect(cancelled).to_be_visible()
    expect(page.get_by_role("button", name="Erase my account")).to_be_visible()
    scheduled.refresh_from_db()
    assert scheduled.cancelled_at is not None
    alice.refresh_from_db()
    assert alice.is_active


def test_staff_open_a_members_privacy_record(
    private_exports, browser, live_site, screenshot_dir
):
    base = live_site.url
    UserFactory(
        email="sam@example.com", display_name="Sam", is_staff=True, is_superuser=True
    )
    alice = UserFactory(email="alice@example.com", display_name="Alice")
    page = browser.new_context(viewport=DESKTOP).new_page()
    log_in(page, base, "sam@example.com", "/admin/")
    page.goto(f"{base}/admin/privacy/members/{alice.pk}/")
    expect(page.get_by_role("heading", name="Erasure")).to_be_visible()
    shoot(page, screenshot_dir, "admin-privacy-member")
