"""Write endpoints: each calls one service, which checks the token owner's
permissions and raises a domain error in words; nothing here writes a model."""

from __future__ import annotations

from typing import Annotated

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from ideas import permissions, workflow
from ideas.integrations.api import schemas, serialize
from ideas.integrations.api.auth import Forbidden
from ideas.models import ShortlistEntry
from ideas.product import rnd, scoring, shortlists

router = Router()

PathId = Annotated[int, Path(ge=1, le=schemas.MAX_ID)]

WRITE_ERRORS = {
    400: schemas.Error,
    401: schemas.Error,
    403: schemas.Error,
    404: schemas.Error,
    409: schemas.Error,
    422: schemas.ValidationErrorOut,
    429: schemas.Error,
}


def _detail(request, idea_id: int) -> dict:
    return serialize.idea_detail_out(
        serialize.public_idea(idea_id, user=request.user, detail=True), request.user
    )


@router.post(
    "/ideas/{idea_id}/status",
    url_name="idea_status",
    response={200: schemas.IdeaDetailOut, **WRITE_ERRORS},
    summary="Change an idea's status, with a public note",
    tags=["ideas"],
)
def change_status(request, idea_id: PathId, payload: schemas.StatusIn):
    idea = serialize.public_idea(idea_id, user=request.user)
    workflow.change_status(
        actor=request.user, idea=idea, new_status=payload.status, note=payload.note
    )
    return _detail(request, idea_id)


@router.post(
    "/ideas/{idea_id}/promotion",
    url_name="idea_promotion",
    response={200: schemas.IdeaDetailOut, **WRITE_ERRORS},
    summary="Promote an idea into R&D",
    tags=["ideas"],
)
def promote(request, idea_id: PathId, payload: schemas.PromotionIn):
    idea = serialize.public_idea(idea_id, user=request.user)
    owner = get_user_model().objects.filter(pk=payload.owner_id).first()
    rnd.promote(
        actor=request.user,
        idea=idea,
        ticket_key=payload.ticket_key,
        ticket_url=payload.ticket_url,
        owner=owner,
        target_date=payload.target_date,
        note=payload.note,
    )
    return _detail(request, idea_id)


@router.post(
    "/ideas/{idea_id}/shipping",
    url_name="idea_shipping",
    response={200: schemas.IdeaDetailOut, **WRITE_ERRORS},
    summary="Mark an idea in R&D shipped",
    tags=["ideas"],
)
def ship(request, idea_id: PathId, payload: schemas.ShippingIn):
    idea = serialize.public_idea(idea_id, user=request.user)
    rnd.ship(
        actor=request.user,
        idea=idea,
        product_url=payload.product_url,
        note=payload.note,
    )
    return _detail(request, idea_id)


@router.put(
    "/ideas/{idea_id}/scores",
    url_name="idea_scores",
    response={200: schemas.ScoresOut, **WRITE_ERRORS},
    summary="Set your scores of an idea, per criterion",
    tags=["ideas"],
)
def score(request, idea_id: PathId, payload: list[schemas.ScoreIn]):
    idea = serialize.public_idea(idea_id, user=request.user)
    values = {item.criterion_id: item.value for item in payload}
    idea_score, scorers = scoring.score_idea(
        scorer=request.user, idea=idea, values=values
    )
    return {"score": idea_score, "scorers_count": scorers}


def _shortlist_for_change(request, shortlist_id: int):
    if not permissions.can_manage_shortlists(request.user):
        raise Forbidden(_("Only the product team manages shortlists."))
    return serialize.shortlist_or_404(shortlist_id)


@router.post(
    "/shortlists/{shortlist_id}/ideas",
    url_name="shortlist_ideas",
    response={201: schemas.EntryOut, **WRITE_ERRORS},
    summary="Add an idea to a shortlist",
    tags=["shortlists"],
)
def add_to_shortlist(request, shortlist_id: PathId, payload: schemas.EntryIn):
    shortlist = _shortlist_for_change(request, shortlist_id)
    idea = serialize.public_idea(payload.idea_id, user=request.user)
    shortlists.add_idea(
        actor=request.user,
        shortlist=shortlist,
        idea=idea,
        note=payload.note,
        mark_shortlisted=payload.mark_shortlisted,
        status_note=payload.status_note,
    )
    return Status(
        201, serialize.entry_out(serialize.entry_with_idea(shortlist.pk, idea.pk))
    )


@router.patch(
    "/shortlists/{shortlist_id}/ideas/{idea_id}",
    url_name="shortlist_idea",
    response={200: schemas.EntryOut, **WRITE_ERRORS},
    summary="Change the note of an idea on a shortlist",
    tags=["shortlists"],
)
def set_shortlist_note(
    request, shortlist_id: PathId, idea_id: PathId, payload: schemas.NoteIn
):
    shortlist = _shortlist_for_change(request, shortlist_id)
    idea = serialize.public_idea(idea_id, user=request.user)
    if not ShortlistEntry.objects.filter(shortlist=shortlist, idea=idea).exists():
        raise serialize.NotFound(_("This idea is not on this shortlist."))
    shortlists.set_note(
        actor=request.user, shortlist=shortlist, idea=idea, note=payload.note
    )
    return serialize.entry_out(serialize.entry_with_idea(shortlist.pk, idea.pk))


@router.delete(
    "/shortlists/{shortlist_id}/ideas/{idea_id}",
    url_name="shortlist_idea",
    response={204: None, **WRITE_ERRORS},
    summary="Take an idea off a shortlist",
    tags=["shortlists"],
)
def remove_from_shortlist(request, shortlist_id: PathId, idea_id: PathId):
    shortlist = _shortlist_for_change(request, shortlist_id)
    idea = serialize.public_idea(idea_id, user=request.user)
    if not ShortlistEntry.objects.filter(shortlist=shortlist, idea=idea).exists():
        raise serialize.NotFound(_("This idea is not on this shortlist."))
    shortlists.remove_idea(actor=request.user, shortlist=shortlist, idea=idea)
    return Status(204, None)
