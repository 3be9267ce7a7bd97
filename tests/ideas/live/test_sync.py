"""Live pages resynchronise: on every connection a page asks for the counts it
shows and gets them in one query, only for ideas the visitor may see."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync

from ideas import consumers, discussion, voting
from ideas.consumers import IdeaUpdatesConsumer
from ideas.models import IdeaStatus, access
from tests.factories import IdeaFactory
from tests.ideas.live.helpers import TIMEOUT, session_cookie, socket


def sync_answers(path: str, *frames, cookie: str = "", expect: int = 1) -> list:
    """Open a socket, send the frames (dicts as JSON, strings as they are) and
    collect ``expect`` answers; then check nothing more comes."""

    async def scenario():
        page = socket(path, cookie=cookie)
        assert (await page.connect())[0]
        for frame in frames:
            if isinstance(frame, str):
                await page.send_to(text_data=frame)
            else:
                await page.send_json_to(frame)
        answers = [await page.receive_json_from(timeout=TIMEOUT) for _ in range(expect)]
        nothing_more = await page.receive_nothing(timeout=0.3)
        await page.disconnect()
        assert nothing_more, "the socket answered more than it was asked"
        return answers

    return async_to_sync(scenario)()


def test_an_idea_page_resyncs_the_counts_it_missed(idea, bob, charlie):
    """Supports and comments made while the page's socket was down (the test
    never commits, so no update is broadcast) come back with the sync."""
    voting.support(member=bob, idea=idea)
    voting.support(member=charlie, idea=idea)
    discussion.post_comment(author=bob, idea=idea, body="Count me in")

    [answer] = sync_answers(
        f"/ws/ideas/{idea.pk}/", {"type": "sync", "ideas": [idea.pk]}
    )

    assert answer == {
        "type": "ideas.sync",
        "ideas": [{"idea": idea.pk, "supports": 2, "comments": 1}],
    }


def test_a_list_sync_reads_every_count_in_one_query(
    alice, bob, django_assert_num_queries
):
    first, second, third = IdeaFactory.create_batch(3, author=alice)
    voting.support(member=bob, idea=second)
    access.campaign_rules()  # the private campaigns' rules, cached site-wide

    with django_assert_num_queries(1):
        [answer] = sync_answers(
            "/ws/ideas/", {"type": "sync", "ideas": [third.pk, first.pk, second.pk]}
        )

    assert answer["ideas"] == [
        {"idea": first.pk, "supports": 0, "comments": 0},
        {"idea": second.pk, "supports": 1, "comments": 0},
        {"idea": third.pk, "supports": 0, "comments": 0},
    ]


def test_a_sync_leaves_out_ideas_the_visitor_may_not_see(alice):
    public = IdeaFactory(author=alice)
    pending = IdeaFactory(author=alice, status=IdeaStatus.PENDING)
    hidden = IdeaFactory(author=alice, status=IdeaStatus.HIDDEN)
    asked = [public.pk, pending.pk, hidden.pk, 999999]

    [anonymous] = sync_answers("/ws/ideas/", {"type": "sync", "ideas": asked})
    [author] = sync_answers(
        "/ws/ideas/", {"type": "sync", "ideas": asked}, cookie=session_cookie(alice)
    )

    assert [c["idea"] for c in anonymous["ideas"]] == [public.pk]
    assert [c["idea"] for c in author["ideas"]] == [public.pk, pending.pk, hidden.pk]


def test_an_idea_page_sync_does_not_reveal_other_pending_ideas(alice, bob):
    page_idea = IdeaFactory(author=alice)
    pending = IdeaFactory(author=alice, status=IdeaStatus.PENDING)

    [answer] = sync_answers(
        f"/ws/ideas/{page_idea.pk}/",
        {"type": "sync", "ideas": [page_idea.pk, pending.pk]},
        cookie=session_cookie(bob),
    )

    assert [c["idea"] for c in answer["ideas"]] == [page_idea.pk]


def test_the_author_of_a_pending_idea_resyncs_its_page(alice):
    pending = IdeaFactory(author=alice, status=IdeaStatus.PENDING)

    [answer] = sync_answers(
        f"/ws/ideas/{pending.pk}/",
        {"type": "sync", "ideas": [pending.pk]},
        cookie=session_cookie(alice),
    )

    assert [c["idea"] for c in answer["ideas"]] == [pending.pk]


def test_a_sync_answers_at_most_the_capped_number_of_ids(alice, monkeypatch):
    monkeypatch.setattr(consumers, "MAX_SYNC_IDS", 2)
    first, second, third = IdeaFactory.create_batch(3, author=alice)

    [answer] = sync_answers(
        "/ws/ideas/", {"type": "sync", "ideas": [first.pk, second.pk, third.pk]}
    )

    assert [c["idea"] for c in answer["ideas"]] == [first.pk, second.pk]


def test_the_sync_cap_holds_a_list_page_and_more():
    assert consumers.MAX_SYNC_IDS >= 20  # a list page shows 20 ideas
    assert len(consumers._idea_ids(list(range(1, 1000)))) == consumers.MAX_SYNC_IDS


def test_a_sync_drops_ids_that_are_not_ideas_keys(idea):
    asked = [idea.pk, str(idea.pk), -1, 0, True, 1.5, None, [idea.pk], 2**70, idea.pk]

    [answer] = sync_answers("/ws/ideas/", {"type": "sync", "ideas": asked})

    assert answer["ideas"] == [{"idea": idea.pk, "supports": 0, "comments": 0}]


@pytest.mark.parametrize(
    "frame", ["not json", '"sync"', "[1, 2]"], ids=["not-json", "a-string", "a-list"]
)
def test_a_malformed_frame_is_ignored_and_the_socket_stays_open(idea, frame):
    [answer] = sync_answers(
        f"/ws/ideas/{idea.pk}/", frame, {"type": "sync", "ideas": [idea.pk]}
    )

    assert answer["ideas"] == [{"idea": idea.pk, "supports": 0, "comments": 0}]


def test_a_sync_whose_ids_are_not_a_list_gets_no_counts(idea):
    [answer] = sync_answers("/ws/ideas/", {"type": "sync", "ideas": f"{idea.pk}"})

    assert answer == {"type": "ideas.sync", "ideas": []}


def test_a_connection_gets_only_a_few_syncs(idea, monkeypatch):
    monkeypatch.setattr(IdeaUpdatesConsumer, "max_syncs", 2)
    ask = {"type": "sync", "ideas": [idea.pk]}

    answers = sync_answers("/ws/ideas/", ask, ask, ask, expect=2)

    assert [a["type"] for a in answers] == ["ideas.sync", "ideas.sync"]
