"""The admin's account page: passwords and addresses change on allauth's pages only.

root is a superuser; staff get there from Wagtail's account page.
"""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


def test_the_admin_account_page_offers_no_password_or_email_form(client, superuser):
    client.force_login(superuser)

    html = client.get("/admin/account/").content.decode()

    assert 'name="password-new_password1"' not in html
    assert 'name="password-old_password"' not in html
    assert 'name="name_email-email"' not in html


def test_the_admin_account_page_links_to_allauths_pages(client, superuser):
    client.force_login(superuser)

    html = client.get("/admin/account/").content.decode()

    assert 'href="/accounts/password/change/"' in html
    assert 'href="/accounts/email/"' in html
    assert 'href="/accounts/2fa/"' in html


def test_posting_a_password_to_the_admin_account_page_changes_nothing(
    client, superuser
):
    client.force_login(superuser)

    client.post(
        "/admin/account/",
        {
            "password-old_password": PASSWORD,
            "password-new_password1": NEW_PASSWORD,
            "password-new_password2": NEW_PASSWORD,
        },
    )

    superuser.refresh_from_db()
    assert superuser.check_password(PASSWORD)
    assert not superuser.check_password(NEW_PASSWORD)


def test_staff_still_set_a_first_password_when_adding_a_user(client, superuser):
    client.force_login(superuser)

    html = client.get("/admin/users/new/").content.decode()

    assert 'name="password1"' in html
