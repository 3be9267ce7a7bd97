"""Private campaigns and live updates: a list's socket, open to every visitor,
hears only of ideas everybody may see, even those it asked for; an idea's socket
admits who may see it."""

from __future__ import annotations

from asgiref.sync import async_to_sync, sync_to_async

from ideas import discussion, live, voting
from ideas.models import IdeaStatus
from tests.factories import IdeaFactory, UserFactory
from tests.ideas.live.helpers import (
    TIMEOUT,
    handshake,
    list_page,
    session_cookie,
    socket,
)


def test_the_list_socket_hears_nothing_of_a_panel_idea(
    private_idea, open_idea, panel, committed
):
    supporter = UserFactory()
    supporter.groups.add(panel)
    cookie = session_cookie(supporter)

    async def scenario():
        # A panellist's list shows the panel's idea: its socket asks for both.
        listing = await list_page([private_idea.pk, open_idea.pk], cookie=cookie)
        await committed(lambda: voting.support(member=supporter, idea=private_idea))
        await committed(
            lambda: discussion.post_comment(
                author=supporter, idea=private_idea, body="Warm feet!"
            )
        )
        await committed(lambda: voting.support(member=supporter, idea=open_idea))
        message = await listing.receive_json_from(timeout=TIMEOUT)
        nothing_more = await listing.receive_nothing(timeout=0.4)
        await listing.disconnect()
        return message, nothing_more

    message, nothing_more = async_to_sync(scenario)()

    assert message == {
        "type": "ideas.update",
        "ideas": [{"idea": open_idea.pk, "supports": 1, "comments": 0}],
    }
    assert nothing_more


def test_the_panel_idea_page_hears_its_updates(private_idea, panel, committed):
    supporter = UserFactory()
    supporter.groups.add(panel)
    cookie = session_cookie(supporter)

    async def scenario():
        page = socket(f"/ws/ideas/{private_idea.pk}/", cookie=cookie)
        assert (await page.connect())[0]
        await committed(lambda: voting.support(member=supporter, idea=private_idea))
        message = await page.receive_json_from(timeout=TIMEOUT)
        await page.disconnect()
        return message

    assert async_to_sync(scenario)()["supports"] == 1


def test_the_list_socket_hears_nothing_of_a_hidden_idea(alice):
    """The counts of a hidden idea (a comment removed on it, say) go to its page
    only, where its author and moderators may be."""
    hidden = IdeaFactory(author=alice, status=IdeaStatus.HIDDEN)
    cookie = session_cookie(alice)

    async def scenario():
        listing = await list_page([hidden.pk], cookie=cookie)
        await sync_to_async(live.broadcast_counts)(hidden.pk, kind="comment")
        nothing = await listing.receive_nothing(timeout=0.4)
        await listing.disconnect()
        return nothing

    assert async_to_sync(scenario)()


def test_an_idea_socket_of_a_private_campaign_refuses_outsiders(
    private_idea, members_idea, bob, panelist, moderator
):
    panel_path = f"/ws/ideas/{private_idea.pk}/"
    members_path = f"/ws/ideas/{members_idea.pk}/"

    assert handshake(panel_path) == (False, 4404)
    assert handshake(panel_path, cookie=session_cookie(bob)) == (False, 4404)
    assert handshake(panel_path, cookie=session_cookie(panelist))[0] is True
    assert handshake(panel_path, cookie=session_cookie(moderator))[0] is True
    assert handshake(members_path) == (False, 4404)
    assert handshake(members_path, cookie=session_cookie(bob))[0] is True


def test_a_sync_leaves_out_private_ideas_the_visitor_may_not_see(
    private_idea, open_idea, bob, panelist
):
    bob_cookie, panelist_cookie = session_cookie(bob), session_cookie(panelist)

    def synced(cookie: str = "") -> list[int]:
        async def scenario():
            listing = socket("/ws/ideas/", cookie=cookie)
            assert (await listing.connect())[0]
            await listing.send_json_to(
                {"type": "sync", "ideas": [private_idea.pk, open_idea.pk]}
            )
            answer = await listing.receive_json_from(timeout=TIMEOUT)
            await listing.disconnect()
            return [row["idea"] for row in answer["ideas"]]

        return async_to_sync(scenario)()

    assert synced() == [open_idea.pk]
    assert synced(bob_cookie) == [open_idea.pk]
    assert sorted(synced(panelist_cookie)) == sorted([open_idea.pk, private_idea.pk])
