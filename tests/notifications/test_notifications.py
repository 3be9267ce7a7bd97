"""Notifications: who hears about what, through which channel, and the bell."""

from __future__ import annotations

import datetime

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocreate.members.sanctions import sanction
from cocreate.notifications import services
from cocreate.notifications.models import Notification, Preference
from ideas import discussion, following, voting, workflow
from ideas.models import IdeaStatus
from ideas.moderation import merging
from ideas.moderation import services as moderation
from tests.factories import IdeaFactory, UserFactory
from tests.ideas.live.helpers import session_cookie, socket


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def recipients(kind=None) -> set[int]:
    rows = Notification.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return set(rows.values_list("recipient_id", flat=True))


def test_a_status_change_reaches_author_supporters_and_followers_only(
    idea, alice, bob, charlie, product, committed
):
    follower, bystander = UserFactory(), UserFactory()
    voting.support(member=bob, idea=idea)
    following.follow(member=follower, idea=idea)

    committed(
        lambda: workflow.change_status(
            actor=product, idea=idea, new_status="shortlisted", note="Great one"
        )
    )

    assert recipients("status_changed") == {alice.pk, bob.pk, follower.pk}
    assert bystander.pk not in recipients() and charlie.pk not in recipients()
    note = Notification.objects.filter(recipient=bob).get()
    assert "Shortlisted" in note.title and note.body == "Great one"


def test_the_status_change_request_does_not_grow_with_the_audience(
    alice, product, django_capture_on_commit_callbacks
):
    def queries_for(supporters: int) -> int:
        idea = IdeaFactory(author=alice)
        for member in UserFactory.create_batch(supporters):
            voting.support(member=member, idea=idea)
        with (
            django_capture_on_commit_callbacks(execute=False),
            CaptureQueriesContext(connection) as captured,
        ):
            workflow.change_status(
                actor=product, idea=idea, new_status="declined", note="No"
            )
        return len(captured)

    queries_for(1)  # warms the moderator's permission cache
    assert queries_for(2) == queries_for(25)


def test_the_fan_out_goes_in_batches(idea, alice, product, committed, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    members = UserFactory.create_batch(5)
    for member in members:
        voting.support(member=member, idea=idea)
    committed(
        lambda: workflow.change_status(
            actor=product, idea=idea, new_status="declined", note="No"
        )
    )
    assert recipients() == {alice.pk, *(m.pk for m in members)}


def test_official_answers_reach_the_audience(idea, alice, bob, product, committed):
    voting.support(member=bob, idea=idea)
    committed(
        lambda: discussion.post_official_answer(author=product, idea=idea, body="Yes!")
    )
    assert recipients("official_answer") == {alice.pk, bob.pk}


def test_a_reply_and_a_mention_reach_their_members_only(idea, alice, bob, charlie):
    top = discussion.post_comment(author=bob, idea=idea, body="Love it")
    discussion.post_comment(
        author=alice, idea=idea, parent=top, body="Thanks, and @Charlie, look!"
    )
    assert recipients("reply") == {bob.pk}
    assert recipients("mention") == {charlie.pk}


def test_nobody_is_told_of_their_own_reply_or_mention(idea, bob):
    top = discussion.post_comment(author=bob, idea=idea, body="Hello")
    discussion.post_comment(author=bob, idea=idea, parent=top, body="@Bob again")
    assert not Notification.objects.exists()


def test_hiding_tells_the_author_why(idea, alice, moderator):
    moderation.hide(actor=moderator, content=idea, reason="Off-topic here")
    note = Notification.objects.get()
    assert note.recipient == alice and note.body == "Off-topic here"


def test_deleting_your_own_comment_tells_nobody(idea, bob):
    comment = discussion.post_comment(author=bob, idea=idea, body="Oops")
    discussion.remove_comment(actor=bob, comment=comment)
    assert not Notification.objects.exists()


def test_approval_tells_the_author(alice, moderator):
    pending = IdeaFactory(author=alice, status=IdeaStatus.PENDING)
    moderation.approve(actor=moderator, content=pending)
    assert "published" in Notification.objects.get(recipient=alice).title


def test_a_merge_tells_the_duplicates_audience_where_it_goes_on(
    alice, bob, charlie, moderator, committed
):
    original = IdeaFactory(title="Original")
    duplicate = IdeaFactory(author=alice, title="Copy")
    both, bystander = UserFactory(), UserFactory()
    voting.support(member=bob, idea=duplicate)  # moves to the original
    following.follow(member=charlie, idea=duplicate)  # moves too
    voting.support(member=both, idea=original)
    voting.support(member=both, idea=duplicate)  # stays on the duplicate
    voting.support(member=bystander, idea=original)
    Notification.objects.all().delete()

    committed(lambda: merging.merge(actor=moderator, source=duplicate, target=original))

    told = Notification.objects.all()
    assert sorted(n.recipient_id for n in told) == sorted(
        [alice.pk, bob.pk, charlie.pk, both.pk]
    )
    assert {(n.kind, n.title, n.url) for n in told} == {
        (
            "status_changed",
            "“Copy” was merged into “Original”",
            original.get_absolute_url(),
        )
    }


def test_undoing_a_merge_tells_the_duplicates_audience(
    alice, bob, moderator, committed
):
    original, duplicate = IdeaFactory(), IdeaFactory(author=alice)
    voting.support(member=bob, idea=duplicate)
    record = merging.merge(actor=moderator, source=duplicate, target=original)
    Notification.objects.all().delete()

    committed(lambda: merging.undo_merge(actor=moderator, merge_record=record))

    assert recipients("status_changed") == {alice.pk, bob.pk}
    assert "is now: Published" in Notification.objects.filter(recipient=bob).get().title


def test_reaching_the_threshold_alerts_the_brand_team(
    make_campaign, alice, bob, product, moderator, committed
):
    idea = IdeaFactory(author=alice, campaign=make_campaign(support_threshold=1))
    committed(lambda: voting.support(member=bob, idea=idea))
    assert recipients("brand_team") == {product.pk, moderator.pk}


def test_a_sanction_tells_the_member(moderator, bob):
    sanction(
        actor=moderator,
        member=bob,
        kind="suspension",
        reason="Spam",
        until=timezone.now() + datetime.timedelta(days=1),
    )
    assert "suspended" in Notification.objects.get(recipient=bob).title


# Channels and preferences ----------------------------------------------------------


def test_email_goes_out_at_once_with_an_unsubscribe_link(idea, bob, charlie, committed):
    top = discussion.post_comment(author=bob, idea=idea, body="Hi")
    committed(
        lambda: discussion.post_comment(
            author=charlie, idea=idea, parent=top, body="Yo"
        )
    )
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [bob.email]
    assert "/notifications/unsubscribe/" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_off_writes_nothing_and_in_app_sends_no_email(idea, bob, charlie, committed):
    services.set_preferences(member=bob, channels={"reply": "off"})
    top = discussion.post_comment(author=bob, idea=idea, body="Hi")
    committed(
        lambda: discussion.post_comment(author=charlie, idea=idea, parent=top, body="1")
    )
    assert not Notification.objects.exists()
    services.set_preferences(member=bob, channels={"reply": "in_app"})
    committed(
        lambda: discussion.post_comment(author=charlie, idea=idea, parent=top, body="2")
    )
    assert Notification.objects.count() == 1 and not mail.outbox


def test_the_daily_digest_gathers_everything_in_one_email(idea, bob, charlie):
    services.set_preferences(member=bob, channels={"reply": "digest"})
    top = discussion.post_comment(author=bob, idea=idea, body="Hi")
    for body in ("one", "two"):
        discussion.post_comment(author=charlie, idea=idea, parent=top, body=body)
    assert not mail.outbox

    assert services.send_digests() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].body.count("replied") == 2
    assert services.send_digests() == 0


def test_sanctions_cannot_be_switched_off(bob):
    services.set_preferences(member=bob, channels={"sanction": "off"})
    assert Preference.objects.get(member=bob).channel == "in_app"


def test_one_click_unsubscribe_needs_no_login(client, bob):
    url = reverse(
        "notifications:unsubscribe", args=[services.unsubscribe_token(bob.pk, "reply")]
    )
    page = client.get(url)
    assert page.status_code == 200 and not Preference.objects.exists()
    client.post(url)
    assert Preference.objects.get(member=bob, kind="reply").channel == "off"


def test_a_forged_unsubscribe_link_is_refused(client, bob):
    url = reverse("notifications:unsubscribe", args=["forged-token"])
    assert client.post(url).status_code == 400
    assert not Preference.objects.exists()


# The bell and the list -------------------------------------------------------------


def note_for(member, title="Hello"):
    return services.notify([member.pk], services.Message("reply", title, "", "/"))[0]


def test_the_bell_counts_unread_and_marks_read(client, bob):
    first, _second = note_for(bob), note_for(bob, "Again")
    client.force_login(bob)
    assert ">2<" in client.get(reverse("notifications:bell")).content.decode()
    client.post(reverse("notifications:read", args=[first.pk]))
    assert ">1<" in client.get(reverse("notifications:bell")).content.decode()
    client.post(reverse("notifications:read_all"))
    assert (
        "bell-count" not in client.get(reverse("notifications:bell")).content.decode()
    )


def test_nobody_reads_someone_elses_notifications(client, bob, charlie):
    note = note_for(bob)
    client.force_login(charlie)
    client.post(reverse("notifications:read", args=[note.pk]))
    assert Notification.objects.get(pk=note.pk).read_at is None
    assert "Hello" not in client.get(reverse("notifications:list")).content.decode()


def test_the_preferences_page_saves_choices(client, bob):
    client.force_login(bob)
    data = dict.fromkeys(services.DEFAULT_CHANNELS, "in_app")
    data["mention"] = "off"
    client.post(reverse("notifications:preferences"), data)
    assert Preference.objects.get(member=bob, kind="mention").channel == "off"


def test_the_bell_updates_live(bob, django_capture_on_commit_callbacks):
    async def scenario():
        communicator = socket("/ws/notifications/", cookie=await cookie())
        connected, _ = await communicator.connect()
        assert connected
        await sync_to_async(notify)()
        message = await communicator.receive_json_from(timeout=3)
        await communicator.disconnect()
        return message

    @sync_to_async
    def cookie():
        return session_cookie(bob)

    def notify():
        with django_capture_on_commit_callbacks(execute=True):
            note_for(bob, "Live one")

    message = async_to_sync(scenario)()
    assert message == {"type": "bell.update", "unread": 1, "title": "Live one"}


def test_anonymous_sockets_are_refused(db):
    async def scenario():
        communicator = socket("/ws/notifications/")
        connected, _ = await communicator.connect()
        return connected

    assert async_to_sync(scenario)() is False


def test_the_moderators_request_costs_the_same_for_2_or_25_supporters(
    client, alice, product
):
    client.force_login(product)

    def request_queries(supporters: int) -> int:
        idea = IdeaFactory(author=alice)
        for member in UserFactory.create_batch(supporters):
            voting.support(member=member, idea=idea)
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                f"/ideas/{idea.pk}/status/",
                {"status-status": "declined", "status-note": "Not for us"},
            )
        assert response.status_code == 302
        return len(captured)

    request_queries(1)  # warms the session and permission caches
    assert request_queries(2) == request_queries(25)
    assert not Notification.objects.filter(kind="status_changed").exists()


def test_the_digests_unsubscribe_link_stops_the_daily_email(client, idea, bob, charlie):
    services.set_preferences(
        member=bob, channels={"reply": "digest", "mention": "digest"}
    )
    top = discussion.post_comment(author=bob, idea=idea, body="Hi")
    discussion.post_comment(author=charlie, idea=idea, parent=top, body="Yo")
    services.send_digests()
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/unsubscribe/" in line
    )
    client.post(link[link.index("/notifications/") :].strip())
    channels = dict(
        Preference.objects.filter(member=bob).values_list("kind", "channel")
    )
    assert channels["reply"] == channels["mention"] == "in_app"


def test_an_email_marks_only_its_own_notification_sent(idea, bob, charlie, committed):
    services.set_preferences(member=bob, channels={"reply": "digest"})
    top = discussion.post_comment(author=bob, idea=idea, body="Hi")
    discussion.post_comment(author=charlie, idea=idea, parent=top, body="First")
    services.set_preferences(member=bob, channels={"reply": "email"})
    committed(
        lambda: discussion.post_comment(
            author=charlie, idea=idea, parent=top, body="Second"
        )
    )
    assert len(mail.outbox) == 1
    waiting = Notification.objects.filter(recipient=bob, emailed_at__isnull=True)
    assert [n.body for n in waiting] == ["First"]


def test_notifications_know_ideas_only_by_its_events_and_statuses():
    """DESIGN rule 2: what an event passes is all notifications know of ideas."""
    import ast
    from pathlib import Path

    import cocreate.notifications

    folder = Path(cocreate.notifications.__file__).parent
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [
                    f"{node.module}.{alias.name}" for alias in node.names
                ]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            of_ideas = [n for n in names if n == "ideas" or n.startswith("ideas.")]
            assert all(
                n in ("ideas", "ideas.events", "ideas.statuses")
                or n.startswith(("ideas.events.", "ideas.statuses."))
                for n in of_ideas
            ), f"{path.name} imports {node.module}"
