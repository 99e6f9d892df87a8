"""The project's errors as HTTP answers: `{"error": "..."}` with the right status."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from coworker.agent.feedback import InvalidFeedback, ReplyNotFound
from coworker.agent.listing import UnknownStatus
from coworker.channels.web.identity import InvalidToken
from coworker.channels.web.limits import RateLimited
from coworker.errors import (
    ActionNotFound,
    ActionNotPending,
    ConversationNotFound,
    CoworkerError,
    DialsheetError,
    DialsheetKeyMissing,
    MessageTooLong,
    NotAllowed,
    ToolInputError,
)
from coworker.guards.errors import refusal_for
from coworker.store.paging import InvalidCursor, InvalidLimit
from coworker.store.pending_cap import TooManyPendingActions

log = logging.getLogger("coworker.web")

STATUS: list[tuple[type[CoworkerError], int]] = [
    (InvalidToken, 401),
    (MessageTooLong, 413),
    (RateLimited, 429),
    (TooManyPendingActions, 429),  # the cap: approve or reject some first (no Retry-After)
    (UnknownStatus, 422),
    (InvalidFeedback, 422),
    (ReplyNotFound, 404),
    (InvalidLimit, 422),
    (InvalidCursor, 400),
    (ActionNotPending, 409),
    (ActionNotFound, 404),
    (ConversationNotFound, 404),
    (NotAllowed, 404),  # another person's action does not exist for this one
    (ToolInputError, 422),
    (DialsheetKeyMissing, 409),
    (DialsheetError, 502),
]


def public_message(error: BaseException) -> str:
    if isinstance(error, NotAllowed):
        return "not found"
    if isinstance(error, CoworkerError):
        return error.message
    return "internal error; the details are in the server log"


def error_response(error: CoworkerError) -> JSONResponse:
    status = next((code for kind, code in STATUS if isinstance(error, kind)), 400)
    body: dict[str, object] = {"error": public_message(error)}
    headers: dict[str, str] = {}
    if isinstance(error, ActionNotPending):
        body["status"] = error.status
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
    if isinstance(error, InvalidToken):
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(body, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(CoworkerError)
    async def coworker_error(_: Request, error: CoworkerError) -> JSONResponse:
        return error_response(error)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        message = first.get("msg", "invalid request")
        return JSONResponse({"error": f"{where}: {message}" if where else message}, status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, error: HTTPException) -> JSONResponse:
        return JSONResponse(
            {"error": str(error.detail)}, status_code=error.status_code, headers=error.headers
        )

    async def unexpected(_: Request, error: Exception) -> JSONResponse:
        refusal = refusal_for(error)  # bad input that broke a parser or encoder: a 4xx
        if refusal is not None:
            status, message = refusal
            return JSONResponse({"error": message}, status_code=status)
        log.exception("unexpected error")
        return JSONResponse({"error": public_message(error)}, status_code=500)

    # By class too: those are answered where routes' errors are, not re-raised as a 500's are.
    for kind in (RecursionError, UnicodeError, Exception):
        app.add_exception_handler(kind, unexpected)
