"""Oversized uploads against a real `coworker serve` process, measured from outside
(issue 14, item 3): a 200 MB body without a token is a quick 413, six at once leave
/healthz answering, a chunked body with no Content-Length is stopped at the limit, and the
server's peak RSS (VmHWM in /proc) stays flat through all of it.

The figures are printed (`pytest -s`) for the record; the assertion is on memory, not time.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from tests.support.processes import ChildServer, free_port

MB = 1024 * 1024
UPLOAD = 200 * MB
PIECE = b"x" * MB
RSS_GROWTH_LIMIT_KB = 50 * 1024

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads the server's RSS from /proc"
)


def _memory_kb(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (the peak so far) of a process, in kB."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


def _body(size: int = UPLOAD) -> Iterator[bytes]:
    """`size` bytes, a megabyte at a time (the client holds one piece, not the body)."""
    for _ in range(size // MB):
        yield PIECE


def _upload(url: str, *, declared: bool) -> tuple[int, float]:
    headers = {"Content-Type": "application/json"}
    if declared:
        headers["Content-Length"] = str(UPLOAD)
    started = time.perf_counter()
    with httpx.Client(timeout=120) as client:
        try:
            answer = client.post(url, content=_body(), headers=headers)
        except httpx.TransportError:  # the server may stop reading a body it refused
            return 0, time.perf_counter() - started
    return answer.status_code, time.perf_counter() - started


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[ChildServer, str, str]]:
    port, sandbox_port = free_port(), free_port()
    env = {
        "COWORKER_DATA_DIR": str(tmp_path),
        "COWORKER_WEB_SECRET": "body-limit-secret",  # no token sent: was 401 after the read
        "COWORKER_SANDBOX_PORT": str(sandbox_port),
        "COWORKER_SCHEDULER": "0",
        "COWORKER_LOG_FORMAT": "json",
    }
    child = ChildServer(["serve", "--port", str(port)], port, env)
    try:
        url = child.wait_ready("/healthz")
        yield child, url, f"http://127.0.0.1:{sandbox_port}"
    finally:
        child.stop()


def test_oversized_uploads_are_refused_at_once_and_memory_stays_flat(
    server: tuple[ChildServer, str, str],
) -> None:
    child, url, sandbox = server
    pid = child.process.pid
    httpx.post(url + "/api/chat", json={"message": "warm up"})  # first-request imports
    before = _memory_kb(pid)

    status, seconds = _upload(url + "/api/chat", declared=True)
    assert status == 413
    print(f"\n200 MB to /api/chat, no token: {status} in {seconds:.2f} s")

    status, seconds = _upload(url + "/api/chat", declared=False)
    assert status == 413  # chunked, no Content-Length: counted, stopped at the limit
    print(f"200 MB chunked to /api/chat: {status} in {seconds:.2f} s")

    targets = ["/api/chat", "/mcp", "/slack/events", "/sandbox/api/v1/leads", "/api/chat"]
    health: list[float] = []
    with ThreadPoolExecutor(max_workers=7) as pool:
        uploads = [pool.submit(_upload, url + path, declared=True) for path in targets]
        uploads.append(pool.submit(_upload, sandbox + "/api/v1/leads", declared=False))
        while not all(u.done() for u in uploads):
            started = time.perf_counter()
            assert httpx.get(url + "/healthz", timeout=10).status_code == 200
            health.append(time.perf_counter() - started)
            time.sleep(0.05)
        statuses = [u.result()[0] for u in uploads]
    assert all(s in (413, 0) for s in statuses), statuses
    assert statuses.count(413) >= 5, statuses

    after = _memory_kb(pid)
    print(
        f"six concurrent 200 MB uploads: {statuses}; /healthz answered {len(health)} times, "
        f"slowest {max(health or [0]) * 1000:.0f} ms"
    )
    print(
        f"server RSS: VmRSS {before['VmRSS'] // 1024} -> {after['VmRSS'] // 1024} MB, "
        f"peak VmHWM {before['VmHWM'] // 1024} -> {after['VmHWM'] // 1024} MB"
    )
    assert after["VmHWM"] - before["VmHWM"] < RSS_GROWTH_LIMIT_KB, (before, after)
    assert after["VmRSS"] - before["VmRSS"] < RSS_GROWTH_LIMIT_KB, (before, after)
