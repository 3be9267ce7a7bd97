"""Erasing an account: what goes, what stays, the grace period, the dump scan."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from wagtail.models import APIToken

from cocreate.members.models import ConsentRecord
from cocreate.notifications.models import Notification
from cocreate.privacy import erasure
from cocreate.privacy.errors import NotAllowed, PrivacyError
from cocreate.privacy.models import DataExport, Erasure
from cocreate.privacy.storage import export_storage
from ideas.models import (
    Comment,
    Idea,
    IdeaImage,
    Report,
    Support,
    WebhookDelivery,
    WebhookSubscription,
)
from rewards.audit import run_audit
from rewards.models import Redemption, RedemptionStatus, Wallet
from tests.privacy.conftest import PERSONAL


def finished_task_naming(*texts: str):
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.create(
        status=TaskResultStatus.SUCCESSFUL,
        args_kwargs={"args": [[1], *texts], "kwargs": {}},
        task_path="cocreate.notifications.tasks.notify_members",
        backend_name="default",
        run_after=timezone.now(),
        finished_at=timezone.now(),
    )


def erase_now(member, *, keep_content: bool, actor=None) -> Erasure:
    """Schedule as the member, then carry it out as the daily command would."""
    scheduled = erasure.request_erasure(
        member=member, actor=actor or member, keep_content=keep_content
    )
    Erasure.objects.filter(pk=scheduled.pk).update(due_at=timezone.now())
    # Files go once the erasure commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        done, failed = erasure.apply_due()
    assert (done, failed) == (1, 0)
    return Erasure.objects.get(pk=scheduled.pk)


def test_it_waits_for_the_grace_period(zelda, settings):
    settings.COCREATE_ERASURE_GRACE_DAYS = 14
    scheduled = erasure.request_erasure(
        member=zelda.member, actor=zelda.member, keep_content=True
    )
    assert scheduled.due_at - timezone.now() > datetime.timedelta(days=13)
    assert erasure.apply_due() == (0, 0)
    assert erasure.apply_due(now=timezone.now() + datetime.timedelta(days=15)) == (
        1,
        0,
    )


def test_a_cancelled_erasure_never_happens(zelda):
    erasure.request_erasure(member=zelda.member, actor=zelda.member, keep_content=True)
    erasure.cancel_erasure(member=zelda.member, actor=zelda.member)
    assert erasure.apply_due(now=timezone.now() + datetime.timedelta(days=30)) == (
        0,
        0,
    )
    zelda.member.refresh_from_db()
    assert zelda.member.email == PERSONAL.email


def test_one_scheduled_at_a_time(zelda):
    erasure.request_erasure(member=zelda.member, actor=zelda.member, keep_content=True)
    with pytest.raises(PrivacyError):
        erasure.request_erasure(
            member=zelda.member, actor=zelda.member, keep_content=False
        )


def test_nobody_else_erases_her(zelda, bob, moderator):
    for actor in (bob, moderator):
        with pytest.raises(NotAllowed):
            erasure.request_erasure(member=zelda.member, actor=actor, keep_content=True)


def test_the_member_becomes_a_former_member(zelda):
    avatar = zelda.member.avatar.name
    erase_now(zelda.member, keep_content=True)
    member = type(zelda.member).objects.get(pk=zelda.member.pk)
    assert member.display_name == f"Former member #{member.pk}"
    assert member.email == f"former-member-{member.pk}@erased.invalid"
    assert not member.is_active
    assert not member.has_usable_password()
    assert (member.first_name, member.last_name, member.avatar.name) == ("", "", "")
    assert not default_storage.exists(avatar)
    assert not EmailAddress.objects.filter(user=member).exists()
    assert not SocialAccount.objects.filter(user=member).exists()
    assert not APIToken.objects.filter(user=member).exists()
    assert not Notification.objects.filter(recipient=member).exists()
    sessions = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(member.pk) not in sessions


def test_second_factors_go_and_consent_records_stay(zelda):
    records = list(
        ConsentRecord.objects.filter(member=zelda.member).values_list(
            "purpose", "granted", "version", "text", "source", "created_at"
        )
    )
    assert Authenticator.objects.filter(user=zelda.member).count() == 3
    erase_now(zelda.member, keep_content=True)
    assert not Authenticator.objects.filter(user=zelda.member).exists()
    # What was agreed, and when, stays proven; it names nobody.
    assert (
        list(
            ConsentRecord.objects.filter(member=zelda.member).values_list(
                "purpose", "granted", "version", "text", "source", "created_at"
            )
        )
        == records
    )
    zelda.member.refresh_from_db()
    assert not any(
        (
            zelda.member.contact_consent,
            zelda.member.research_consent,
            zelda.member.marketing_consent,
        )
    )


def test_kept_content_stays_signed_by_the_former_member(zelda):
    erase_now(zelda.member, keep_content=True)
    idea = Idea.objects.get(pk=zelda.idea.pk)
    assert idea.title == "Self-lacing trail shoes"
    assert idea.author_id == zelda.member.pk
    assert Comment.objects.get(pk=zelda.comment.pk).body.startswith("I tried")


def test_removed_content_keeps_the_thread_readable(zelda):
    image = IdeaImage.objects.get(idea=zelda.idea)
    erase_now(zelda.member, keep_content=False)
    idea = Idea.objects.get(pk=zelda.idea.pk)
    assert idea.title == "[removed]"
    assert idea.description == ""
    assert not IdeaImage.objects.filter(idea=idea).exists()
    assert not default_storage.exists(image.image.name)
    comment = Comment.objects.get(pk=zelda.comment.pk)
    assert comment.is_removed and comment.body == ""
    # Bob's reply and support stay, and the idea counts what is visible.
    assert comment.replies.get().body == "How did it hold up?"
    assert idea.comments_count == 1
    assert idea.supports_count == 1
    assert Report.objects.get(reporter=zelda.member).text == ""


def test_supports_stay_counted(zelda):
    erase_now(zelda.member, keep_content=False)
    other = Idea.objects.get(pk=zelda.other.pk)
    assert other.supports_count == 1
    assert Support.objects.filter(idea=other, member=zelda.member).exists()


def test_the_ledger_stays_and_audits_clean(zelda):
    wallet = Wallet.objects.get(member=zelda.member)
    entries = wallet.entries.count()
    erase_now(zelda.member, keep_content=False)
    wallet.refresh_from_db()
    # The open payout was cancelled through the ledger: one release more.
    assert wallet.entries.count() == entries + 1
    assert wallet.held == 0
    payout = Redemption.objects.get(member=zelda.member, reward__title="Cash back")
    assert payout.status == RedemptionStatus.CANCELLED
    assert (payout.iban, payout.iban_masked, payout.account_holder) == ("", "", "")
    parcel = Redemption.objects.get(member=zelda.member, reward__title="Water bottle")
    assert parcel.status == RedemptionStatus.FULFILLED
    assert parcel.shipping_address == ""
    report = run_audit()
    assert report.clean, [str(d) for d in report.discrepancies]


def test_others_notices_name_the_former_member(zelda, bob):
    erase_now(zelda.member, keep_content=True)
    (notice,) = Notification.objects.filter(recipient=bob, kind="reply")
    assert notice.title == f"Former member #{zelda.member.pk} replied to your comment"


def test_webhook_logs_name_the_former_member(zelda):
    hook = WebhookSubscription.objects.create(
        name="Jira", url="http://127.0.0.1:9/hook", events=["idea.promoted"]
    )
    delivery = WebhookDelivery.objects.create(
        subscription=hook,
        event="idea.promoted",
        payload={"promotion": {"owner": PERSONAL.name, "ticket": "RD-1"}},
    )
    erase_now(zelda.member, keep_content=True)
    delivery.refresh_from_db()
    assert delivery.payload["promotion"] == {
        "owner": f"Former member #{zelda.member.pk}",
        "ticket": "RD-1",
    }


def test_her_downloads_are_deleted(zelda):
    from cocreate.privacy import exports

    export = exports.build_export(DataExport.objects.create(member=zelda.member).pk)
    name = export.file_name
    with_callbacks = erasure.request_erasure(
        member=zelda.member, actor=zelda.member, keep_content=True
    )
    Erasure.objects.filter(pk=with_callbacks.pk).update(due_at=timezone.now())
    erasure.apply_due()
    # On commit in production; the test transaction never commits.
    exports.delete_file(export)
    assert not export_storage().exists(name)


def test_erasing_twice_does_nothing_more(zelda):
    done = erase_now(zelda.member, keep_content=True)
    assert erasure.erase(erasure=done).completed_at == done.completed_at
    with pytest.raises(PrivacyError):
        erasure.request_erasure(
            member=zelda.member, actor=zelda.member, keep_content=True
        )


def test_the_daily_command_erases_what_is_due(zelda):
    scheduled = erasure.request_erasure(
        member=zelda.member, actor=zelda.member, keep_content=True
    )
    Erasure.objects.filter(pk=scheduled.pk).update(due_at=timezone.now())
    out = io.StringIO()
    call_command("apply_erasures", stdout=out)
    assert "erased: 1, failed: 0" in out.getvalue()


@pytest.mark.parametrize("keep_content", [True, False])
def test_the_database_dump_holds_none_of_her_personal_strings(zelda, keep_content):
    avatar_file = zelda.member.avatar.name.rsplit("/", 1)[-1]
    before = io.StringIO()
    call_command("dumpdata", stdout=before)
    # The seed did put them in the database (the IBAN is encrypted at rest).
    secrets = [
        json.dumps(value)
        for authenticator in Authenticator.objects.filter(user=zelda.member)
        for key, value in authenticator.data.items()
        if key in ("secret", "seed", "credential") and value
    ]
    assert len(secrets) == 3  # the app's secret, the codes' seed, the key
    for needle in (
        PERSONAL.name,
        PERSONAL.email,
        PERSONAL.address,
        PERSONAL.security_key,
        avatar_file,
    ):
        assert needle in before.getvalue(), needle
    # What the database task backend keeps of a notice once a worker ran it.
    finished_task_naming(PERSONAL.name, PERSONAL.email)

    erase_now(zelda.member, keep_content=keep_content)

    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    text = dump.getvalue()
    for needle in (
        PERSONAL.name,
        "Quixote",
        PERSONAL.email,
        PERSONAL.other_email,
        PERSONAL.iban,
        PERSONAL.address,
        PERSONAL.postcode,
        avatar_file,
        PERSONAL.social_uid,
        PERSONAL.social_login,
        PERSONAL.security_key,
        *secrets,
    ):
        at = text.find(needle)
        assert at == -1, (needle, text[max(0, at - 300) : at + 100])
    assert run_audit().clean


def test_others_notices_forget_her_removed_content(zelda, bob):
    idea, comment = zelda.idea, zelda.comment
    about_idea = Notification.objects.create(
        recipient=bob,
        kind="status_changed",
        title=f"“{idea.title}” is under review",
        body="We are looking at it.",
        url=idea.get_absolute_url(),
    )
    about_comment = Notification.objects.create(
        recipient=bob,
        kind="reply",
        title="New comment on an idea you follow",
        body="I tried a prototype last summer.",
        url=comment.get_absolute_url(),
    )
    quoting = Notification.objects.create(
        recipient=bob,
        kind="status_changed",
        title=f"“{idea.title}” was merged",
        url="/x/",
    )
    unrelated = Notification.objects.create(
        recipient=bob,
        kind="status_changed",
        title="“Reflective running caps” is under review",
        url=zelda.other.get_absolute_url(),
    )

    erase_now(zelda.member, keep_content=False)

    for notice in (about_idea, about_comment, quoting):
        notice.refresh_from_db()
        assert notice.title == "Content removed by its author."
        assert notice.body == ""
    unrelated.refresh_from_db()
    assert unrelated.title == "“Reflective running caps” is under review"


def test_kept_content_keeps_others_notices(zelda, bob):
    notice = Notification.objects.create(
        recipient=bob,
        kind="status_changed",
        title=f"“{zelda.idea.title}” is under review",
        url=zelda.idea.get_absolute_url(),
    )
    erase_now(zelda.member, keep_content=True)
    notice.refresh_from_db()
    assert zelda.idea.title in notice.title


def test_finished_task_results_naming_her_go(zelda, bob):
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    def result(status, args, value=None):
        return DBTaskResult.objects.create(
            status=status,
            args_kwargs={"args": args, "kwargs": {}},
            return_value=value,
            task_path="cocreate.notifications.tasks.notify_members",
            backend_name="default",
            run_after=timezone.now(),
            finished_at=None if status == TaskResultStatus.READY else timezone.now(),
        )

    naming = result(TaskResultStatus.SUCCESSFUL, [[bob.pk], f"{PERSONAL.name} replied"])
    emailed = result(TaskResultStatus.FAILED, [PERSONAL.other_email])
    returned = result(TaskResultStatus.SUCCESSFUL, [1], {"to": PERSONAL.email})
    waiting = result(TaskResultStatus.READY, [PERSONAL.email])
    others = result(TaskResultStatus.SUCCESSFUL, [[bob.pk], "Bob replied"])

    erase_now(zelda.member, keep_content=True)

    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert naming.pk not in left and emailed.pk not in left
    assert returned.pk not in left
    assert {waiting.pk, others.pk} <= left
