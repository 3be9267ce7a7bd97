"""Schemathesis against the API's own OpenAPI schema, in process (WSGI): for every
operation, generated requests with a write token of the product team never get a
server error nor a response that breaks the schema. Half the generated ids are
swapped for ids of real rows, so the happy paths are walked too."""

from __future__ import annotations

import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from wagtail.models import APIToken

from cocreate.wsgi import application
from ideas.integrations.api import api
from ideas.models import ApiTokenScope, Criterion, Shortlist, TokenScope
from ideas.product import shortlists
from tests.factories import CommentFactory, IdeaFactory, UserFactory

#: Examples per operation: enough to find careless handling, quick enough to keep
#: the file well under a minute.
EXAMPLES = 25

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
OPERATIONS = [
    (path, method.upper())
    for path, methods in api.get_openapi_schema()["paths"].items()
    for method in methods
]


@pytest.fixture
def in_process():
    """Like Django's test client: a request's start and end must not close the
    database connection that holds the test's transaction."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def world(db, in_process, settings):
    settings.COCREATE_RATE_LIMITS_ENABLED = False
    product = UserFactory(display_name="Petra")
    product.groups.add(Group.objects.get(name="Product team"))
    token, plaintext = APIToken.create_token(user=product, name="schemathesis")
    ApiTokenScope.objects.create(token=token, scope=TokenScope.WRITE)
    ideas = IdeaFactory.create_batch(3)
    ideas[0].tags.add("dry")
    for idea in ideas:
        CommentFactory(idea=idea)
    shortlist = Shortlist.objects.create(name="Running shoes 2027")
    shortlists.add_idea(actor=product, shortlist=shortlist, idea=ideas[0], note="Top")
    criterion = Criterion.objects.create(name="Impact", weight=2, scale=5)
    return {
        "headers": {"Authorization": f"Bearer {plaintext}"},
        "ids": {
            "idea_id": [i.pk for i in ideas],
            "shortlist_id": [shortlist.pk],
            "owner_id": [product.pk],
            "criterion_id": [criterion.pk],
        },
    }


def _use_real_ids(case, ids: dict, draw) -> None:
    for name in list(case.path_parameters or {}):
        if name in ids:
            case.path_parameters[name] = draw(st.sampled_from(ids[name]))
    bodies = case.body if isinstance(case.body, list) else [case.body]
    for body in bodies:
        if isinstance(body, dict):
            for name in ("idea_id", "owner_id", "criterion_id"):
                if name in body:
                    body[name] = draw(st.sampled_from(ids[name]))


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_the_api_keeps_to_its_schema(world, path, method):
    operation = schema[path][method]

    @given(case=operation.as_strategy(), data=st.data())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    def run(case, data):
        if data.draw(st.booleans(), label="real ids"):
            _use_real_ids(case, world["ids"], data.draw)
        response = case.call(headers=world["headers"])
        case.validate_response(
            response, checks=[not_a_server_error, response_schema_conformance]
        )

    run()
