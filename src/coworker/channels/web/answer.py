"""How a run is answered over HTTP: the UI message stream, or one JSON reply.

`/api/chat`, approve and reject all answer this way. The plain form streams when the client
asks (`Accept: text/event-stream`); an AI SDK request streams unless it asks for JSON only,
since a stock `DefaultChatTransport` sends no Accept header of its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from coworker.agent.events import Event
from coworker.channels.web.stream import STREAM_HEADERS, collect, sse_stream


def wants_stream(request: Request, *, by_default: bool) -> bool:
    accept = request.headers.get("accept", "")
    return "text/event-stream" in accept or (by_default and "application/json" not in accept)


async def _primed(events: AsyncIterator[Event]) -> AsyncIterator[Event]:
    """Start the run before answering, so refusals (404, 409, 413) are HTTP statuses, not
    errors inside an already-started stream."""
    first = await anext(events)

    async def chained() -> AsyncIterator[Event]:
        yield first
        async for event in events:
            yield event

    return chained()


async def answer(
    request: Request,
    events: AsyncIterator[Event],
    conversation_id: str | None,
    *,
    message_id: str | None = None,
    stream_by_default: bool = False,
) -> Response:
    """`message_id`: the client's assistant message the reply continues (an AI SDK request
    answering a card), so the client adds to that message instead of starting another."""
    started = await _primed(events)
    if wants_stream(request, by_default=stream_by_default):
        return StreamingResponse(
            sse_stream(started, conversation_id, message_id),
            media_type="text/event-stream",
            headers=STREAM_HEADERS,
        )
    return JSONResponse(await collect(started, conversation_id))
