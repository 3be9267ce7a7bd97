"""Who may use which URL: every URL pattern of the project answers as decided."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.site.url_permissions.decisions import (
    ADMITTED,
    DECISIONS,
    PRIVATE_DECISIONS,
    PRIVATE_LISTINGS,
)
from tests.site.url_permissions.helpers import (
    GET,
    PERSONAS,
    POST,
    _assert_answer,
    _login,
    _value,
)

#: WhiteNoise warns on every request when collectstatic has not run; not our topic.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


# Which URL patterns are the project's own ----------------------------------------
OWN_MODULES = ("cocreate.", "ideas.", "rewards.")


#: Namespaces of our admin viewsets, whose generic views live in Wagtail's modules.
OWN_ADMIN_NAMESPACES = {
    "social-login",
    "ideas_admin",
    "categories_admin",
    "tags_admin",
    "moderation_reasons",
    "brand_team",
    "api_tokens",
    "api-v1",
    "product",
    "product_shortlists",
    "product_criteria",
    "webhooks",
}


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace
                    else pattern.namespace
                )
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            callback = pattern.callback
            view_class = getattr(callback, "view_class", None)
            module = (view_class or callback).__module__
            route = prefix + str(pattern.pattern)
            name = pattern.name or route
            if namespace:
                name = f"{namespace}:{name}"
            yield name, route, module, namespace or ""


def _is_own(module: str, namespace: str) -> bool:
    last = namespace.rpartition(":")[2]
    return (
        module.startswith(OWN_MODULES)
        or last in OWN_ADMIN_NAMESPACES
        or last.startswith("rewards_")
    )


def project_urls() -> dict[str, str]:
    """The project's own URL patterns: namespaced name -> route."""
    return {
        name: route
        for name, route, module, namespace in _walk(get_resolver().url_patterns)
        if _is_own(module, namespace)
    }


# Tests -----------------------------------------------------------------------------
def test_every_project_url_has_a_decision():
    urls = project_urls()
    undecided = sorted(set(urls) - set(DECISIONS))
    gone = sorted(set(DECISIONS) - set(urls))
    assert not undecided, f"decide who may use these URLs: {undecided}"
    assert not gone, f"these decisions name URLs that no longer exist: {gone}"


def test_every_decision_answers_every_persona_with_known_objects(world, db):
    for name, decision in DECISIONS.items():
        assert set(decision.answers) == set(PERSONAS), name
        assert set(decision.bugs) <= set(PERSONAS), name
        assert decision.method in (GET, POST), name
        targets = [a.to[1:] for a in decision.answers.values()]
        for attribute in [*decision.args, *(t for to in targets for t in to)]:
            assert hasattr(world, attribute), (name, attribute)


def _cases():
    for name, decision in DECISIONS.items():
        for persona in PERSONAS:
            marks = []
            if persona in decision.bugs:
                marks.append(
                    pytest.mark.xfail(strict=True, reason=decision.bugs[persona])
                )
            yield pytest.param(name, persona, id=f"{name}-{persona}", marks=marks)


@pytest.mark.parametrize(("url_name", "persona"), list(_cases()))
def test_url_answers_persona_as_decided(client, world, db, url_name, persona):
    decision = DECISIONS[url_name]
    expected = decision.answers[persona]
    url = reverse(url_name, args=[_value(world, f) for f in decision.args])
    _login(client, world, persona)

    response = getattr(client, decision.method)(url, decision.data or {})

    _assert_answer(response, expected, world, f"{decision.method} {url} as {persona}")


# The private campaign's idea ---------------------------------------------------------
def test_every_private_decision_names_a_url_of_the_main_table(world, db):
    for name, decision in PRIVATE_DECISIONS.items():
        assert name in DECISIONS, name
        assert set(decision.answers) == set(PERSONAS), name
        for attribute in decision.args:
            assert hasattr(world, attribute), (name, attribute)


@pytest.mark.parametrize(
    ("url_name", "persona"),
    [
        pytest.param(name, persona, id=f"private-{name}-{persona}")
        for name in PRIVATE_DECISIONS
        for persona in PERSONAS
    ],
)
def test_the_private_idea_answers_persona_as_decided(
    client, world, db, url_name, persona
):
    decision = PRIVATE_DECISIONS[url_name]
    expected = decision.answers[persona]
    url = reverse(url_name, args=[_value(world, f) for f in decision.args])
    _login(client, world, persona)

    response = getattr(client, decision.method)(url, decision.data or {})

    _assert_answer(response, expected, world, f"{decision.method} {url} as {persona}")


@pytest.mark.parametrize(
    ("listing", "persona"),
    [
        pytest.param(listing, persona, id=f"{listing}-{persona}")
        for listing in PRIVATE_LISTINGS
        for persona in PERSONAS
        if persona != "anonymous" or PRIVATE_LISTINGS[listing][0] != "ideas:create"
    ],
)
def test_listings_show_the_private_idea_to_the_admitted_only(
    client, world, db, listing, persona
):
    url_name, args, query = PRIVATE_LISTINGS[listing]
    url = reverse(url_name, args=[_value(world, f) for f in args])
    params = {
        key: _value(world, value) if hasattr(world, value) else value
        for key, value in query.items()
    }
    _login(client, world, persona)

    page = client.get(url, params).content.decode()

    title = (
        world.private_campaign.title
        if url_name == "ideas:create"
        else world.private_idea.title
    )
    assert (title in page) is (persona in ADMITTED), f"{listing} as {persona}"
