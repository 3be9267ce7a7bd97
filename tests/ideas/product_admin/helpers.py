"""Helpers the product back-office tests share."""

from __future__ import annotations

from django.urls import reverse

from ideas.models import (
    Criterion,
)
from ideas.product import scoring, shortlists


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


# Criteria ------------------------------------------------------------------------
def _score(product, idea, **by_name):
    criteria = {c.name: c for c in Criterion.objects.all()}
    scoring.score_idea(
        scorer=product,
        idea=idea,
        values={criteria[name].pk: value for name, value in by_name.items()},
    )
