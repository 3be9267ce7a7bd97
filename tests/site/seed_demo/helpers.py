"""Helpers the seed_demo tests share: the demo's accounts, seeding and counts."""

from __future__ import annotations

import io

from allauth.account.models import EmailAddress
from django.core.management import call_command
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from cocreate.demo.panel import PANEL_CAMPAIGN
from cocreate.members.models import User
from ideas.models import (
    Category,
    Comment,
    Follow,
    Idea,
    IdeaImage,
    IdeaRevision,
    Support,
    TaggedIdea,
)
from rewards.models import (
    Entry,
    MemberBadge,
    Redemption,
    Reward,
    VoucherCode,
    Wallet,
)

DEMO_PASSWORD = "cocreate-demo"


COUNTED = (
    User,
    EmailAddress,
    Page,
    Revision,
    Category,
    Tag,
    Idea,
    IdeaImage,
    IdeaRevision,
    TaggedIdea,
    Support,
    Follow,
    Comment,
    Wallet,
    Entry,
    MemberBadge,
    Reward,
    VoucherCode,
    Redemption,
)


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--force", *args, stdout=out)
    return out.getvalue()


def community_ideas():
    """The ideas of the community's history, without the test panel's few."""
    return Idea.objects.exclude(campaign__slug=PANEL_CAMPAIGN["slug"])


def counts() -> dict[str, int]:
    counted = {model.__name__: model.objects.count() for model in COUNTED}
    counted["Image"] = get_image_model().objects.count()
    return counted
