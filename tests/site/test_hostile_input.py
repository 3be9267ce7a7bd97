"""Hostile query and form values never give a 500: every URL of the project, with
every parameter name the project reads set to values that broke pages before
(a NUL byte for PostgreSQL, "²" that passes ``str.isdigit()``, an id one past
64 bits, a lone quote for SQLite's full-text search, invalid UTF-8)."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from wagtail.models import APIToken

from cocreate.params import (
    choice_param,
    int_list_param,
    int_param,
    search_terms,
    text_param,
)
from rewards.models import Reward, RewardKind
from tests.factories import IdeaFactory
from tests.site.url_permissions.decisions import DECISIONS
from tests.site.url_permissions.helpers import POST, _build_world, _value

pytestmark = [
    pytest.mark.slow,
    #: WhiteNoise warns on every request when collectstatic has not run.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

#: Percent-encoded, as a crafted link sends them.
HOSTILE_VALUES = (
    "%00",  # NUL: PostgreSQL refuses it in text
    "a%00b",
    "%C2%B2",  # "²": str.isdigit() says yes, int() says no
    "-1",
    "0",
    "9223372036854775808",  # 2**63, one past the largest id
    "99999999999999999999999999",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "%22",  # a lone quote: SQLite's full-text syntax fails on it
    "a%22b",
    "%FF",  # invalid UTF-8
    "%ED%A0%80",  # an encoded lone surrogate
    "%27%20OR%201%3D1--",
    "1e400",
    "",
)

#: Every name the project reads from a query string or a form, found by grepping
#: ``request.GET``, ``request.POST``, ``params.get``, the API's query schemas and
#: the forms' fields (ideas/, rewards/, site/).
PARAMETER_NAMES = (
    # Lists, filters and pages (ideas.selectors, rewards.views, the API)
    "q",
    "campaign",
    "category",
    "status",
    "tag",
    "sort",
    "page",
    "p",
    "period",
    "cursor",
    "limit",
    "format",
    "export",
    # Idea pages
    "merged",
    "stay",
    "next",
    "action",
    "comment",
    "remove_images",
    "parent",
    # Moderation and the back office
    "do",
    "items",
    "lift",
    "direction",
    "reason",
    "template",
    "note",
    "duplicate_of",
    "text",
    # Forms
    "title",
    "description",
    "tags",
    "body",
    "display_name",
    "points",
    "account_holder",
    "iban",
    "shipping_name",
    "shipping_address",
    "shipping_postcode",
    "shipping_city",
    "shipping_country",
)

PERSONAS = ("anonymous", "member")

#: The walk of every URL tries these; the pages that read values try them all.
WALK_VALUES = (
    "%00",
    "%C2%B2",
    "-1",
    "9223372036854775808",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "%22",
    "a%22b",
    "%FF",
)

#: What the pages below read from their query strings (and the redeem form).
READ_BY_PAGES = (
    "q",
    "campaign",
    "category",
    "status",
    "tag",
    "sort",
    "page",
    "period",
    "merged",
    "stay",
    "points",
)


def _query(value: str) -> str:
    return "&".join(f"{name}={value}" for name in PARAMETER_NAMES)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The URL permission tests' world, plus a money reward (its page reads the
    points typed) and an API token; rolled back at the module's end."""
    with django_db_blocker.unblock(), transaction.atomic():
        w: SimpleNamespace = _build_world()
        w.money_reward = Reward.objects.create(
            title="Cash back", kind=RewardKind.MONEY, cost=100
        )
        _token, w.api_key = APIToken.create_token(user=w.product, name="Hostile")
        yield w
        transaction.set_rollback(True)


def _urls(world) -> list[tuple[str, str, str]]:
    """(name, URL, method) of every pattern, with the world's objects in it."""
    urls = []
    for name, decision in DECISIONS.items():
        args = [_value(world, f) for f in decision.args]
        urls.append((name, reverse(name, args=args), decision.method))
    for name in ("rewards:detail", "rewards:redeem"):
        urls.append(
            (name, reverse(name, args=[world.money_reward.pk]), DECISIONS[name].method)
        )
    return urls


def _client(world, persona: str) -> Client:
    client = Client(raise_request_exception=False)
    if persona == "member":
        client.force_login(world.member)
    return client


def _check(failures: list[str], response, what: str) -> None:
    if response.status_code >= 500:
        failures.append(f"{what}: {response.status_code}")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("value", WALK_VALUES)
def test_no_url_fails_on_hostile_values(world, db, persona, value):
    client = _client(world, persona)
    query = _query(value)
    failures: list[str] = []
    for name, url, method in _urls(world):
        response = client.get(f"{url}?{query}")
        _check(failures, response, f"GET {name} {url}?…={value} as {persona}")
        if method == POST or response.status_code == 200:
            response = client.post(
                f"{url}?{query}",
                data=query,
                content_type="application/x-www-form-urlencoded",
            )
            _check(failures, response, f"POST {name} {url} …={value} as {persona}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", READ_BY_PAGES)
def test_each_parameter_alone_on_the_pages_that_read_it(world, db, name):
    """One parameter at a time, so a page that refuses the first bad value it
    reads (a 404 for an unknown campaign) still meets the others."""
    member = _client(world, "member")
    failures: list[str] = []
    for value, url in itertools.product(
        HOSTILE_VALUES,
        (
            reverse("ideas:list"),
            reverse("ideas:create"),
            reverse("ideas:detail", args=[world.idea.pk]),
            reverse("rewards:leaderboard"),
            reverse("rewards:wallet"),
            reverse("rewards:detail", args=[world.money_reward.pk]),
            reverse("members:profile", args=[world.alice.pk]),
            reverse("notifications:list"),
        ),
    ):
        response = member.get(f"{url}?{name}={value}")
        _check(failures, response, f"GET {url}?{name}={value}")
    for value in HOSTILE_VALUES:
        response = member.post(
            reverse("rewards:redeem", args=[world.money_reward.pk]),
            data=f"{name}={value}",
            content_type="application/x-www-form-urlencoded",
        )
        _check(failures, response, f"POST redeem {name}={value}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_the_api_answers_hostile_values_in_words(world, db, value):
    client = Client(
        raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {world.api_key}"
    )
    failures: list[str] = []
    for name in ("api-v1:ideas", "api-v1:idea_comments", "api-v1:campaigns"):
        args = [_value(world, f) for f in DECISIONS[name].args]
        url = reverse(name, args=args)
        for query in (_query(value), f"q={value}", f"campaign={value}"):
            response = client.get(f"{url}?{query}")
            _check(failures, response, f"GET {url}?{query}")
            assert response["Content-Type"].startswith("application/json")
    assert not failures, "\n".join(failures)


# The helpers themselves --------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("²", None),
        ("١٢", None),  # Arabic-Indic digits: int() reads them, ids never have them
        ("-1", None),
        ("0", None),
        ("9223372036854775807", 2**63 - 1),
        ("9223372036854775808", None),
        ("1e3", None),
        ("", None),
    ],
)
def test_int_param_reads_ascii_ids_in_range(raw, expected):
    assert int_param({"campaign": raw}, "campaign") == expected


def test_int_param_gives_the_default_and_honours_bounds():
    assert int_param({}, "page", default=1) == 1
    assert int_param({"page": "x"}, "page", default=1) == 1
    assert int_param({"n": "-3"}, "n", minimum=-5, maximum=5) == -3
    assert int_param({"n": "6"}, "n", minimum=-5, maximum=5) is None


def test_int_list_param_keeps_the_numbers_only():
    params = QueryDict("remove_images=3&remove_images=%C2%B2&remove_images=5")
    assert int_list_param(params, "remove_images") == [3, 5]


def test_choice_param_refuses_what_is_not_a_choice():
    assert choice_param({"sort": "top"}, "sort", ("hot", "top"), default="hot") == "top"
    assert choice_param({"sort": "top\x00"}, "sort", ("hot", "top"), default="hot") == (
        "hot"
    )


def test_text_param_drops_nul_and_invalid_characters_and_caps_length():
    assert text_param({"q": " a\x00b\ufffe\ud800 "}, "q") == "ab"
    assert text_param({"q": "é" * 300}, "q", max_length=80) == "é" * 80
    assert text_param({"q": "line\nnext"}, "q") == "line\nnext"


def test_search_terms_drop_the_quotes_search_backends_parse():
    assert search_terms('a"b') == "a b"
    assert search_terms('"') == ""
    assert search_terms("l'été") == "l'été"


@pytest.mark.django_db
@pytest.mark.parametrize("q", ['"shoes', 'shoes"', '"shoes"', 'dry "overnight'])
def test_the_idea_search_finds_ideas_despite_stray_quotes(client, q):
    idea = IdeaFactory(title="Shoes that dry overnight")

    response = client.get("/ideas/", {"q": q})

    assert response.status_code == 200
    assert idea.title in response.content.decode()


@pytest.mark.django_db
def test_a_search_of_quotes_alone_finds_nothing(client):
    idea = IdeaFactory(title="Shoes that dry overnight")

    response = client.get("/ideas/", {"q": '""'})

    assert response.status_code == 200
    assert idea.title not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/ideas/9223372036854775808/",
        "/ideas/99999999999999999999999999/comments/",
        "/members/9223372036854775808/",
        "/rewards/9223372036854775808/",
    ],
)
def test_ids_past_64_bits_in_a_path_are_not_found(client, path):
    client.raise_request_exception = False

    assert client.get(path).status_code == 404
