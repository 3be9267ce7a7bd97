"""A fan-out cut short (a killed worker, a deploy) and run again: everybody is
told once and emailed once; digests go out once a day."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection

from cocreate.notifications import services, tasks
from cocreate.notifications.models import Digest, Notification
from ideas import discussion, voting, workflow
from tests.concurrency import run_together
from tests.factories import IdeaFactory, UserFactory


class WorkerKilled(Exception):
    """Stands for the SIGKILL that stops a fan-out between two batches."""


@pytest.fixture
def audience(idea, alice):
    """The idea's author and five supporters: three batches of two."""
    members = UserFactory.create_batch(5)
    for member in members:
        voting.support(member=member, idea=idea)
    return {alice.pk, *(m.pk for m in members)}


@pytest.fixture
def killed_after_first_batch(monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    real = services.notify_batch
    calls = []

    def notify_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise WorkerKilled
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "notify_batch", notify_batch)
    return calls


def fan_out(idea) -> None:
    tasks.notify_idea_audience.call(
        idea.pk, "status_changed", "Shortlisted", "", "/", [], "status:42"
    )


def emailed_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_fan_out_run_again_after_a_kill_tells_everybody_once(
    idea, audience, killed_after_first_batch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(WorkerKilled):
            fan_out(idea)
    assert Notification.objects.count() == 2  # the first batch committed
    assert len(mail.outbox) == 2

    with django_capture_on_commit_callbacks(execute=True):
        fan_out(idea)  # the requeued task

    rows = Notification.objects.filter(dedupe_key="status:42")
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(audience)
    assert rows.filter(emailed_at__isnull=True).count() == 0
    everybody = UserFactory._meta.model.objects.filter(pk__in=audience)
    assert emailed_to() == sorted(everybody.values_list("email", flat=True))


def test_emails_the_killed_run_never_queued_go_out_on_the_rerun(
    idea, audience, killed_after_first_batch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # killed before commit
        with pytest.raises(WorkerKilled):
            fan_out(idea)
    assert Notification.objects.count() == 2 and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        fan_out(idea)

    assert Notification.objects.count() == len(audience)
    assert len(mail.outbox) == len(audience)
    assert len(set(emailed_to())) == len(audience)


def test_an_email_task_run_twice_sends_each_email_once(idea, audience, committed):
    with committed():
        services.notify(sorted(audience), services.Message("reply", "Hi"), key="k:1")
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert len(mail.outbox) == len(audience)

    assert services.send_emails(ids) == 0
    assert len(mail.outbox) == len(audience)


def test_a_status_change_is_keyed_by_its_timeline_entry(
    idea, audience, product, committed
):
    with committed():
        change = workflow.change_status(
            actor=product, idea=idea, new_status="shortlisted", note="Yes"
        )
    told = Notification.objects.filter(kind="status_changed")
    keys = set(told.values_list("dedupe_key", flat=True))
    assert keys == {f"status:{change.pk}"}


def test_notices_without_a_key_are_not_merged(bob):
    services.notify([bob.pk], services.Message("points", "10 points"))
    services.notify([bob.pk], services.Message("points", "10 points"))
    assert Notification.objects.filter(recipient=bob).count() == 2


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


# Digests ---------------------------------------------------------------------------


def reply_to(member, idea, author, body: str) -> None:
    top = discussion.post_comment(author=member, idea=idea, body="Hi")
    discussion.post_comment(author=author, idea=idea, parent=top, body=body)


def test_a_digest_run_again_the_same_day_sends_nobody_a_second_one(idea, bob, charlie):
    services.set_preferences(member=bob, channels={"reply": "digest"})
    reply_to(bob, idea, charlie, "First")
    today = datetime.date(2030, 5, 1)

    assert services.send_digests(day=today) == 1
    reply_to(bob, idea, charlie, "Second")  # arrives after today's digest
    assert services.send_digests(day=today) == 0
    assert len(mail.outbox) == 1

    assert services.send_digests(day=today + datetime.timedelta(days=1)) == 1
    assert "Second" in mail.outbox[1].body and "First" not in mail.outbox[1].body


def test_a_digest_that_failed_to_send_is_sent_by_the_next_run(
    idea, bob, charlie, monkeypatch
):
    services.set_preferences(member=bob, channels={"reply": "digest"})
    reply_to(bob, idea, charlie, "First")
    real = services.build_email

    def broken(*args, **kwargs):
        message = real(*args, **kwargs)
        message.send = lambda: (_ for _ in ()).throw(ConnectionError("SMTP down"))
        return message

    monkeypatch.setattr(services, "build_email", broken)
    with pytest.raises(ConnectionError):
        services.send_digests()
    assert not Digest.objects.exists()
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 0

    monkeypatch.setattr(services, "build_email", real)
    assert services.send_digests() == 1
    assert len(mail.outbox) == 1


# Concurrency (PostgreSQL) ----------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
)
def test_two_fan_outs_of_one_event_at_once_tell_everybody_once(monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    idea = IdeaFactory()
    members = UserFactory.create_batch(10)
    for member in members:
        voting.support(member=member, idea=idea)
    audience = {idea.author_id, *(m.pk for m in members)}

    outcomes = run_together([lambda: fan_out(idea)] * 2)

    assert outcomes == [None, None], outcomes
    rows = Notification.objects.filter(dedupe_key="status:42")
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(audience)
    assert len(mail.outbox) == len(audience)
    assert rows.filter(emailed_at__isnull=True).count() == 0
