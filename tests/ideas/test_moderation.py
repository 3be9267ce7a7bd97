"""Moderation: reports, the queue's actions, pre-moderation and merges."""

from __future__ import annotations

import pytest
from wagtail.models import ModelLogEntry

from ideas import discussion, following, posting, voting
from ideas.errors import AlreadyDone, InvalidInput, NotAllowed
from ideas.models import (
    Comment,
    Follow,
    Idea,
    IdeaStatus,
    Merge,
    ModerationReason,
    ModerationSettings,
    Report,
    Support,
)
from ideas.moderation import merging
from ideas.moderation import services as moderation
from tests.factories import CommentFactory, IdeaFactory, UserFactory
from tests.ideas.reporters import established


@pytest.fixture
def config(db):
    return ModerationSettings.load()


def reporters(count):
    """Established, verified members: three of them weigh enough to hide."""
    return established(count)


# Reports -----------------------------------------------------------------------


def test_a_member_reports_an_idea_once(idea, bob):
    moderation.report(reporter=bob, idea=idea, reason="spam", text="Ads")
    with pytest.raises(AlreadyDone):
        moderation.report(reporter=bob, idea=idea, reason="offensive")
    assert Report.objects.count() == 1


def test_a_duplicate_report_needs_the_original(idea, bob):
    with pytest.raises(InvalidInput, match="link"):
        moderation.report(reporter=bob, idea=idea, reason="duplicate")
    original = IdeaFactory()
    report = moderation.report(
        reporter=bob, idea=idea, reason="duplicate", duplicate_of=original
    )
    assert report.duplicate_of == original


def test_nobody_reports_their_own_idea_or_an_unknown_reason(idea, alice, bob):
    with pytest.raises(InvalidInput):
        moderation.report(reporter=alice, idea=idea, reason="spam")
    with pytest.raises(InvalidInput):
        moderation.report(reporter=bob, idea=idea, reason="boring")
    assert not Report.objects.exists()


def test_enough_distinct_reports_hide_an_idea_until_reviewed(idea, config, sent):
    config.report_threshold = 3
    config.save()
    first, second, third = reporters(3)
    moderation.report(reporter=first, idea=idea, reason="spam")
    moderation.report(reporter=second, idea=idea, reason="spam")
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PUBLISHED

    moderation.report(reporter=third, idea=idea, reason="offensive")

    idea.refresh_from_db()
    assert idea.status == IdeaStatus.HIDDEN
    assert "3 reports" in idea.hidden_reason
    assert [c["content"].pk for c in sent["content_removed"]] == [idea.pk]


def test_enough_reports_hide_a_comment_and_uncount_it(idea, bob, config):
    config.report_threshold = 2
    config.save()
    comment = discussion.post_comment(author=bob, idea=idea, body="Buy now!")
    for reporter in reporters(2):
        moderation.report(reporter=reporter, comment=comment, reason="spam")

    comment.refresh_from_db()
    assert comment.is_hidden
    assert Idea.objects.get(pk=idea.pk).comments_count == 0


# Queue actions -------------------------------------------------------------------


def test_hiding_needs_a_reason_and_a_moderator(idea, moderator, bob):
    with pytest.raises(NotAllowed):
        moderation.hide(actor=bob, content=idea, reason="x")
    with pytest.raises(InvalidInput, match="reason"):
        moderation.hide(actor=moderator, content=idea, reason=" ")
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PUBLISHED


def test_hiding_with_a_template_sends_its_message_and_restore_puts_it_back(
    moderator, alice, sent
):
    idea = IdeaFactory(author=alice, status=IdeaStatus.SHORTLISTED)
    template = ModerationReason.objects.create(
        title="Off-topic", message="This is not about our products."
    )
    moderation.hide(actor=moderator, content=idea, template=template)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.HIDDEN
    assert idea.hidden_reason == "This is not about our products."

    moderation.restore(actor=moderator, content=idea)

    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SHORTLISTED
    assert idea.hidden_reason == ""
    assert len(sent["content_restored"]) == 1
    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {"cocreate.moderation.hide", "cocreate.moderation.restore"} <= actions


def test_hiding_resolves_open_reports(idea, moderator, bob):
    moderation.report(reporter=bob, idea=idea, reason="spam")
    moderation.hide(actor=moderator, content=idea, reason="Spam")
    report = Report.objects.get()
    assert report.resolved_by == moderator and report.resolution == "hidden"


def test_a_hidden_comment_comes_back_counted(idea, bob, moderator):
    comment = discussion.post_comment(author=bob, idea=idea, body="Hi")
    moderation.hide(actor=moderator, content=comment, reason="Rude")
    assert Idea.objects.get(pk=idea.pk).comments_count == 0
    moderation.restore(actor=moderator, content=comment)
    assert Idea.objects.get(pk=idea.pk).comments_count == 1
    with pytest.raises(AlreadyDone):
        moderation.restore(actor=moderator, content=comment)


def test_approving_a_reported_idea_keeps_it_and_closes_the_reports(
    idea, bob, moderator
):
    moderation.report(reporter=bob, idea=idea, reason="off_topic")
    moderation.approve(actor=moderator, content=idea)
    assert Report.objects.get().resolution == "kept"
    with pytest.raises(AlreadyDone):
        moderation.approve(actor=moderator, content=idea)


def test_locking_comments(idea, moderator, bob):
    moderation.lock_comments(actor=moderator, idea=idea, locked=True)
    idea.refresh_from_db()
    with pytest.raises(NotAllowed, match="locked"):
        discussion.post_comment(author=bob, idea=idea, body="Hello")
    with pytest.raises(AlreadyDone):
        moderation.lock_comments(actor=moderator, idea=idea, locked=True)
    moderation.lock_comments(actor=moderator, idea=idea, locked=False)
    idea.refresh_from_db()
    discussion.post_comment(author=bob, idea=idea, body="Hello")


def test_bulk_actions_skip_what_is_already_done(moderator, alice):
    ideas = [IdeaFactory(author=alice, status=IdeaStatus.PENDING) for _ in range(3)]
    moderation.approve(actor=moderator, content=ideas[0])
    done = moderation.bulk(moderation.approve, actor=moderator, items=ideas)
    assert done == 2
    assert set(Idea.objects.values_list("status", flat=True)) == {"published"}


# What waits ------------------------------------------------------------------------


def test_a_new_members_first_contributions_wait(config, bob, sent):
    config.premoderated_contributions = 1
    config.save()
    first = posting.create_idea(author=bob, title="First", description="Text")
    assert first.status == IdeaStatus.PENDING
    assert not sent["idea_published"]

    comment = discussion.post_comment(author=bob, idea=IdeaFactory(), body="Hi")
    assert comment.is_pending
    assert Idea.objects.get(pk=comment.idea_id).comments_count == 0
    assert not sent["comment_posted"]


def test_approving_a_pending_idea_publishes_it(config, bob, moderator, sent):
    config.premoderated_contributions = 1
    config.save()
    idea = posting.create_idea(author=bob, title="First", description="Text")
    moderation.approve(actor=moderator, content=idea)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PUBLISHED
    assert [c["idea"].pk for c in sent["idea_published"]] == [idea.pk]
    # Once one contribution is out, the member is trusted for the next ones.
    second = posting.create_idea(author=bob, title="Second", description="Text")
    assert second.status == IdeaStatus.PUBLISHED


def test_approving_a_pending_comment_counts_and_announces_it(
    config, bob, moderator, sent
):
    config.premoderated_contributions = 1
    config.save()
    comment = discussion.post_comment(author=bob, idea=IdeaFactory(), body="Hi")
    moderation.approve(actor=moderator, content=comment)
    comment.refresh_from_db()
    assert comment.moderation == "visible"
    assert Idea.objects.get(pk=comment.idea_id).comments_count == 1
    assert len(sent["comment_posted"]) == 1


def test_a_listed_word_or_too_many_links_from_a_new_member_wait(config, bob):
    config.blocked_words = "casino\nfree money"
    config.new_member_link_limit = 1
    config.save()
    idea = IdeaFactory()
    assert discussion.post_comment(author=bob, idea=idea, body="Try CASINO!").is_pending
    assert discussion.post_comment(
        author=bob, idea=idea, body="https://a.example and www.b.example"
    ).is_pending
    assert not discussion.post_comment(
        author=bob, idea=idea, body="See https://a.example"
    ).is_pending


def test_trusted_members_and_the_brand_team_skip_the_word_list(config, moderator):
    config.blocked_words = "casino"
    config.premoderated_contributions = 3
    config.save()
    comment = discussion.post_comment(
        author=moderator, idea=IdeaFactory(), body="casino"
    )
    assert not comment.is_pending


# Merges -------------------------------------------------------------------------


@pytest.fixture
def pair(alice, charlie):
    """A (the original, by Alice) and B (its duplicate, by Charlie)."""
    return (
        IdeaFactory(author=alice, title="Original"),
        IdeaFactory(author=charlie, title="Duplicate"),
    )


def test_merging_moves_supports_and_followers_without_counting_twice(
    pair, alice, bob, moderator, sent
):
    original, duplicate = pair
    both, only_b = UserFactory(), UserFactory()
    voting.support(member=both, idea=original)
    voting.support(member=both, idea=duplicate)
    voting.support(member=only_b, idea=duplicate)
    voting.support(member=alice, idea=duplicate)  # A's author keeps hers on B
    following.follow(member=bob, idea=duplicate)
    following.follow(member=both, idea=original)
    following.follow(member=both, idea=duplicate)
    CommentFactory(idea=duplicate, body="Still readable")

    merging.merge(actor=moderator, source=duplicate, target=original)

    original.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.status == IdeaStatus.DUPLICATE
    assert duplicate.merged_into == original
    assert original.supports_count == 2  # both, only_b
    assert set(
        Support.objects.filter(idea=original).values_list("member", flat=True)
    ) == {
        both.pk,
        only_b.pk,
    }
    assert Follow.objects.filter(idea=original, member=bob).exists()
    assert Follow.objects.filter(idea=original, member=both).count() == 1
    assert Comment.objects.filter(idea=duplicate).count() == 1
    assert Merge.objects.get().moved_support_ids


def test_undoing_a_merge_puts_back_exactly_what_moved(pair, moderator):
    original, duplicate = pair
    members = UserFactory.create_batch(3)
    for member in members:
        voting.support(member=member, idea=duplicate)
    voting.support(member=members[0], idea=original)
    before = {
        idea.pk: (idea.supports_count, idea.followers_count)
        for idea in Idea.objects.filter(pk__in=[original.pk, duplicate.pk])
    }
    record = merging.merge(actor=moderator, source=duplicate, target=original)

    merging.undo_merge(actor=moderator, merge_record=record)

    after = {
        idea.pk: (idea.supports_count, idea.followers_count)
        for idea in Idea.objects.filter(pk__in=[original.pk, duplicate.pk])
    }
    assert after == before
    duplicate.refresh_from_db()
    assert duplicate.status == IdeaStatus.PUBLISHED and duplicate.merged_into is None
    assert Merge.objects.get().undone_by == moderator
    with pytest.raises(InvalidInput, match="already"):
        merging.undo_merge(actor=moderator, merge_record=record)


def test_merging_refuses_itself_members_and_merged_targets(pair, moderator, bob):
    original, duplicate = pair
    with pytest.raises(InvalidInput):
        merging.merge(actor=moderator, source=original, target=original)
    with pytest.raises(NotAllowed):
        merging.merge(actor=bob, source=duplicate, target=original)
    merging.merge(actor=moderator, source=duplicate, target=original)
    with pytest.raises(InvalidInput):
        merging.merge(actor=moderator, source=IdeaFactory(), target=duplicate)
