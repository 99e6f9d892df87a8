"""A lean HTTP/1.1 client for the web benchmarks: one connection per request on raw asyncio
streams (a POST with Content-Length; the body read as chunked or Content-Length; SSE lines
split by hand), nothing pooled.

A general client measures itself under load: httpx's AsyncClient with 200 connections spent
6-9 ms of CPU per request (its pool's bookkeeping grows with the pool), more than the
servers it was measuring spend on some turns. This one costs well under a millisecond.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

HOST = "127.0.0.1"


async def _head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    """The status code and headers (names lower-cased) of a response."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the connection closed before a status line")
    status = int(status_line.split()[1])
    headers: dict[str, str] = {}
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


async def _body(reader: asyncio.StreamReader, headers: dict[str, str]) -> AsyncIterator[bytes]:
    """The body as it arrives: chunked, by Content-Length, or to the end of the connection."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        while True:
            size_line = await reader.readline()
            if not size_line:
                raise asyncio.IncompleteReadError(b"", None)
            size = int(size_line.split(b";", 1)[0].strip(), 16)
            if size == 0:  # the last chunk, then optional trailers and a blank line
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass
                return
            yield await reader.readexactly(size)
            if (await reader.readline()).strip():
                raise ValueError("a chunk did not end with CRLF")
    elif "content-length" in headers:
        remaining = int(headers["content-length"])
        while remaining:
            chunk = await reader.read(min(remaining, 65536))
            if not chunk:
                raise asyncio.IncompleteReadError(b"", remaining)
            remaining -= len(chunk)
            yield chunk
    else:
        while chunk := await reader.read(65536):
            yield chunk


async def _lines(chunks: AsyncIterator[bytes]) -> AsyncIterator[str]:
    buffer = b""
    async for chunk in chunks:
        *complete, buffer = (buffer + chunk).split(b"\n")
        for line in complete:
            yield line.rstrip(b"\r").decode()
    if buffer:
        yield buffer.rstrip(b"\r").decode()


@contextlib.asynccontextmanager
async def post(
    port: int, path: str, payload: dict[str, Any], headers: dict[str, str]
) -> AsyncIterator[tuple[int, AsyncIterator[str]]]:
    """POST `payload` as JSON on a connection of its own: (status, the body's lines)."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        body = json.dumps(payload).encode()
        head = [
            f"POST {path} HTTP/1.1",
            f"Host: {HOST}:{port}",
            "Content-Type: application/json",
            f"Content-Length: {len(body)}",
            "Connection: close",
            *(f"{name}: {value}" for name, value in headers.items()),
        ]
        writer.write("\r\n".join(head).encode() + b"\r\n\r\n" + body)
        await writer.drain()
        status, response_headers = await _head(reader)
        yield status, _lines(_body(reader, response_headers))
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
