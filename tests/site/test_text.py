"""Single-line fields drop line breaks, controls and bidi overrides everywhere:
in the forms of ideas, profiles, redemptions and the back office, and in the
posting service the API calls."""

from __future__ import annotations

import pytest

from cocreate.members.forms import ProfileForm, SignupDetailsForm
from cocreate.members.services import update_profile
from cocreate.privacy.forms import StaffErasureForm
from cocreate.text import SingleLineCharField, multi_line, single_line
from ideas import posting
from ideas.forms import IdeaForm
from ideas.models import Idea
from ideas.product.forms import PromoteForm
from rewards.forms import RedeemForm
from rewards.models import Reward, RewardKind

HOSTILE = "Dry\r\nBcc: all@example.com\tshoes\x00\x07\x1b[31m\u202egpj.exe\u2066\x85!"
CLEAN = "Dry Bcc: all@example.com shoes[31mgpj.exe !"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (HOSTILE, CLEAN),
        ("  two  \n\n lines ", "two lines"),
        ("caf\u00e9 \U0001f45f", "caf\u00e9 \U0001f45f"),  # letters and emoji stay
        ("\u2028\u2029\x9b\x7f", ""),
        ("right\u202dto\u202cleft\u2067x\u2069", "righttoleftx"),
    ],
)
def test_single_line_keeps_one_line_of_visible_text(raw, expected):
    assert single_line(raw) == expected


def test_multi_line_keeps_newlines_and_tabs_only():
    raw = "1 Trail Road\r\nFlat\t2\x0b\x00\u202e\rLyon"

    assert multi_line(raw) == "1 Trail Road\nFlat\t2\nLyon"


def test_the_field_cleans_before_it_measures():
    field = SingleLineCharField(max_length=5)

    assert field.clean("ab\x00\x01\x02\x03\x04\u202ecd") == "abcd"


@pytest.mark.django_db
def test_the_idea_form_cleans_title_and_tags():
    form = IdeaForm(
        {"title": HOSTILE, "description": "Line one\nline two", "tags": "a\nb, c\x00"}
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == CLEAN
    assert form.cleaned_data["tags"] == ["a b", "c"]
    assert form.cleaned_data["description"] == "Line one\nline two"


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [ProfileForm, SignupDetailsForm])
def test_display_names_are_one_clean_line(form_class):
    form = form_class({"display_name": "Eve\u202e\r\nAdmin\x00"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["display_name"] == "Eve Admin"


def test_a_display_name_of_controls_only_is_refused():
    form = ProfileForm({"display_name": "\u202e\x00\x01"})

    assert not form.is_valid()
    assert "display_name" in form.errors


@pytest.mark.django_db
def test_shipping_fields_are_cleaned_and_the_address_keeps_its_lines():
    reward = Reward.objects.create(title="Cap", kind=RewardKind.GOODS, cost=10)
    form = RedeemForm(
        {
            "shipping_name": "Ana\r\nBcc: x",
            "shipping_address": "1 Trail Road\r\n\u202eFlat 2",
            "shipping_postcode": "69001\x00",
            "shipping_city": "Lyon\n",
            "shipping_country": "France\u2066",
        },
        reward=reward,
        terms=None,
    )

    assert form.is_valid(), form.errors
    details = form.details()
    assert details.shipping_name == "Ana Bcc: x"
    assert details.shipping_address == "1 Trail Road\nFlat 2"
    assert (details.shipping_postcode, details.shipping_city) == ("69001", "Lyon")
    assert details.shipping_country == "France"


@pytest.mark.django_db
def test_the_promote_form_cleans_the_ticket():
    form = PromoteForm({"ticket_key": "RND-1\r\n42", "ticket_url": "\x00"})
    form.is_valid()

    assert form.cleaned_data["ticket_key"] == "RND-1 42"
    assert form.cleaned_data["ticket_url"] == ""


@pytest.mark.django_db
def test_a_title_posted_through_the_site_is_stored_on_one_line(alice_client):
    alice_client.post(
        "/ideas/new/",
        {"title": "Reflective\r\nlaces\u202e", "description": "Seen at night"},
    )

    assert Idea.objects.get().title == "Reflective laces"


@pytest.mark.django_db
def test_the_posting_service_cleans_what_the_api_sends(alice):
    idea = posting.create_idea(
        author=alice,
        title="Reflective\nlaces\x1b",
        description="Seen at night",
        tags=["night\r\nrun", "\u202e"],
    )

    assert idea.title == "Reflective laces"
    assert sorted(tag.name for tag in idea.tags.all()) == ["night run"]


@pytest.mark.django_db
def test_the_profile_service_cleans_the_name(alice):
    update_profile(member=alice, display_name="Alice\n\u202eAdmin")

    alice.refresh_from_db()
    assert alice.display_name == "Alice Admin"


def test_the_staff_erasure_reference_is_one_line():
    form = StaffErasureForm(
        {"content": "keep", "reference": "Ticket 42\r\n\u202eforged\x00"}
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["reference"] == "Ticket 42 forged"
