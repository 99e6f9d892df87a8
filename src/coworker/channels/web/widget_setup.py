"""`GET /api/widget`: what the chat widget needs from the server before it shows anything.

The widget knows no tool by name and copies no limit: the longest message the server takes,
the person's timezone (every time it shows is in it, 24-hour, like the replies), and how
each tool's activity reads ("Looked up" 3 "leads"), declared once in the tool profiles
(`x-coworker.activity` in the contract), come from here.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from coworker.channels.web.routes import User, runtime_of
from coworker.tools.catalog import Tool
from coworker.tools.derived.figures import KIND_WORDS

router = APIRouter(prefix="/api", tags=["chat"])


class ToolWords(BaseModel):
    label: str = Field(description="What a person calls the tool: “Send an email”.")
    verb: str | None = Field(description="How its activity reads, counted: “Looked up”.")
    one: str | None = Field(description="One of what it handles: “lead”.")
    many: str | None = Field(description="Several: “leads”.")


class WidgetSetup(BaseModel):
    max_message_chars: int = Field(description="The longest message /api/chat accepts.")
    timezone: str = Field(description="The person's IANA timezone; times are shown in it.")
    tools: dict[str, ToolWords] = Field(description="Each tool's words, by tool name.")
    activity_kinds: dict[str, str] = Field(
        description="What an activity report's kinds read as on a chart: “Tasks done”."
    )


def _words(tool: Tool) -> ToolWords:
    activity = tool.profile.activity
    return ToolWords(
        label=tool.label,
        verb=activity.verb if activity else None,
        one=activity.one if activity else None,
        many=activity.many if activity else None,
    )


@router.get(
    "/widget",
    summary="What the chat widget shows things with: limits, timezone, tools' words",
    response_model=WidgetSetup,
)
async def widget_setup(request: Request, user: User) -> WidgetSetup:
    coworker = runtime_of(request).coworker
    return WidgetSetup(
        max_message_chars=coworker.max_message_chars,
        timezone=user.timezone,
        tools={tool.name: _words(tool) for tool in coworker.catalog},
        activity_kinds=KIND_WORDS,
    )
