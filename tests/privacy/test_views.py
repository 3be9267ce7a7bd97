"""The Privacy page, the download link and the back office of requests."""

from __future__ import annotations

import datetime

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cocreate.privacy import exports
from cocreate.privacy.models import DataExport, Erasure, ExportStatus
from tests.factories import PASSWORD
from tests.privacy.conftest import PERSONAL

PAGE = "/accounts/privacy/"


@pytest.fixture
def ready(zelda):
    export = DataExport.objects.create(member=zelda.member)
    return exports.build_export(export.pk)


def client_of(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def test_it_needs_a_login(db):
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_page_offers_both(zelda, client):
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.content.decode()
    assert "Download my data" in body and "Erase my account" in body


def test_a_post_prepares_the_download(
    zelda, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE, {"action": "export"}, follow=True)
    assert "being prepared" in response.content.decode()
    export = DataExport.objects.get(member=zelda.member)
    assert export.status == ExportStatus.READY
    assert "/accounts/privacy/download/" in client.get(PAGE).content.decode()


def test_a_second_request_the_same_day_is_refused_in_words(zelda, client):
    client.post(PAGE, {"action": "export"})
    response = client.post(PAGE, {"action": "export"}, follow=True)
    assert "already asked for a download today" in response.content.decode()
    assert DataExport.objects.filter(member=zelda.member).count() == 1


def test_she_downloads_her_zip(ready, client):
    response = client.get(exports.download_url(ready))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_another_member_cannot_download_it(ready, bob):
    response = client_of(bob).get(exports.download_url(ready))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_a_visitor_is_sent_to_log_in(ready):
    response = Client().get(exports.download_url(ready))
    assert response.status_code == 302


def test_an_expired_link_is_refused(ready, client, settings):
    url = exports.download_url(ready)
    later = timezone.now() + datetime.timedelta(
        days=settings.COCREATE_EXPORT_LINK_DAYS + 1
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: later.timestamp())
        response = client.get(url)
    assert response.status_code == 404
    assert "expired" in response.content.decode()


def test_a_fresh_link_to_an_expired_download_is_refused(ready, client):
    DataExport.objects.filter(pk=ready.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.get(exports.download_url(ready))
    assert response.status_code == 404


def test_a_forged_link_is_refused(ready, client):
    response = client.get(reverse("privacy:download", args=["abc:def:ghi"]))
    assert response.status_code == 404


# Erasure ----------------------------------------------------------------------


def test_erasure_needs_her_password(zelda, client):
    response = client.post(
        PAGE, {"action": "erase", "content": "keep", "password": "wrong"}
    )
    assert response.status_code == 400
    assert "This is not your password." in response.content.decode()
    assert not Erasure.objects.exists()


def test_erasure_is_scheduled_then_cancelled(
    zelda, client, mailoutbox, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            PAGE,
            {"action": "erase", "content": "remove", "password": PASSWORD},
            follow=True,
        )
    scheduled = Erasure.objects.get(member=zelda.member)
    assert not scheduled.keep_content
    assert scheduled.due_at > timezone.now() + datetime.timedelta(
        days=settings.COCREATE_ERASURE_GRACE_DAYS - 1
    )
    body = response.content.decode()
    assert "Cancel the erasure" in body
    (mail,) = [m for m in mailoutbox if "erased" in m.subject]
    assert mail.to == [PERSONAL.email]

    response = client.post(PAGE, {"action": "cancel"}, follow=True)
    assert "The erasure is cancelled" in response.content.decode()
    scheduled.refresh_from_db()
    assert scheduled.cancelled_at is not None


def test_a_member_without_password_types_the_word(zelda, client):
    zelda.member.set_unusable_password()
    zelda.member.save()
    client.force_login(zelda.member)
    response = client.post(PAGE, {"action": "erase", "content": "keep"})
    assert response.status_code == 400
    assert "Please type ERASE" in response.content.decode()
    client.post(PAGE, {"action": "erase", "content": "keep", "confirmation": "erase"})
    assert Erasure.objects.filter(member=zelda.member).exists()


def test_a_french_member_types_the_word_in_french(zelda, client):
    zelda.member.set_unusable_password()
    zelda.member.language = "fr"
    zelda.member.save()
    client.force_login(zelda.member)

    page = client.get(PAGE).content.decode()
    assert "Saisissez SUPPRIMER pour confirmer" in page
    response = client.post(
        PAGE, {"action": "erase", "content": "keep", "confirmation": "effacer"}
    )
    assert response.status_code == 400
    assert not Erasure.objects.filter(member=zelda.member).exists()
    client.post(
        PAGE, {"action": "erase", "content": "keep", "confirmation": "supprimer"}
    )
    assert Erasure.objects.filter(member=zelda.member).exists()


def test_password_tries_are_limited(zelda, client, settings):
    settings.COCREATE_RATE_LIMITS = {
        **settings.COCREATE_RATE_LIMITS,
        "privacy": "2/3600",
    }
    for _ in range(2):
        client.post(PAGE, {"action": "erase", "content": "keep", "password": "x"})
    response = client.post(
        PAGE, {"action": "erase", "content": "keep", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert not Erasure.objects.exists()


def test_odd_input_is_no_error(zelda, client):
    response = client.post(PAGE, {"action": "erase", "content": "burn"})
    assert response.status_code == 400
    response = client.post(PAGE, {"action": "nonsense"}, follow=True)
    assert "Unknown action." in response.content.decode()


# Back office ------------------------------------------------------------------


def admin_url(member) -> str:
    return reverse("privacy_admin:member", args=[member.pk])


def test_the_back_office_refuses_moderators(zelda, moderator):
    client = client_of(moderator)
    response = client.get(admin_url(zelda.member))
    assert response.status_code in (302, 403)
    response = client.post(
        admin_url(zelda.member),
        {"action": "erase", "erase-content": "keep", "erase-reference": "x"},
    )
    assert not Erasure.objects.exists()


def test_staff_find_a_member_by_email(zelda, staff):
    response = client_of(staff).post(
        reverse("privacy_admin:requests"), {"email": PERSONAL.other_email}
    )
    assert response.status_code == 302
    assert response["Location"] == admin_url(zelda.member)


def test_staff_prepare_a_download_logged(
    zelda, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(staff).post(
            admin_url(zelda.member),
            {"action": "export", "export-reference": "Ticket 4411"},
        )
    assert response.status_code == 302
    export = DataExport.objects.get(member=zelda.member)
    assert export.requested_by == staff
    entry = ModelLogEntry.objects.get(action="cocreate.privacy.export")
    assert entry.user == staff
    assert entry.data["reference"] == "Ticket 4411"


def test_staff_erase_at_once_logged(zelda, staff, django_capture_on_commit_callbacks):
    client = client_of(staff)
    assert client.get(admin_url(zelda.member)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            admin_url(zelda.member),
            {
                "action": "erase",
                "erase-content": "keep",
                "erase-at_once": "on",
                "erase-reference": "Email of 3 Dec",
            },
        )
    assert response.status_code == 302
    zelda.member.refresh_from_db()
    assert not zelda.member.is_active
    actions = set(
        ModelLogEntry.objects.filter(user=staff).values_list("action", flat=True)
    )
    assert {"cocreate.privacy.erasure_scheduled", "cocreate.privacy.erased"} <= actions


def test_staff_schedule_and_cancel_logged(zelda, staff):
    client = client_of(staff)
    client.post(
        admin_url(zelda.member),
        {"action": "erase", "erase-content": "remove", "erase-reference": "T-1"},
    )
    assert Erasure.objects.get(member=zelda.member).is_scheduled
    client.post(
        admin_url(zelda.member), {"action": "cancel", "cancel-reference": "T-2"}
    )
    assert not Erasure.objects.get(member=zelda.member).is_scheduled
    assert ModelLogEntry.objects.filter(
        action="cocreate.privacy.erasure_cancelled", user=staff
    ).exists()


def test_a_staff_form_without_reference_keeps_what_was_typed(zelda, staff):
    response = client_of(staff).post(
        admin_url(zelda.member), {"action": "erase", "erase-content": "remove"}
    )
    assert response.status_code == 400
    assert not Erasure.objects.exists()


def test_staff_read_her_consent_history_without_changing_it(zelda, staff):
    page = client_of(staff).get(admin_url(zelda.member))
    assert page.status_code == 200
    html = page.content.decode()
    section = html[html.index('id="consents"') :]
    assert "Product research invitations: no" in section
    assert "Marketing emails: yes" in section
    assert section.count("<tr>") == 1 + 5  # the heading, every record
    assert "The words shown for research." in section
    assert "Terms of use (2026-01)" in section
    assert 'name="consent_' not in html  # read-only


def test_moderators_do_not_see_consents(zelda, moderator):
    response = client_of(moderator).get(admin_url(zelda.member))
    assert response.status_code in (302, 403)
    assert b"The words shown" not in response.content
