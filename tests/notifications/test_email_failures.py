"""One email that fails (a header with a line break, an address the server
refuses, the server gone) never stops the emails of the other members."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from cocreate.notifications import services
from cocreate.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BROKEN = "broken@example.com\nBcc: everyone@example.com"


def notification(member, title="Your idea moved on", **fields) -> Notification:
    return Notification.objects.create(
        recipient=member, kind="status_changed", title=title, url="/ideas/1/", **fields
    )


def test_a_bad_header_for_one_address_does_not_stop_the_others(caplog):
    first, second = UserFactory(email="ana@example.com"), UserFactory()
    broken = UserFactory(email=BROKEN)
    notes = [notification(first), notification(broken), notification(second)]

    sent = services.send_emails([note.pk for note in notes])

    assert sent == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [first.email, second.email]
    )
    assert "was not emailed" in caplog.text
    # The failed one stays unsent (a later run may try again); the others are done.
    emailed = dict(Notification.objects.values_list("recipient_id", "emailed_at"))
    assert emailed[broken.pk] is None
    assert emailed[first.pk] and emailed[second.pk]


def test_a_title_with_a_line_break_still_makes_a_one_line_subject():
    member = UserFactory()
    note = notification(member, title="Dry shoes\r\nBcc: everyone@example.com")

    assert services.send_emails([note.pk]) == 1
    assert mail.outbox[0].subject == "Dry shoes Bcc: everyone@example.com"
    assert "\n" not in mail.outbox[0].message()["Subject"]


def test_an_address_the_server_refuses_does_not_stop_the_others(monkeypatch):
    members = [UserFactory() for _ in range(3)]
    refused = members[1].email
    real_send = EmailMultiAlternatives.send

    def send(self, fail_silently=False):
        if refused in self.to:
            raise smtplib.SMTPRecipientsRefused({refused: (550, b"No such user")})
        return real_send(self, fail_silently)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    notes = [notification(member) for member in members]

    assert services.send_emails([note.pk for note in notes]) == 2
    assert refused not in {message.to[0] for message in mail.outbox}


def test_a_digest_that_fails_leaves_the_others_and_its_day_unrecorded():
    good = UserFactory()
    broken = UserFactory(email=BROKEN)
    for member in (good, broken):
        notification(member, wants_digest=True)

    assert services.send_digests() == 1
    assert [message.to for message in mail.outbox] == [[good.email]]
    # No digest recorded for the failed one: tomorrow's run tries again.
    assert services.send_digests() == 0
    assert Notification.objects.get(recipient=broken).emailed_at is None


def test_a_mail_server_that_cannot_be_reached_fails_the_run(monkeypatch):
    """So the task is tried again later; what went out before is marked sent."""
    first, second = UserFactory(), UserFactory()
    real_send = EmailMultiAlternatives.send

    def send(self, fail_silently=False):
        if second.email in self.to:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send(self, fail_silently)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    notes = [notification(first), notification(second)]

    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.send_emails([note.pk for note in notes])
    assert Notification.objects.get(recipient=first).emailed_at is not None
    assert Notification.objects.get(recipient=second).emailed_at is None
