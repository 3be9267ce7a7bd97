"""URLs on what a persona owns answer as the owner's state allows."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from tests.site.url_permissions.helpers import (
    GET,
    OK,
    POST,
    TO_IDEA,
    Answer,
    _assert_answer,
    _login,
    _value,
    goes,
)

#: WhiteNoise warns on every request when collectstatic has not run; not our topic.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@dataclasses.dataclass(frozen=True)
class OwnCase:
    """A URL on something the persona owns, where the main table's objects (the
    member's) cannot tell the answer."""

    url_name: str
    persona: str
    args: tuple[str, ...]
    expected: Answer
    method: str = GET
    data: dict | None = None
    bug: str = ""


OWN_CASES = {
    "member edits own idea": OwnCase("ideas:edit", "member", ("member_idea",), OK),
    "suspended edits own idea": OwnCase(
        "ideas:edit",
        "suspended",
        ("suspended_idea",),
        goes("ideas:detail", "suspended_idea"),
    ),
    "suspended edits own comment": OwnCase(
        "ideas:comment_edit",
        "suspended",
        ("idea", "suspended_comment"),
        TO_IDEA,
    ),
    # Taking one's own words down stays possible during a suspension.
    "suspended deletes own comment": OwnCase(
        "ideas:comment_delete",
        "suspended",
        ("idea", "suspended_comment"),
        TO_IDEA,
        method=POST,
    ),
    # The page comes back saying why, as for any refused adjustment.
    "moderator adjusts own points": OwnCase(
        "rewards_wallets:adjust",
        "moderator",
        ("moderator_wallet",),
        OK,
        method=POST,
        data={"amount": 500, "memo": "Bonus"},
    ),
}


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            case,
            id=name,
            marks=[pytest.mark.xfail(strict=True, reason=case.bug)] if case.bug else [],
        )
        for name, case in OWN_CASES.items()
    ],
)
def test_owners_get_what_their_state_allows(client, world, db, case):
    url = reverse(case.url_name, args=[_value(world, f) for f in case.args])
    _login(client, world, case.persona)

    response = getattr(client, case.method)(url, case.data or {})

    _assert_answer(response, case.expected, world, f"{case.method} {url}")
