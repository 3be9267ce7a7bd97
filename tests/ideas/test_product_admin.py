"""The product team's back office: shortlists and their pages, scoring criteria,
and an idea's evaluation page with its scoring, shortlist, R&D and shipping forms."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from ideas.errors import InvalidInput
from ideas.models import (
    Criterion,
    Idea,
    IdeaStatus,
    Promotion,
    Score,
    Shortlist,
    ShortlistEntry,
    StatusChange,
)
from ideas.product import evaluation, scoring, shortlists
from tests.factories import CommentFactory, IdeaFactory, SupportFactory, UserFactory


@pytest.fixture
def shoes(db):
    return Shortlist.objects.create(name="Running shoes 2027", description="For Q3")


def page_url(shortlist, sort=""):
    url = reverse("product_shortlists:page", args=[shortlist.pk])
    return f"{url}?sort={sort}" if sort else url


def evaluate_url(idea, action=""):
    if action:
        return reverse(f"product:{action}", args=[idea.pk])
    return reverse("product:evaluate", args=[idea.pk])


def put_on(shortlist, *ideas, actor):
    for idea in ideas:
        shortlists.add_idea(actor=actor, shortlist=shortlist, idea=idea)


def rows(html: str, titles) -> list[str]:
    """The titles in the order the page lists them."""
    return sorted(titles, key=html.index)


def messages_of(response) -> list[str]:
    return [str(m).strip() for m in response.context["messages"]]


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


@pytest.fixture
def three(product, shoes, alice, bob, charlie):
    """Three ideas whose every signal orders them differently from the manual
    order (c, a, b) wherever it can."""
    old = timezone.now() - datetime.timedelta(days=30)
    a = IdeaFactory(
        author=alice,
        title="Apple laces",
        status=IdeaStatus.UNDER_REVIEW,
        supports_count=5,
        comments_count=1,
        score=80.0,
        scorers_count=2,
    )
    b = IdeaFactory(
        author=alice,
        title="Banana soles",
        status=IdeaStatus.PUBLISHED,
        supports_count=1,
        comments_count=7,
        score=None,
        scorers_count=0,
    )
    c = IdeaFactory(
        author=alice,
        title="Cherry heels",
        status=IdeaStatus.SHORTLISTED,
        supports_count=3,
        comments_count=3,
        score=40.0,
        scorers_count=1,
    )
    # Recent supports: b has two this week, a one, c one old one.
    SupportFactory(idea=b, member=bob)
    SupportFactory(idea=b, member=charlie)
    SupportFactory(idea=a, member=bob)
    SupportFactory(idea=c, member=bob, created_at=old)
    put_on(shoes, c, a, b, actor=product)
    return a, b, c


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


# Permissions ----------------------------------------------------------------------


def test_moderators_and_members_do_not_reach_the_product_pages(
    client, moderator, alice, shoes, idea
):
    urls = [
        reverse("product_shortlists:index"),
        page_url(shoes),
        reverse("product_criteria:index"),
        evaluate_url(idea),
    ]
    client.force_login(moderator)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home"), url
    client.force_login(alice)
    for url in urls:
        assert client.get(url)["Location"].startswith(reverse("wagtailadmin_login"))


def test_moderators_cannot_write_to_shortlists(mod_client, product, shoes, idea):
    put_on(shoes, idea, actor=product)

    mod_client.post(reverse("product_shortlists:remove", args=[shoes.pk, idea.pk]))
    mod_client.post(evaluate_url(idea, "score"), {})
    mod_client.post(
        evaluate_url(idea, "shortlist"),
        {"shortlist": Shortlist.objects.create(name="Other").pk},
    )

    assert ShortlistEntry.objects.filter(idea=idea).count() == 1
    assert not Score.objects.exists()


def test_a_viewer_of_shortlists_sees_no_write_buttons(client, product, shoes, idea):
    put_on(shoes, idea, actor=product)
    viewer = UserFactory()
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_shortlist"])
    )
    client.force_login(viewer)

    response = client.get(page_url(shoes))

    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("product_shortlists:remove", args=[shoes.pk, idea.pk]) not in html
    assert reverse("product_shortlists:export", args=[shoes.pk]) not in html
    refused = client.post(
        reverse("product_shortlists:remove", args=[shoes.pk, idea.pk])
    )
    assert refused.status_code == 302
    assert ShortlistEntry.objects.filter(shortlist=shoes).exists()


def test_the_product_menu_shows_for_the_product_team_only(client, product, moderator):
    client.force_login(product)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("product_shortlists:index") in html
    assert reverse("product_criteria:index") in html
    client.force_login(moderator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("product_shortlists:index") not in html


def test_the_public_idea_page_links_to_the_evaluation_for_the_product_team(
    client, product, moderator, idea
):
    client.force_login(product)
    assert evaluate_url(idea) in client.get(idea.get_absolute_url()).content.decode()
    client.force_login(moderator)
    assert (
        evaluate_url(idea) not in client.get(idea.get_absolute_url()).content.decode()
    )


# Criteria ------------------------------------------------------------------------


def _score(product, idea, **by_name):
    criteria = {c.name: c for c in Criterion.objects.all()}
    scoring.score_idea(
        scorer=product,
        idea=idea,
        values={criteria[name].pk: value for name, value in by_name.items()},
    )


def _criterion_form(criterion, **changes):
    data = {
        "name": criterion.name,
        "description": criterion.description,
        "weight": criterion.weight,
        "scale": criterion.scale,
        "position": criterion.position,
        "is_active": "on" if criterion.is_active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_editing_a_criterion_rescores_the_ideas(product_client, product, idea):
    _score(product, idea, Benefit=5, Feasibility=1)
    before = Idea.objects.get(pk=idea.pk).score
    feasibility = Criterion.objects.get(name="Feasibility")

    response = product_client.post(
        reverse("product_criteria:edit", args=[feasibility.pk]),
        _criterion_form(feasibility, is_active=""),
    )

    assert response.status_code == 302
    assert before == pytest.approx(100 * (3 * 5 / 5 + 2 * 1 / 5) / 5)
    assert Idea.objects.get(pk=idea.pk).score == 100.0


def test_a_new_weight_rescores_the_ideas(product_client, product, idea):
    _score(product, idea, Benefit=5, Feasibility=1)
    benefit = Criterion.objects.get(name="Benefit")

    product_client.post(
        reverse("product_criteria:edit", args=[benefit.pk]),
        _criterion_form(benefit, weight=8),
    )

    assert Idea.objects.get(pk=idea.pk).score == pytest.approx(
        round(100 * (8 * 1 + 2 * 0.2) / 10, 1)
    )


def test_deleting_a_criterion_rescores_the_ideas(client, product, idea):
    _score(product, idea, Benefit=5, Feasibility=1)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    feasibility = Criterion.objects.get(name="Feasibility")

    client.post(reverse("product_criteria:delete", args=[feasibility.pk]))

    assert not Criterion.objects.filter(pk=feasibility.pk).exists()
    assert Idea.objects.get(pk=idea.pk).score == 100.0


def test_a_new_weight_through_the_admin_is_one_logged_edit(
    product_client, product, idea
):
    _score(product, idea, Benefit=5, Feasibility=1)
    benefit = Criterion.objects.get(name="Benefit")

    response = product_client.post(
        reverse("product_criteria:edit", args=[benefit.pk]),
        _criterion_form(benefit, weight=8),
    )

    assert response.status_code == 302
    [entry] = ModelLogEntry.objects.for_instance(benefit)
    assert (entry.action, entry.user) == ("wagtail.edit", product)
    assert entry.data == {"changed": ["weight"], "rescored": 1}


def test_a_scale_below_the_scores_is_refused_in_words_keeping_what_was_typed(
    product_client, product, idea
):
    _score(product, idea, Benefit=5, Feasibility=4)
    feasibility = Criterion.objects.get(name="Feasibility")
    before = Idea.objects.get(pk=idea.pk).score

    response = product_client.post(
        reverse("product_criteria:edit", args=[feasibility.pk]),
        _criterion_form(feasibility, name="Buildable", scale=3),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ideas were already scored up to 4 on this criterion" in page
    assert 'value="Buildable"' in page
    fresh = Criterion.objects.get(pk=feasibility.pk)
    assert (fresh.name, fresh.scale) == ("Feasibility", 5)
    assert Idea.objects.get(pk=idea.pk).score == before
    assert not ModelLogEntry.objects.for_instance(feasibility).exists()


def test_the_product_team_adds_a_criterion_that_counts_from_now(
    product_client, product, idea
):
    _score(product, idea, Benefit=5, Feasibility=1)
    before = Idea.objects.get(pk=idea.pk).score

    response = product_client.post(
        reverse("product_criteria:add"),
        {
            "name": "Fun",
            "description": "",
            "weight": 2,
            "scale": 5,
            "position": 9,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert Criterion.objects.get(name="Fun").weight == 2
    assert Idea.objects.get(pk=idea.pk).score == before


def test_a_refused_deletion_says_why_and_keeps_the_criterion(
    client, superuser, product, idea, monkeypatch
):
    _score(product, idea, Benefit=5, Feasibility=1)
    feasibility = Criterion.objects.get(name="Feasibility")

    def refuse(*, actor, criterion):
        raise InvalidInput("This criterion was deleted meanwhile.")

    monkeypatch.setattr(scoring, "delete_criterion", refuse)
    client.force_login(superuser)

    response = client.post(reverse("product_criteria:delete", args=[feasibility.pk]))

    assert response.status_code == 200
    assert "This criterion was deleted meanwhile." in response.content.decode()
    assert Criterion.objects.filter(pk=feasibility.pk).exists()


def test_an_invalid_criterion_is_refused_and_nothing_changes(
    product_client, product, idea
):
    _score(product, idea, Benefit=5, Feasibility=1)
    benefit = Criterion.objects.get(name="Benefit")
    before = Idea.objects.get(pk=idea.pk).score

    response = product_client.post(
        reverse("product_criteria:edit", args=[benefit.pk]),
        _criterion_form(benefit, weight=11),
    )

    assert response.status_code == 200
    assert Criterion.objects.get(pk=benefit.pk).weight == 3
    assert Idea.objects.get(pk=idea.pk).score == before


# The evaluation page ---------------------------------------------------------------


def test_the_evaluation_page_shows_the_idea_scores_and_shortlists(
    product_client, product, shoes, idea, bob
):
    other = UserFactory(display_name="Oscar")
    other.groups.add(Group.objects.get(name="Product team"))
    _score(product, idea, Benefit=4)
    _score(other, idea, Benefit=2, Feasibility=5)
    put_on(shoes, idea, actor=product)

    response = product_client.get(evaluate_url(idea))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Shoes that dry overnight" in html and "Alice" in html
    assert idea.get_absolute_url() in html
    assert "Oscar" in html and "Petra" in html
    assert page_url(shoes) in html
    form = response.context["score_form"]
    benefit = Criterion.objects.get(name="Benefit")
    assert form.initial == {f"criterion_{benefit.pk}": 4}
    assert len(form.fields) == Criterion.objects.filter(is_active=True).count()
    assert response.context["promote_form"] is not None
    assert response.context["ship_form"] is None


def test_scoring_saves_and_clears_my_scores(product_client, product, idea):
    benefit = Criterion.objects.get(name="Benefit")
    feasibility = Criterion.objects.get(name="Feasibility")
    _score(product, idea, Feasibility=3)

    response = product_client.post(
        evaluate_url(idea, "score"),
        {f"criterion_{benefit.pk}": "5", f"criterion_{feasibility.pk}": ""},
        follow=True,
    )

    assert set(
        Score.objects.filter(scorer=product).values_list("criterion_id", "value")
    ) == {(benefit.pk, 5)}
    assert Idea.objects.get(pk=idea.pk).score == 100.0
    assert "100.0 out of 100" in " ".join(messages_of(response))


def test_a_score_out_of_range_keeps_what_was_typed(product_client, product, idea):
    benefit = Criterion.objects.get(name="Benefit")
    feasibility = Criterion.objects.get(name="Feasibility")

    response = product_client.post(
        evaluate_url(idea, "score"),
        {f"criterion_{benefit.pk}": "9", f"criterion_{feasibility.pk}": "4"},
    )

    assert response.status_code == 200
    form = response.context["score_form"]
    assert form.errors[f"criterion_{benefit.pk}"] == ["Score from 1 to 5."]
    html = response.content.decode()
    assert 'value="9"' in html and 'value="4"' in html
    assert not Score.objects.exists()


def test_the_services_refusal_is_shown_with_the_form_kept(
    product_client, product, alice
):
    hidden = IdeaFactory(author=alice, status=IdeaStatus.HIDDEN)
    benefit = Criterion.objects.get(name="Benefit")

    response = product_client.post(
        evaluate_url(hidden, "score"), {f"criterion_{benefit.pk}": "3"}
    )

    assert response.status_code == 200
    assert "cannot be scored" in " ".join(
        response.context["score_form"].non_field_errors()
    )
    assert 'value="3"' in response.content.decode()
    assert not Score.objects.exists()


def test_scoring_is_rate_limited(product_client, product, idea, settings):
    settings.COCREATE_RATE_LIMITS = {**settings.COCREATE_RATE_LIMITS, "score": "0/60"}
    benefit = Criterion.objects.get(name="Benefit")

    response = product_client.post(
        evaluate_url(idea, "score"), {f"criterion_{benefit.pk}": "3"}
    )

    assert response.status_code == 200
    assert not Score.objects.exists()
    assert "Too many scores" in " ".join(messages_of(response))


def test_adding_to_a_shortlist_leaves_the_status(product_client, product, shoes, idea):
    response = product_client.post(
        evaluate_url(idea, "shortlist"),
        {"shortlist": shoes.pk, "note": "Strong fit"},
        follow=True,
    )

    entry = ShortlistEntry.objects.get(shortlist=shoes, idea=idea)
    assert entry.note == "Strong fit"
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PUBLISHED
    assert "The idea is on “Running shoes 2027”." in messages_of(response)
    # It is on it now: the form offers the other shortlists only.
    assert shoes not in response.context["shortlist_form"].fields["shortlist"].queryset


def test_adding_and_moving_to_shortlisted(product_client, product, shoes, idea):
    product_client.post(
        evaluate_url(idea, "shortlist"),
        {
            "shortlist": shoes.pk,
            "mark_shortlisted": "on",
            "status_note": "The team looks closer.",
        },
    )

    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.SHORTLISTED
    assert StatusChange.objects.get(idea=idea).note == "The team looks closer."
    assert ShortlistEntry.objects.filter(shortlist=shoes, idea=idea).exists()


def test_moving_to_shortlisted_without_a_note_keeps_the_form(
    product_client, product, shoes, idea
):
    response = product_client.post(
        evaluate_url(idea, "shortlist"),
        {"shortlist": shoes.pk, "note": "Keep me", "mark_shortlisted": "on"},
    )

    assert response.status_code == 200
    form = response.context["shortlist_form"]
    assert "Please write a note" in " ".join(form.non_field_errors())
    assert "Keep me" in response.content.decode()
    assert not ShortlistEntry.objects.exists()
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PUBLISHED


def test_adding_without_choosing_a_shortlist_says_so(product_client, product, idea):
    Shortlist.objects.create(name="Any")

    response = product_client.post(evaluate_url(idea, "shortlist"), {"note": "Hm"})

    assert response.status_code == 200
    assert response.context["shortlist_form"].errors["shortlist"] == [
        "Choose the shortlist to add the idea to."
    ]


def _promote_data(owner, **changes):
    data = {
        "ticket_key": "RND-142",
        "ticket_url": "https://rnd.example.com/RND-142",
        "owner": owner.pk,
        "target_date": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
        "note": "Our lab builds a prototype.",
    }
    data.update(changes)
    return data


def test_promoting_into_rnd_records_the_ticket(product_client, product, idea):
    response = product_client.post(
        evaluate_url(idea, "promote"), _promote_data(product), follow=True
    )

    promotion = Promotion.objects.get(idea=idea)
    assert (promotion.ticket_key, promotion.owner) == ("RND-142", product)
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.IN_RND
    assert "RND-142" in " ".join(messages_of(response))
    # Now in R&D: the ship form replaces the promotion form, the record shows.
    assert response.context["promote_form"] is None
    assert response.context["ship_form"] is not None
    assert "https://rnd.example.com/RND-142" in response.content.decode()


def test_the_owner_is_a_brand_team_member(product_client, product, idea, alice):
    response = product_client.post(evaluate_url(idea, "promote"), _promote_data(alice))

    assert response.status_code == 200
    assert response.context["promote_form"].errors["owner"] == [
        "This person is not in the brand team."
    ]
    assert not Promotion.objects.exists()


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"ticket_url": "javascript:alert(1)"}, "must be a web address"),
        ({"note": ""}, "Please write a note"),
        ({"target_date": "2001-01-01"}, "in the past"),
    ],
)
def test_promotion_refusals_keep_what_was_typed(
    product_client, product, idea, changes, words
):
    response = product_client.post(
        evaluate_url(idea, "promote"), _promote_data(product, **changes)
    )

    assert response.status_code == 200
    assert words in " ".join(response.context["promote_form"].non_field_errors())
    assert 'value="RND-142"' in response.content.decode()
    assert not Promotion.objects.exists()
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PUBLISHED


def test_a_badly_written_date_is_refused_in_words(product_client, product, idea):
    response = product_client.post(
        evaluate_url(idea, "promote"), _promote_data(product, target_date="soon")
    )

    assert response.context["promote_form"].errors["target_date"] == [
        "Write the date as YYYY-MM-DD."
    ]


def test_shipping_records_the_product_link(product_client, product, idea):
    product_client.post(evaluate_url(idea, "promote"), _promote_data(product))

    response = product_client.post(
        evaluate_url(idea, "ship"),
        {"product_url": "https://shop.example.com/p/1", "note": "On sale now."},
        follow=True,
    )

    promotion = Promotion.objects.get(idea=idea)
    assert promotion.product_url == "https://shop.example.com/p/1"
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.SHIPPED
    assert response.context["ship_form"] is None
    assert "has shipped" in " ".join(messages_of(response))


def test_shipping_refusals_keep_what_was_typed(product_client, product, idea):
    product_client.post(evaluate_url(idea, "promote"), _promote_data(product))

    missing = product_client.post(evaluate_url(idea, "ship"), {"note": "Soon"})
    bad = product_client.post(
        evaluate_url(idea, "ship"), {"product_url": "ftp://x", "note": "Soon"}
    )

    assert missing.context["ship_form"].errors["product_url"] == [
        "Please give the link to the product."
    ]
    assert "web address" in " ".join(bad.context["ship_form"].non_field_errors())
    assert 'value="ftp://x"' in bad.content.decode()
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.IN_RND


def test_shipping_an_idea_not_in_rnd_is_refused(product_client, product, idea):
    response = product_client.post(
        evaluate_url(idea, "ship"),
        {"product_url": "https://shop.example.com/p/1", "note": "Hm"},
    )

    assert response.status_code == 200
    assert "promote this idea into R&D first" in " ".join(
        response.context["ship_form"].non_field_errors()
    )


def test_the_evaluation_page_refuses_get_on_its_actions(product_client, idea):
    assert product_client.get(evaluate_url(idea, "promote")).status_code == 405


def test_the_evaluation_page_runs_a_constant_number_of_queries(
    product_client, product, idea, django_assert_max_num_queries
):
    def crowd(count):
        for _ in range(count):
            member = UserFactory()
            member.groups.add(Group.objects.get(name="Product team"))
            _score(member, idea, Benefit=3, Feasibility=2)
            shortlist = Shortlist.objects.create(
                name=f"List {Shortlist.objects.count()}"
            )
            put_on(shortlist, idea, actor=product)
            SupportFactory(idea=idea)

    crowd(2)
    product_client.get(evaluate_url(idea))
    with django_assert_max_num_queries(17) as small:
        product_client.get(evaluate_url(idea))
    crowd(18)
    with django_assert_max_num_queries(17) as large:
        response = product_client.get(evaluate_url(idea))
    assert len(response.context["score_rows"]) == 20
    assert len(small.captured_queries) == len(large.captured_queries)


# Exports -------------------------------------------------------------------------


def _export(client, shortlist, fmt, sort=""):
    return client.get(
        reverse("product_shortlists:export", args=[shortlist.pk]),
        {"format": fmt, "sort": sort},
    )


def test_the_export_follows_the_pages_order_with_the_notes(
    product_client, shoes, three, product
):
    a, _b, _c = three
    shortlists.set_note(actor=product, shortlist=shoes, idea=a, note="Lab first")

    manual = _export(product_client, shoes, "csv")
    by_score = _export(product_client, shoes, "csv", sort="score")

    assert manual.status_code == 200
    text = b"".join(manual.streaming_content).decode("utf-8-sig")
    assert rows(text, ["Apple laces", "Banana soles", "Cherry heels"]) == [
        "Cherry heels",
        "Apple laces",
        "Banana soles",
    ]
    assert "Lab first" in text
    scored = b"".join(by_score.streaming_content).decode("utf-8-sig")
    assert rows(scored, ["Apple laces", "Banana soles", "Cherry heels"]) == [
        "Apple laces",
        "Cherry heels",
        "Banana soles",
    ]
    assert "attachment" in manual["Content-Disposition"]


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
def test_the_export_offers_excel_and_json(product_client, shoes, three, fmt):
    response = _export(product_client, shoes, fmt)

    assert response.status_code == 200
    assert f".{fmt}" in response["Content-Disposition"]


def test_the_page_offers_the_export_to_those_who_may_export(
    product_client, shoes, three
):
    html = product_client.get(page_url(shoes, "score")).content.decode()

    assert reverse("product_shortlists:export", args=[shoes.pk]) in html
    assert 'name="sort" value="score"' in html


def test_an_unknown_format_is_refused_in_words(product_client, shoes, three):
    response = _export(product_client, shoes, "pdf")

    assert response.status_code == 302
    follow = product_client.get(response["Location"])
    assert "Choose CSV, Excel or JSON." in messages_of(follow)


def test_exports_are_rate_limited(product_client, shoes, three, settings):
    settings.COCREATE_RATE_LIMITS = {**settings.COCREATE_RATE_LIMITS, "export": "0/60"}

    response = _export(product_client, shoes, "csv")

    assert response.status_code == 302
    assert "Too many exports" in " ".join(
        messages_of(product_client.get(response["Location"]))
    )


def test_those_who_may_not_export_are_refused(client, shoes, three):
    viewer = UserFactory()
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_shortlist"])
    )
    client.force_login(viewer)

    response = _export(client, shoes, "csv")

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_the_admin_idea_list_leads_the_product_team_to_each_evaluation(
    client, product, moderator, idea
):
    from django.urls import reverse

    evaluation = reverse("product:evaluate", args=[idea.pk])
    client.force_login(product)
    assert evaluation in client.get(reverse("ideas_admin:index")).content.decode()
    client.force_login(moderator)
    assert evaluation not in client.get(reverse("ideas_admin:index")).content.decode()
