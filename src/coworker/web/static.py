"""The widget's files and the demo page, served as they are shipped (no build step).

The element is a set of ES modules under `chat/`; a host page's one-tag embed loads
`widget.js`, which imports them from beside itself. A module imported by a page of another
origin is fetched with CORS, so the modules (public code, never data) say any origin may
load them; they are fetched without credentials.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

JAVASCRIPT = "text/javascript; charset=utf-8"
_MODULE = re.compile(r"[a-z][a-z0-9-]*\.js")

router = APIRouter(include_in_schema=False)


@cache
def _static(*path: str) -> bytes | None:
    file = resources.files("coworker.web").joinpath(*path)
    return file.read_bytes() if file.is_file() else None


def _response(path: tuple[str, ...], media_type: str, *, shared: bool = False) -> Response:
    body = _static(*path)
    if body is None:
        name = "/".join(path)
        return JSONResponse({"error": f"{name} is not part of this build"}, status_code=404)
    headers = {"cache-control": "no-cache"}
    if shared:
        headers["access-control-allow-origin"] = "*"
    return Response(body, media_type=media_type, headers=headers)


@router.get("/widget.js")
async def widget() -> Response:
    return _response(("widget.js",), JAVASCRIPT, shared=True)


@router.get("/chat/{name}")
async def widget_module(name: str) -> Response:
    if not _MODULE.fullmatch(name):
        return JSONResponse({"error": "not found"}, status_code=404)
    return _response(("chat", name), JAVASCRIPT, shared=True)


@router.get("/favicon.svg")
@router.get("/favicon.ico")  # asked for by browsers on any page of this origin
async def favicon() -> Response:
    return _response(("favicon.svg",), "image/svg+xml", shared=True)


@router.get("/")
async def index() -> Response:
    return _response(("index.html",), "text/html; charset=utf-8")
