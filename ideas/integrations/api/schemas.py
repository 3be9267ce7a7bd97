"""What the API accepts and returns; these classes are its OpenAPI schema."""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

#: Database ids (64-bit); larger numbers cannot name anything.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def text(max_length: int) -> type[str]:
    """Free text: no NUL character (PostgreSQL refuses it), bounded length."""
    return Annotated[
        str, StringConstraints(max_length=max_length, pattern=r"^[^\x00]*$")
    ]


class Error(Schema):
    detail: str = Field(description="What went wrong, as a sentence.")


class ValidationErrorOut(Error):
    errors: list[dict] = Field(
        default_factory=list, description="Each invalid field, as pydantic reports it."
    )


class StatusOut(Schema):
    value: str
    label: str
    manual: bool = Field(
        description="Whether POST /ideas/{id}/status may move an idea to it."
    )


class CampaignOut(Schema):
    id: int
    title: str
    summary: str
    url: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    is_open: bool


class CampaignRef(Schema):
    id: int
    title: str


class CategoryRef(Schema):
    slug: str
    name: str


class MemberRef(Schema):
    id: int
    name: str


class IdeaOut(Schema):
    id: int
    title: str
    url: str
    language: str = Field(description="The language the idea is written in.")
    status: str
    status_label: str
    author: MemberRef
    campaign: CampaignRef | None
    category: CategoryRef | None
    tags: list[str]
    created_at: datetime.datetime
    supports_count: int
    comments_count: int
    followers_count: int
    score: float | None = Field(description="The product team's score, 0 to 100.")
    scorers_count: int


class PromotionOut(Schema):
    ticket_key: str
    ticket_url: str
    owner: MemberRef
    target_date: datetime.date | None
    promoted_at: datetime.datetime
    product_url: str
    shipped_at: datetime.datetime | None


class ShortlistRef(Schema):
    id: int
    name: str


class CriterionMean(Schema):
    criterion_id: int
    name: str
    mean: float


class IdeaDetailOut(IdeaOut):
    description: str = Field(description="As written, in Markdown.")
    description_html: str = Field(description="Rendered and sanitised.")
    status_changed_at: datetime.datetime | None
    supports_last_7_days: int
    promotion: PromotionOut | None
    shortlists: list[ShortlistRef] = Field(
        description="Shortlists it is on (empty unless the token's owner may see "
        "shortlists)."
    )
    criteria: list[CriterionMean] = Field(
        description="Mean score per criterion in use, over its scorers."
    )


class IdeaPage(Schema):
    items: list[IdeaOut]
    next_cursor: str | None = Field(
        description="Pass it as ?cursor= for the next page; null on the last page."
    )


class CommentOut(Schema):
    id: int
    parent_id: int | None
    author: MemberRef
    body: str
    body_html: str
    is_official: bool
    official_role: str
    created_at: datetime.datetime
    edited_at: datetime.datetime | None


class CommentPage(Schema):
    items: list[CommentOut]
    next_cursor: str | None


class ShortlistOut(Schema):
    id: int
    name: str
    description: str
    ideas_count: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class EntryOut(Schema):
    position: int
    note: str
    added_at: datetime.datetime
    idea: IdeaOut


class ShortlistDetailOut(ShortlistOut):
    entries: list[EntryOut]


# Writes ---------------------------------------------------------------------------


class StatusIn(Schema):
    status: text(20) = Field(description="One of the statuses marked manual.")
    note: text(2_000) = Field(description="Public note shown on the idea's timeline.")


class PromotionIn(Schema):
    ticket_key: text(60)
    ticket_url: text(500) = ""
    owner_id: Id = Field(description="The member who owns the idea in R&D.")
    target_date: datetime.date | None = None
    note: text(2_000)


class ShippingIn(Schema):
    product_url: text(500)
    note: text(2_000)


class ScoreIn(Schema):
    criterion_id: Id
    value: Annotated[int, Field(ge=0, le=32_767)] | None = Field(
        description="From 1 to the criterion's scale; null clears the score."
    )


class ScoresOut(Schema):
    score: float | None
    scorers_count: int


class EntryIn(Schema):
    idea_id: Id
    note: text(2_000) = ""
    mark_shortlisted: bool = Field(
        False, description="Also move the idea to shortlisted, with status_note."
    )
    status_note: text(2_000) = ""


class NoteIn(Schema):
    note: text(2_000)
