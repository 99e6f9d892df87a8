"""`POST /api/feedback`: thumbs up or down on a reply, as the widget sends it.

The reply is the one the stream's `finish` names (`messageMetadata.replyId`) or the JSON
answer's `reply_id`. Everything else is the service's (`Coworker.record_feedback`): the
owner check (another person's conversation is a 404, as if it did not exist), the reply
check, the audit event and the metric.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from coworker.agent.feedback import FeedbackInput
from coworker.channels.web.routes import User, runtime_of

router = APIRouter(prefix="/api", tags=["feedback"])


class FeedbackRequest(BaseModel):
    conversation_id: str = Field(min_length=1, max_length=255, description="The conversation.")
    reply_id: str = Field(
        min_length=1,
        max_length=32,
        description="The reply: `messageMetadata.replyId` of the stream's `finish`, or the "
        "JSON answer's `reply_id`.",
    )
    rating: Literal["up", "down"] = Field(description="Thumbs up or down.")


class FeedbackOut(BaseModel):
    """The stored press, with the turn it rates as it was kept for review."""

    id: str
    conversation_id: str
    reply_id: str
    rating: str
    channel: str
    model: str = Field(description="The model that wrote the reply.")
    tools: list[str] = Field(description="The tools the turn called, in order.")
    reply: str = Field(description="The reply's text.")
    created_at: str = Field(description="ISO 8601: the first press.")
    updated_at: str = Field(description="ISO 8601: the latest press (a second one replaces).")


@router.post(
    "/feedback",
    summary="Rate a reply, thumbs up or down (a second press replaces the first)",
    response_model=FeedbackOut,
)
async def feedback(body: FeedbackRequest, request: Request, user: User) -> FeedbackOut:
    entry = FeedbackInput(body.conversation_id, body.reply_id, body.rating, channel="web")
    stored = await runtime_of(request).coworker.record_feedback(user, entry)
    shown = stored.as_dict()
    return FeedbackOut(**{name: shown[name] for name in FeedbackOut.model_fields})
