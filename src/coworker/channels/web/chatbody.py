"""The two bodies /api/chat accepts, side by side: `{message, conversation_id}` (the
widget, scripts, curl) and the Vercel AI SDK's own request (`uimessages.py`).

A body with `messages` is the SDK's; any other is the plain form. Choosing by that key
(a callable discriminator) means a bad body is checked against the form it meant, so its
422 names the field it got wrong, not every field of both forms.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Discriminator, Field, Tag

from coworker.channels.web.uimessages import UIChatRequest


class ChatRequest(BaseModel):
    message: str = Field(description="What the person says.")
    conversation_id: str | None = Field(None, description="Continue this conversation.")


AI_SDK = "ai-sdk"
# Tagged "body": the error handler leaves that out of a field's location, so the plain
# form's errors read as they always have ("message: Field required").
PLAIN = "body"


def _form(body: Any) -> str:
    return AI_SDK if isinstance(body, dict) and "messages" in body else PLAIN


ChatBody = Annotated[
    Annotated[ChatRequest, Tag(PLAIN)] | Annotated[UIChatRequest, Tag(AI_SDK)],
    Discriminator(_form),
]
