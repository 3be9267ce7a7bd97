"""The erasure speaks of a member's kept content in one way: on the page, by email."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PAGE = "/accounts/privacy/"
SIGNED = "Your ideas and comments will stay, signed “Former member”."


def test_the_scheduled_email_signs_kept_content_as_the_page_does(
    zelda, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            PAGE,
            {"action": "erase", "content": "keep", "password": PASSWORD},
            follow=True,
        )

    (mail,) = [m for m in mailoutbox if "erased" in m.subject]
    assert SIGNED in response.content.decode()
    assert SIGNED in mail.body
