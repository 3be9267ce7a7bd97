"""The product team's shortlist pages: the list, sorting, notes and order."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ideas.models import (
    Idea,
    IdeaStatus,
    Shortlist,
    ShortlistEntry,
)
from ideas.product import evaluation, shortlists
from tests.factories import CommentFactory, IdeaFactory, SupportFactory
from tests.ideas.product_admin.helpers import (
    evaluate_url,
    messages_of,
    page_url,
    put_on,
    rows,
)


# The shortlist list and page ---------------------------------------------------
def test_the_shortlist_list_links_each_name_to_its_page(product_client, shoes):
    response = product_client.get(reverse("product_shortlists:index"))

    assert response.status_code == 200
    assert page_url(shoes) in response.content.decode()


def test_creating_a_shortlist_records_who_made_it(product_client, product):
    response = product_client.post(
        reverse("product_shortlists:add"),
        {"name": "Trail accessories", "description": "Small things"},
    )

    assert response.status_code == 302
    assert Shortlist.objects.get(name="Trail accessories").created_by == product


def test_the_page_lists_ideas_in_the_manual_order_with_their_signals(
    product_client, product, shoes, alice, bob
):
    first = IdeaFactory(author=alice, title="Laces that never untie")
    second = IdeaFactory(author=alice, title="Soles for ice", supports_count=1)
    SupportFactory(idea=second, member=bob)
    CommentFactory(idea=second, author=bob)
    put_on(shoes, first, second, actor=product)
    shortlists.set_note(actor=product, shortlist=shoes, idea=second, note="Ask R&D")

    response = product_client.get(page_url(shoes))

    html = response.content.decode()
    assert response.status_code == 200
    assert rows(html, ["Laces that never untie", "Soles for ice"]) == [
        "Laces that never untie",
        "Soles for ice",
    ]
    assert "Ask R&amp;D" in html
    listed = {idea.pk: idea for idea in response.context["ideas"]}
    assert listed[second.pk].supports_recent == 1
    assert listed[second.pk].entry_note == "Ask R&D"
    assert listed[first.pk].entry_note == ""
    assert second.get_absolute_url() in html
    assert evaluate_url(second) in html
    assert "For Q3" in html


def test_notes_belong_to_each_shortlist(product_client, product, shoes, idea):
    trail = Shortlist.objects.create(name="Trail accessories")
    put_on(shoes, idea, actor=product)
    put_on(trail, idea, actor=product)
    shortlists.set_note(actor=product, shortlist=trail, idea=idea, note="Trail note")

    response = product_client.get(page_url(shoes))

    assert [i.entry_note for i in response.context["ideas"]] == [""]
    assert "Trail note" not in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["Cherry heels", "Apple laces", "Banana soles"]),
        ("title", ["Apple laces", "Banana soles", "Cherry heels"]),
        ("-title", ["Cherry heels", "Banana soles", "Apple laces"]),
        ("status", ["Banana soles", "Apple laces", "Cherry heels"]),
        ("score", ["Apple laces", "Cherry heels", "Banana soles"]),
        ("-score", ["Cherry heels", "Apple laces", "Banana soles"]),
        ("scorers", ["Apple laces", "Cherry heels", "Banana soles"]),
        ("supports", ["Apple laces", "Cherry heels", "Banana soles"]),
        ("supports_recent", ["Banana soles", "Apple laces", "Cherry heels"]),
        ("comments", ["Banana soles", "Cherry heels", "Apple laces"]),
        ("nonsense", ["Cherry heels", "Apple laces", "Banana soles"]),
    ],
)
def test_the_page_sorts_by_each_column(product_client, shoes, three, sort, expected):
    response = product_client.get(page_url(shoes, sort))

    assert [i.title for i in response.context["ideas"]] == expected


def test_every_sort_key_is_offered_as_a_column(product_client, shoes, three):
    response = product_client.get(page_url(shoes))

    offered = {column["key"] for column in response.context["columns"]}
    assert offered == set(evaluation.sort_keys())
    assert "supporters_level" in offered  # rewards registers it


def test_the_sorted_column_links_to_its_reverse(product_client, shoes, three):
    response = product_client.get(page_url(shoes, "score"))

    column = next(c for c in response.context["columns"] if c["key"] == "score")
    assert column["active"] and column["url"] == "?sort=-score"
    # Moving only makes sense in the team's own order.
    assert reverse("product_shortlists:move", args=[shoes.pk, three[0].pk]) not in (
        response.content.decode()
    )


def test_the_page_runs_a_constant_number_of_queries(
    product_client, product, shoes, django_assert_max_num_queries
):
    def fill(count):
        for _ in range(count):
            idea = IdeaFactory()
            SupportFactory(idea=idea)
            put_on(shoes, idea, actor=product)

    fill(3)
    product_client.get(page_url(shoes, "supporters_level"))
    with django_assert_max_num_queries(11) as small:
        product_client.get(page_url(shoes, "supporters_level"))
    fill(27)
    with django_assert_max_num_queries(11) as large:
        response = product_client.get(page_url(shoes, "supporters_level"))
    assert len(response.context["ideas"]) == 30
    assert len(small.captured_queries) == len(large.captured_queries)


# Writes on the shortlist page -------------------------------------------------
def test_the_note_is_saved_and_the_page_keeps_its_sort(
    product_client, product, shoes, idea
):
    put_on(shoes, idea, actor=product)

    response = product_client.post(
        reverse("product_shortlists:note", args=[shoes.pk, idea.pk]),
        {"note": "  <b>Great</b> fit  ", "sort": "-score"},
    )

    assert response.status_code == 302
    assert response["Location"] == page_url(shoes, "-score")
    assert ShortlistEntry.objects.get(shortlist=shoes, idea=idea).note == (
        "<b>Great</b> fit"
    )
    html = product_client.get(page_url(shoes)).content.decode()
    assert "&lt;b&gt;Great&lt;/b&gt; fit" in html and "<b>Great</b>" not in html


def test_a_note_too_long_is_refused_in_words(product_client, product, shoes, idea):
    put_on(shoes, idea, actor=product)

    response = product_client.post(
        reverse("product_shortlists:note", args=[shoes.pk, idea.pk]),
        {"note": "x" * 2_001},
        follow=True,
    )

    assert "under 2,000 characters" in " ".join(messages_of(response))
    assert ShortlistEntry.objects.get(shortlist=shoes, idea=idea).note == ""


def test_move_up_and_down(product_client, product, shoes, alice):
    a, b, c = (IdeaFactory(author=alice) for _ in range(3))
    put_on(shoes, a, b, c, actor=product)
    move = "product_shortlists:move"

    product_client.post(reverse(move, args=[shoes.pk, c.pk]), {"direction": "up"})
    product_client.post(reverse(move, args=[shoes.pk, a.pk]), {"direction": "down"})

    order = list(shoes.entries.order_by("position").values_list("idea_id", flat=True))
    assert order == [c.pk, a.pk, b.pk]


def test_moving_past_the_end_says_so(product_client, product, shoes, idea):
    put_on(shoes, idea, actor=product)

    response = product_client.post(
        reverse("product_shortlists:move", args=[shoes.pk, idea.pk]),
        {"direction": "up"},
        follow=True,
    )

    assert "already at that end" in " ".join(messages_of(response))


def test_remove_takes_the_idea_off_and_keeps_its_status(
    product_client, product, shoes, idea
):
    put_on(shoes, idea, actor=product)

    response = product_client.post(
        reverse("product_shortlists:remove", args=[shoes.pk, idea.pk]), follow=True
    )

    assert not ShortlistEntry.objects.filter(shortlist=shoes).exists()
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PUBLISHED
    assert "is off “Running shoes 2027”" in " ".join(messages_of(response))


def test_shortlist_writes_refuse_get(product_client, product, shoes, idea):
    put_on(shoes, idea, actor=product)

    response = product_client.get(
        reverse("product_shortlists:remove", args=[shoes.pk, idea.pk])
    )

    assert response.status_code == 405
    assert ShortlistEntry.objects.filter(shortlist=shoes).exists()


def test_shortlist_writes_are_rate_limited(
    product_client, product, shoes, idea, settings
):
    settings.COCREATE_RATE_LIMITS = {
        **settings.COCREATE_RATE_LIMITS,
        "shortlist": "0/60",
    }
    put_on(shoes, idea, actor=product)

    response = product_client.post(
        reverse("product_shortlists:remove", args=[shoes.pk, idea.pk]), follow=True
    )

    assert ShortlistEntry.objects.filter(shortlist=shoes).exists()
    assert "Too many changes" in " ".join(messages_of(response))
