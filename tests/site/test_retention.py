"""manage.py apply_retention: deletes only what is older than the settings, in
batches; a dry run deletes nothing; a second run finds nothing more."""

from __future__ import annotations

import datetime
import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from cocreate import retention
from cocreate.members.models import User
from cocreate.notifications.models import Notification
from ideas.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from tests.factories import IdeaFactory, UserFactory
from tests.site.test_settings import load_settings

pytestmark = pytest.mark.django_db

DAYS = {
    "admin_log": 0,
    "webhook_deliveries": 30,
    "read_notifications": 90,
    "unconfirmed_accounts": 14,
    "task_results": 7,
}
DATABASE_TASKS = override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
)


@task()
def noop() -> None:
    return None


def ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def unconfirmed(email: str, *, joined_days: float, **fields) -> User:
    user = User.objects.create(
        email=email, display_name=email, date_joined=ago(joined_days), **fields
    )
    EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    return user


def task_result(*, status: str, finished_days: float | None) -> DBTaskResult:
    with DATABASE_TASKS:
        result = noop.enqueue()
    row = DBTaskResult.objects.get(pk=result.id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        status=status,
        finished_at=ago(finished_days) if finished_days is not None else None,
    )
    return row


@pytest.fixture
def rows(alice):
    """For each policy: rows past their time, and rows that must stay."""
    subscription = WebhookSubscription.objects.create(
        name="Bridge", url="https://93.184.215.14/hooks", events=["idea.promoted"]
    )

    def delivery(status: str, days: float) -> WebhookDelivery:
        return WebhookDelivery.objects.create(
            subscription=subscription,
            event="idea.promoted",
            payload={},
            status=status,
            created_at=ago(days),
        )

    def notification(read_days: float | None) -> Notification:
        return Notification.objects.create(
            recipient=alice,
            kind="reply",
            title="A reply",
            read_at=ago(read_days) if read_days is not None else None,
            created_at=ago(400),
        )

    stuck = unconfirmed("idea-author@example.com", joined_days=40)
    IdeaFactory(author=stuck)  # PROTECT: the account stays
    return {
        "gone": [
            delivery(DeliveryStatus.DELIVERED, 31),
            delivery(DeliveryStatus.FAILED, 45),
            notification(91),
            unconfirmed("old@example.com", joined_days=15),
            task_result(status=TaskResultStatus.SUCCESSFUL, finished_days=8),
            task_result(status=TaskResultStatus.FAILED, finished_days=30),
        ],
        "kept": [
            delivery(DeliveryStatus.DELIVERED, 29),
            delivery(DeliveryStatus.RETRYING, 60),
            delivery(DeliveryStatus.PENDING, 60),
            notification(89),
            notification(None),  # unread, however old
            unconfirmed("young@example.com", joined_days=13),
            unconfirmed("logged-in@example.com", joined_days=40, last_login=ago(39)),
            unconfirmed("staff@example.com", joined_days=40, is_staff=True),
            UserFactory(email="verified@example.com", date_joined=ago(400)),
            stuck,
            task_result(status=TaskResultStatus.SUCCESSFUL, finished_days=6),
            task_result(status=TaskResultStatus.READY, finished_days=None),
        ],
    }


def exists(row) -> bool:
    return type(row).objects.filter(pk=row.pk).exists()


@override_settings(COCREATE_RETENTION_DAYS=DAYS, COCREATE_RETENTION_BATCH_SIZE=1)
def test_it_deletes_only_what_is_older_than_the_settings(rows):
    out = run()

    assert [row for row in rows["gone"] if exists(row)] == []
    assert [row for row in rows["kept"] if not exists(row)] == []
    assert "webhook_deliveries: deleted 2" in out
    assert "read_notifications: deleted 1" in out
    assert "unconfirmed_accounts: deleted 1" in out
    assert "(1 still needed, kept)" in out
    assert "task_results: deleted 2" in out
    assert "admin_log: kept for good" in out


@override_settings(COCREATE_RETENTION_DAYS=DAYS)
def test_a_dry_run_counts_and_deletes_nothing(rows):
    out = run("--dry-run")

    assert all(exists(row) for row in rows["gone"] + rows["kept"])
    assert "webhook_deliveries: would delete 2" in out
    assert "task_results: would delete 2" in out


@override_settings(COCREATE_RETENTION_DAYS=DAYS)
def test_running_twice_is_safe(rows):
    run()
    out = run()

    assert [row for row in rows["kept"] if not exists(row)] == []
    for name in ("webhook_deliveries", "read_notifications", "task_results"):
        assert f"{name}: deleted 0" in out
    assert "unconfirmed_accounts: deleted 0" in out


def test_the_admin_log_goes_only_when_the_operator_says(alice):
    log(instance=alice, action="cocreate.member.warning", user=alice)
    ModelLogEntry.objects.update(timestamp=ago(100))

    with override_settings(COCREATE_RETENTION_DAYS={**DAYS, "admin_log": 0}):
        run()
    assert ModelLogEntry.objects.exists()
    with override_settings(COCREATE_RETENTION_DAYS={**DAYS, "admin_log": 365}):
        run()
    assert ModelLogEntry.objects.exists()
    with override_settings(COCREATE_RETENTION_DAYS={**DAYS, "admin_log": 30}):
        run()
    assert not ModelLogEntry.objects.exists()


def test_every_app_registered_its_policy():
    assert {policy.name for policy in retention.policies()} >= {
        "admin_log",
        "admin_log_pages",
        "webhook_deliveries",
        "read_notifications",
        "unconfirmed_accounts",
        "task_results",
    }


def test_a_batch_size_must_be_positive():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run("--batch-size", "0")


def test_the_settings_come_from_the_environment():
    done = load_settings(
        "from django.conf import settings as s; "
        "print(s.COCREATE_RETENTION_DAYS['task_results'])",
        DEBUG="true",
        RETENTION_TASK_RESULT_DAYS="3",
    )

    assert done.stdout.strip() == "3", done.stderr
