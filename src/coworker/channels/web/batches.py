"""`POST /api/actions/batch/{batch_id}/decide`: one decision for a batch card.

Only translation: the body becomes `Coworker.decide_batch`, whose checks (every id a
pending action of that batch and of the caller, or 404 / 409 before anything is decided)
and events are the service's; the answer has the shape of approve's, JSON or a stream.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from coworker.channels.web.answer import answer
from coworker.channels.web.responses import STREAMED
from coworker.channels.web.routes import User, runtime_of

router = APIRouter(prefix="/api", tags=["chat"])


class BatchDecideRequest(BaseModel):
    approve: list[str] = Field(
        default_factory=list, max_length=1_000, description="Actions to approve, as shown."
    )
    reject: list[str] = Field(
        default_factory=list,
        max_length=1_000,
        description='Actions left out: rejected with the reason "Left out of the batch".',
    )
    edits: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="Per approved action, fields to change first: subject, body_text (or "
        "body), message.",
    )


@router.post(
    "/actions/batch/{batch_id}/decide",
    summary="Decide a batch card: approve and leave out its items at once; the reply resumes",
    responses=STREAMED,
)
async def decide_batch(
    batch_id: str, body: BatchDecideRequest, request: Request, user: User
) -> Response:
    coworker = runtime_of(request).coworker
    events = coworker.decide_batch(user, batch_id, body.approve, body.reject, body.edits)
    return await answer(request, events, None)
