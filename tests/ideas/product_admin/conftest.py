"""The shortlist the product back-office tests share."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ideas.models import (
    IdeaStatus,
    Shortlist,
)
from tests.factories import IdeaFactory, SupportFactory
from tests.ideas.product_admin.helpers import (
    put_on,
)


@pytest.fixture
def shoes(db):
    return Shortlist.objects.create(name="Running shoes 2027", description="For Q3")


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
