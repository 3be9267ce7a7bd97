"""Idea cards shared by every reader (ideas.fragments): a member's lists reuse the
cards others' pages rendered, with their own supported state only, never a card
of an idea they may not see, and every change to an idea shown at once."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cocreate import outages
from cocreate.settings import redis_cache, redis_channel_layer
from ideas import discussion, fragments, posting, voting, workflow
from ideas.models import Idea, IdeaStatus
from ideas.moderation import services as moderation
from ideas.ranking import hot_score
from tests.factories import IdeaFactory, IdeaImageFactory, UserFactory
from tests.ideas.private.conftest import restrict

pytestmark = pytest.mark.django_db

YOU_SUPPORT = "You support this"


@pytest.fixture(autouse=True)
def _page_cache_on(settings, private_redis):
    settings.COCREATE_PAGE_CACHE_SECONDS = 30


@pytest.fixture
def rendered(monkeypatch):
    """The ids of the cards rendered (not reused), in order."""
    seen: list[int] = []
    original = fragments._rendered

    def spy(ideas, request):
        seen.extend(idea.pk for idea in ideas)
        return original(ideas, request)

    monkeypatch.setattr(fragments, "_rendered", spy)
    return seen


def member_client(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def page(client, url: str = "/ideas/") -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def card_of(body: str, idea: Idea) -> str:
    start = body.index(f'id="idea-{idea.pk}"')
    return body[start : body.index("</article>", start)]


def test_a_card_is_rendered_once_for_every_reader(idea, alice, bob, rendered):
    page(member_client(bob))
    assert rendered == [idea.pk]
    for client in (member_client(alice), Client(), member_client(bob)):
        assert idea.title in page(client)
    assert rendered == [idea.pk]  # the others reused it
    assert cache.get(fragments._card_key(idea.pk, "en")) is not None


def test_each_member_sees_their_own_supported_state(idea, bob, charlie, rendered):
    voting.support(member=bob, idea=idea)
    bobs = member_client(bob)
    assert YOU_SUPPORT in card_of(page(bobs), idea)
    assert YOU_SUPPORT not in card_of(page(member_client(charlie)), idea)
    assert YOU_SUPPORT not in card_of(page(Client()), idea)
    assert YOU_SUPPORT in card_of(page(bobs), idea)
    assert rendered == [idea.pk]
    # No reader's state is kept in the shared card.
    _stamp, html = cache.get(fragments._card_key(idea.pk, "en"))
    assert YOU_SUPPORT not in html
    assert fragments.SUPPORTED_MARK in html
    assert "<!--idea-card" not in page(bobs)


@pytest.mark.parametrize("url", ["/ideas/", "/", "members"])
def test_a_private_card_never_reaches_a_member_outside_its_campaign(
    url, make_campaign, alice, bob, django_user_model
):
    from django.contrib.auth.models import Group

    panel = Group.objects.create(name="Panel")
    private = make_campaign(title="Panel: prototype boots")
    restrict(private, PageViewRestriction.GROUPS, groups=[panel])
    secret = IdeaFactory(author=alice, campaign=private, title="Heated soles")
    alice.groups.add(panel)
    path = alice.get_absolute_url() if url == "members" else url

    assert "Heated soles" in page(member_client(alice), path)
    assert cache.get(fragments._card_key(secret.pk, "en")) is not None  # kept
    for reader in (member_client(bob), Client()):
        assert "Heated soles" not in page(reader, path)
    assert "Heated soles" not in page(member_client(bob), "/ideas/?q=heated")


def test_an_edit_shows_at_once(idea, alice, bob):
    client = member_client(bob)
    page(client)
    posting.edit_idea(
        editor=alice, idea=idea, title="Shoes that dry in an hour", description="Yes."
    )
    assert "Shoes that dry in an hour" in card_of(page(client), idea)


def test_a_status_change_and_a_hide_show_at_once(idea, bob, product, moderator):
    client = member_client(bob)
    page(client)
    workflow.change_status(
        actor=product, idea=idea, new_status="shortlisted", note="Nice work."
    )
    assert "status-shortlisted" in card_of(page(client), idea)
    moderation.hide(actor=moderator, content=idea, reason="Spam")
    assert idea.title not in page(client)
    assert idea.title not in page(client, "/")


def test_supports_and_comments_show_their_counts_at_once(idea, bob, charlie):
    client = member_client(bob)
    assert f'data-idea-supports="{idea.pk}">0<' in page(client)
    voting.support(member=charlie, idea=idea)
    assert f'data-idea-supports="{idea.pk}">1<' in page(client)
    discussion.post_comment(author=charlie, idea=idea, body="Love the mesh.")
    assert f'data-idea-comments="{idea.pk}">1<' in page(client)


def test_a_new_image_shows_at_once(idea, alice, bob):
    client = member_client(bob)
    assert "<img" not in card_of(page(client), idea)
    IdeaImageFactory(idea=idea)
    idea.save()  # what an edit with a new image does
    assert "<img" in card_of(page(client), idea)


def test_french_and_english_cards_are_kept_apart(idea, alice, bob):
    bob.language = "fr"
    bob.save()
    french = card_of(page(member_client(bob)), idea)
    english = card_of(page(member_client(alice)), idea)
    assert 'title="Commentaires"' in french and 'title="Comments"' not in french
    assert 'title="Comments"' in english and "Commentaires" not in english
    assert cache.get(fragments._card_key(idea.pk, "fr")) is not None
    assert cache.get(fragments._card_key(idea.pk, "en")) is not None
    assert card_of(page(member_client(bob)), idea) == french


def test_a_forgotten_generation_renders_the_card_again(idea, bob, rendered):
    client = member_client(bob)
    page(client)
    cache.delete(fragments.page_cache.GENERATION_KEY.format(f"idea:{idea.pk}"))
    page(client)
    assert rendered == [idea.pk, idea.pk]


def test_with_redis_down_members_pages_render(idea, bob):
    dead = "redis://127.0.0.1:6/0"
    client = member_client(bob)
    try:
        with override_settings(
            REDIS_URL=dead,
            CACHES={"default": redis_cache(dead, timeout=0.2)},
            CHANNEL_LAYERS={"default": redis_channel_layer(dead, timeout=0.2)},
        ):
            for url in ("/ideas/", "/", "/ideas/?sort=new"):
                for _ in range(2):
                    assert idea.title in page(client, url), url
    finally:
        for outage in (outages.cache_outage, outages.channel_layer_outage):
            outage.down = False


def _add_ideas(count: int, author, campaign=None) -> None:
    now = timezone.now()
    Idea.objects.bulk_create(
        [
            Idea(
                title=f"Idea {n}",
                description="Text",
                description_html="<p>Text</p>",
                author=author,
                campaign=campaign,
                status=IdeaStatus.PUBLISHED,
                created_at=now,
                hot_score=hot_score(n % 7, now),
                supports_count=n % 7,
            )
            for n in range(count)
        ],
        batch_size=500,
    )


def _queries(client, url: str) -> int:
    page(client, url)  # fills the cards
    with CaptureQueriesContext(connection) as captured:
        page(client, url)
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "url", ["/ideas/", "/ideas/?sort=new", "/ideas/?sort=trending", "/", "campaign"]
)
def test_a_members_list_runs_the_same_queries_at_10_and_1000_ideas(url, bob, campaign):
    client = member_client(bob)
    author = UserFactory()
    if url == "campaign":
        url = campaign.url
    _add_ideas(10, author, campaign)
    small = _queries(client, url)
    _add_ideas(990, author, campaign)
    cache.clear()
    client = member_client(bob)
    large = _queries(client, url)
    assert small == large
    assert large <= 16


def test_kept_cards_save_the_tags_and_images_queries(bob, settings):
    for n in range(5):
        idea = IdeaFactory(title=f"Idea {n}")
        idea.tags.add("common")
        IdeaImageFactory(idea=idea)
    client = member_client(bob)
    settings.COCREATE_PAGE_CACHE_SECONDS = 0
    uncached = _queries(client, "/ideas/")
    settings.COCREATE_PAGE_CACHE_SECONDS = 30
    cached = _queries(client, "/ideas/")
    assert cached == uncached - 2


# Comment heads -------------------------------------------------------------------


def test_a_comment_head_is_shared_and_the_tools_stay_each_readers(idea, bob, charlie):
    comment = discussion.post_comment(author=bob, idea=idea, body="Love the mesh.")
    url = idea.get_absolute_url()
    bobs = page(member_client(bob), url)
    assert cache.get(fragments._comment_key(comment.pk, "en")) is not None
    charlies = page(member_client(charlie), url)
    for body in (bobs, charlies, page(Client(), url)):
        assert body.count("Love the mesh.") == 1
    edit = f"/ideas/{idea.pk}/comments/{comment.pk}/edit/"
    assert edit in bobs
    assert edit not in charlies
    report = f"/ideas/{idea.pk}/comments/{comment.pk}/report/"
    assert report in charlies and report not in bobs


def test_an_edited_or_hidden_comment_shows_at_once(idea, bob, charlie, moderator):
    comment = discussion.post_comment(author=bob, idea=idea, body="Love the mesh.")
    url = idea.get_absolute_url()
    client = member_client(charlie)
    assert "Love the mesh." in page(client, url)
    discussion.edit_comment(editor=bob, comment=comment, body="Love the laces.")
    assert "Love the laces." in page(client, url)
    moderation.hide(actor=moderator, content=comment, reason="Rude")
    body = page(client, url)
    assert "Love the laces." not in body
    assert "This comment was hidden by a moderator." in body
    assert "Love the laces." in page(member_client(bob), url)  # its author sees it
