"""The web API: thin routes that translate HTTP into service calls and events into replies."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field, field_validator

from coworker.agent import history, listing, statuses
from coworker.channels.web import sdkchat
from coworker.channels.web.answer import answer
from coworker.channels.web.chatbody import ChatBody, ChatRequest
from coworker.channels.web.identity import (
    MCP_AUDIENCE,
    InvalidToken,
    TokenClaims,
    bearer,
    read_token,
)
from coworker.channels.web.limits import RateLimit
from coworker.channels.web.responses import (
    STREAMED,
    ActionsPage,
    ConversationPage,
    ConversationsPage,
    KeyConnected,
    MeOut,
    SummarySettingsOut,
)
from coworker.errors import MessageTooLong
from coworker.llm.base import Message, is_text, is_tool_result, is_tool_use
from coworker.llm.decisions import read_late_decision
from coworker.runtime import Runtime
from coworker.store import paging
from coworker.store.records import UserRecord
from coworker.summary import preferences

_V = TypeVar("_V")

router = APIRouter(prefix="/api", tags=["chat"])


class ApproveRequest(BaseModel):
    edits: dict[str, str] | None = Field(
        None, description="Fields to change first: subject, body_text (or body), message."
    )


class RejectRequest(BaseModel):
    reason: str | None = Field(None, max_length=2000, description="Why; the coworker reads it.")


class SettingsRequest(BaseModel):
    """Summary settings; only the fields sent change."""

    enabled: bool | None = Field(None, description="Send a daily summary at all.")
    time: str | None = Field(None, description="Local time, 24-hour HH:MM (default 08:30).")
    weekdays: list[str] | None = Field(None, description="Days it comes: subset of mon..sun.")
    timezone: str | None = Field(None, description="IANA timezone, e.g. America/New_York.")
    channel: str | None = Field(None, description="web, slack or both.")

    @field_validator("time")
    @classmethod
    def _time(cls, value: str | None) -> str | None:
        return None if value is None else _checked(preferences.check_time, value)

    @field_validator("weekdays")
    @classmethod
    def _weekdays(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _checked(preferences.check_weekdays, value).split(",")

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        return None if value is None else _checked(preferences.check_timezone, value)

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str | None) -> str | None:
        return None if value is None else _checked(preferences.check_channel, value)


def _checked(check: Callable[[_V], str], value: _V) -> str:
    """Run a settings check, as the ValueError pydantic turns into a 422."""
    try:
        return check(value)
    except preferences.InvalidSetting as error:
        raise ValueError(error.message) from error


class KeyRequest(BaseModel):
    key: str = Field(min_length=1, max_length=500, description="A Dialsheet API key (ds_...).")


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


READ_METHODS = frozenset({"GET", "HEAD"})


def check_audience(claims: TokenClaims, method: str) -> None:
    """A token narrowed to /mcp (`aud: mcp`) only reads here: approving, rejecting, chatting
    and changing settings take the person's own web token, so a client's model holding
    its MCP token can never approve what it asked for."""
    if claims.audience == MCP_AUDIENCE and method.upper() not in READ_METHODS:
        raise HTTPException(
            403,
            detail="an MCP token (aud: mcp) may only read here; approving, rejecting, chatting "
            "and changing settings take the person's own web token (they decide in the web "
            "chat, Slack or their terminal)",
        )


async def current_user(request: Request) -> UserRecord:
    runtime = runtime_of(request)
    secret = runtime.settings.web_secret
    if secret is None:
        return await runtime.local_user()
    token = bearer(request.headers.get("authorization"))
    if token is None:
        raise InvalidToken("this API needs Authorization: Bearer <token>")
    claims = read_token(secret.get_secret_value(), token)
    check_audience(claims, request.method)
    return await runtime.web_user(claims.subject)


User = Annotated[UserRecord, Depends(current_user)]


@router.post(
    "/chat",
    summary="Send a message, or an AI SDK chat request; the reply streams (SSE) or is JSON",
    responses=STREAMED,
)
async def chat(body: ChatBody, request: Request, user: User) -> Response:
    """`{message, conversation_id}`, or the AI SDK's own request (channels/web/chatbody.py),
    which streams unless it asks for JSON and may carry decisions on cards instead."""
    runtime = runtime_of(request)
    text = body.message if isinstance(body, ChatRequest) else body.text()
    if text is not None:
        limit = runtime.settings.max_message_chars
        if len(text) > limit:
            raise MessageTooLong(len(text), limit)
        limiter: RateLimit = request.app.state.rate_limiter
        await limiter.check(user.id)
    coworker = runtime.coworker
    if not isinstance(body, ChatRequest):
        run = await sdkchat.start(coworker, user, body)
        return await answer(
            request,
            run.events,
            run.conversation_id,
            message_id=run.message_id,
            stream_by_default=True,
        )
    conversation_id = body.conversation_id or await coworker.start_conversation(user, channel="web")
    events = coworker.chat(user, body.message, conversation_id=conversation_id)
    return await answer(request, events, conversation_id)


# Every list pages (store/paging.py): at most `limit` items, and `next_cursor` to pass back
# for the next page (null on the last one).
Limit = Annotated[
    int,
    Query(ge=1, le=paging.MAX_LIMIT, description=f"Items per page (at most {paging.MAX_LIMIT})."),
]
Cursor = Annotated[
    str | None,
    Query(max_length=512, description="The `next_cursor` of the previous page, unchanged."),
]


@router.get(
    "/conversations",
    summary="Your conversations, most recent first, a page at a time",
    response_model=ConversationsPage,
)
async def conversations(
    request: Request, user: User, limit: Limit = paging.DEFAULT_LIMIT, cursor: Cursor = None
) -> dict[str, Any]:
    page = await runtime_of(request).coworker.page_conversations(user, limit=limit, cursor=cursor)
    records = page.items
    return {
        "conversations": [
            {
                "id": c.id,
                "title": c.title,
                "channel": c.channel,
                "created_at": c.created_at.isoformat(),
                "updated_at": c.updated_at.isoformat(),
            }
            for c in records
        ],
        "next_cursor": page.next_cursor,
    }


def display_messages(transcript: list[Message]) -> list[dict[str, Any]]:
    """The transcript as a person reads it: tool results folded into their calls."""
    shown: list[dict[str, Any]] = []
    calls: dict[str, dict[str, Any]] = {}
    for message in transcript:
        parts: list[dict[str, Any]] = []
        for block in message["content"]:
            if is_text(block) and block.get("text"):
                if read_late_decision(block["text"]) is None:  # a note is for the model
                    parts.append({"type": "text", "text": block["text"]})
            elif is_tool_use(block):
                call = {
                    "type": "tool",
                    "toolCallId": block["id"],
                    "toolName": block["name"],
                    "input": block.get("input", {}),
                }
                calls[block["id"]] = call
                parts.append(call)
            elif is_tool_result(block) and block.get("tool_use_id") in calls:
                content = block.get("content")
                try:
                    output = json.loads(content) if isinstance(content, str) else content
                except ValueError:
                    output = content
                calls[block["tool_use_id"]]["output"] = output
                calls[block["tool_use_id"]]["isError"] = bool(block.get("is_error"))
        if parts:
            shown.append({"role": message["role"], "parts": parts})
    return shown


Before = Annotated[
    int | None,
    Query(ge=1, le=2**31 - 1, description="The `next_before` of the page shown: older ones."),
]


@router.get(
    "/conversations/{conversation_id}",
    summary="One conversation, ready to display: its latest messages, older ones by `before`",
    response_model=ConversationPage,
)
async def conversation(
    conversation_id: str,
    request: Request,
    user: User,
    limit: Limit = history.DEFAULT_PAGE,
    before: Before = None,
) -> dict[str, Any]:
    """A page of messages (agent/history.py), and the actions to show with it: those of the
    calls on the page, and every one still waiting, which the person must be able to reach."""
    shown = await runtime_of(request).coworker.show_conversation(
        user, conversation_id, limit=limit, before=before
    )
    return {
        "id": conversation_id,
        "messages": display_messages(shown.page.messages),
        "actions": [a.as_dict() for a in shown.actions],
        "next_before": shown.page.next_before,
    }


@router.get(
    "/actions",
    summary="Your actions, newest first, a page at a time",
    response_model=ActionsPage,
)
async def actions(
    request: Request,
    user: User,
    status: Annotated[
        str | None,
        Query(
            description=f"{statuses.status_help()} (the default); any other is a 422 naming these."
        ),
    ] = None,
    conversation_id: str | None = None,
    limit: Limit = paging.DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> dict[str, Any]:
    page = await listing.page_actions(
        runtime_of(request).coworker,
        user,
        status=status,
        conversation_id=conversation_id,
        limit=limit,
        cursor=cursor,
    )
    return {"actions": [a.as_dict() for a in page.items], "next_cursor": page.next_cursor}


@router.post(
    "/actions/{action_id}/approve",
    summary="Approve (optionally edited); the reply resumes",
    responses=STREAMED,
)
async def approve(
    action_id: str, request: Request, user: User, body: ApproveRequest | None = None
) -> Response:
    coworker = runtime_of(request).coworker
    action = await coworker.get_action(user, action_id)
    edits = body.edits if body else None
    return await answer(request, coworker.approve(user, action_id, edits), action.conversation_id)


@router.post(
    "/actions/{action_id}/reject",
    summary="Cancel an action; the reply resumes",
    responses=STREAMED,
)
async def reject(
    action_id: str, request: Request, user: User, body: RejectRequest | None = None
) -> Response:
    coworker = runtime_of(request).coworker
    action = await coworker.get_action(user, action_id)
    reason = body.reason if body else None
    return await answer(request, coworker.reject(user, action_id, reason), action.conversation_id)


@router.get("/me", summary="Who you are here, and which parts are real", response_model=MeOut)
async def me(request: Request, user: User) -> dict[str, Any]:
    runtime = runtime_of(request)
    return {
        "id": user.id,
        "display_name": user.display_name,
        "dialsheet_key_connected": bool(user.dialsheet_key_encrypted),
        **runtime.describe(),
    }


@router.put(
    "/me/dialsheet-key",
    summary="Connect your Dialsheet key (checked, then stored encrypted)",
    response_model=KeyConnected,
)
async def connect_key(body: KeyRequest, request: Request, user: User) -> dict[str, Any]:
    await runtime_of(request).connect_key(user, body.key.strip())
    return {"dialsheet_key_connected": True}


@router.get(
    "/me/settings", summary="Your daily-summary settings", response_model=SummarySettingsOut
)
async def summary_settings(user: User) -> dict[str, Any]:
    return preferences.SummarySettings.of(user).as_dict()


@router.put(
    "/me/settings",
    summary="Change your daily-summary settings (only fields sent)",
    response_model=SummarySettingsOut,
)
async def put_summary_settings(
    body: SettingsRequest, request: Request, user: User
) -> dict[str, Any]:
    updated = await preferences.update_settings(
        runtime_of(request).store,
        user,
        enabled=body.enabled,
        time=body.time,
        weekdays=body.weekdays,
        timezone=body.timezone,
        channel=body.channel,
    )
    return preferences.SummarySettings.of(updated).as_dict()
