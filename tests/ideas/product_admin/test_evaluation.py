"""An idea's evaluation page: scoring, shortlists, R&D and shipping forms."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

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
from tests.factories import IdeaFactory, SupportFactory, UserFactory
from tests.ideas.product_admin.helpers import (
    _score,
    evaluate_url,
    messages_of,
    page_url,
    put_on,
)


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
