"""Oversized bodies: 413 before auth/parsing on every surface, RSS flat under concurrency."""

from __future__ import annotations

import gzip
import select
import socket
import threading
import uuid
from urllib.parse import urlsplit

import pytest

from tests.attacks.conftest import Server

MB = 1024 * 1024
CHUNK = b"A" * (256 * 1024)


def upload(
    url: str, path: str, total: int, *, chunked: bool = False, headers: dict[str, str] | None = None
) -> int | None:
    """Stream `total` bytes (or until the server answers or hangs up); the status, or None."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=60)
    head = [f"POST {path} HTTP/1.1", f"Host: {parts.netloc}", "Content-Type: application/json"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}")
    try:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        sent = 0
        while sent < total:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            piece = CHUNK[: min(len(CHUNK), total - sent)]
            data = (b"%x\r\n" % len(piece)) + piece + b"\r\n" if chunked else piece
            try:
                sock.sendall(data)
            except OSError:
                break
            sent += len(piece)
        else:
            if chunked:
                try:
                    sock.sendall(b"0\r\n\r\n")
                except OSError:
                    pass
        sock.settimeout(60)
        try:
            reply = sock.recv(4096)
        except OSError:
            return None
        if not reply.startswith(b"HTTP/1."):
            return None
        return int(reply.split(b" ", 2)[1])
    finally:
        sock.close()


SURFACES = [
    "/api/chat",
    f"/api/actions/{uuid.uuid4()}/approve",
    f"/api/actions/{uuid.uuid4()}/reject",
    "/mcp",
    "/slack/events",
    "/sandbox/api/v1/leads",
    "crm:/api/v1/leads",
]


def _target(server: Server, surface: str) -> tuple[str, str]:
    if surface.startswith("crm:"):
        assert server.crm
        return server.crm, surface[4:]
    return server.url, surface


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("surface", SURFACES)
def test_oversized_body_is_413_before_authentication(
    server: Server, surface: str, chunked: bool
) -> None:
    """40 MB without a token (declared or chunked): 413 before auth or parsing."""
    base, path = _target(server, surface)
    status = upload(base, path, 40 * MB, chunked=chunked)
    assert status == 413, f"{surface}: {status}"


def test_oversized_put_settings_is_413(server: Server) -> None:
    """PUT /api/me/settings with a 40 MB body: 413, not parsed."""
    import httpx

    def body() -> object:
        for _ in range(160):
            yield CHUNK

    answer = httpx.put(
        server.url + "/api/me/settings",
        content=body(),
        timeout=60,
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 413


def test_declared_huge_length_with_a_tiny_body_is_refused_at_once(server: Server) -> None:
    """Content-Length: 10 GB, 1 KB sent: answered 413 without waiting for the rest."""
    parts = urlsplit(server.url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=30)
    try:
        sock.sendall(
            b"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 10737418240\r\n\r\n" + b"{" * 1024
        )
        reply = sock.recv(4096)
    except OSError:
        reply = b""
    finally:
        sock.close()
    assert reply.startswith(b"HTTP/1.1 413"), reply[:100]


@pytest.mark.parametrize("surface", ["/api/chat", "/mcp", "/sandbox/api/v1/leads"])
def test_gzip_bomb_is_not_inflated(server: Server, surface: str) -> None:
    """A gzip body inflating to 200 MB: never 5xx, RSS flat (no transparent inflation)."""
    import httpx

    bomb = gzip.compress(b"\x00" * (200 * MB), compresslevel=9)
    before = server.hwm_kb()
    answer = httpx.post(
        server.url + surface,
        content=bomb,
        timeout=60,
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert answer.status_code < 500
    assert server.hwm_kb() - before < 100 * 1024


def test_concurrent_oversized_uploads_keep_rss_flat(server: Server) -> None:
    """Six 64 MB uploads at once to /api/chat and /mcp: all 413, VmHWM grows < 100 MB."""
    before = server.hwm_kb()
    results: list[int | None] = []
    lock = threading.Lock()

    def one(path: str) -> None:
        status = upload(server.url, path, 64 * MB)
        with lock:
            results.append(status)

    threads = [threading.Thread(target=one, args=(p,)) for p in ["/api/chat", "/mcp"] * 3]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    growth_mb = (server.hwm_kb() - before) / 1024
    assert results == [413] * 6, results
    assert growth_mb < 100, f"peak RSS grew {growth_mb:.0f} MB"
