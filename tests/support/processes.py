"""`coworker` commands in child processes, for tests (and benchmarks) that need real
processes: replicas sharing a database, a server measured from outside."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence

import httpx

START_TIMEOUT_S = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def coworker(args: Sequence[str], env: dict[str, str], timeout: float = 60) -> str:
    """Run one `coworker` command to completion; its stdout, or an error with its stderr."""
    done = subprocess.run(
        [sys.executable, "-c", "from coworker.cli import main; main()", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"coworker {' '.join(args)} failed: {done.stderr[-2000:]}")
    return done.stdout


class ChildServer:
    """`coworker ARGS` in a child process, its stderr in a file (a chatty server never
    blocks on a full pipe), shown when it fails to start."""

    def __init__(self, args: Sequence[str], port: int, env: dict[str, str] | None = None):
        command = [sys.executable, "-c", "from coworker.cli import main; main()", *args]
        self.log = tempfile.TemporaryFile()
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            command, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=self.log
        )

    def wait_ready(self, ready_path: str) -> str:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"server exited: {self.log.read().decode()[-3000:]}")
            try:
                if httpx.get(self.url + ready_path, timeout=1).status_code < 500:
                    return self.url
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not start within {START_TIMEOUT_S:.0f} s")
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@contextlib.contextmanager
def start_servers(
    commands: Sequence[tuple[Sequence[str], int, dict[str, str]]], ready_path: str
) -> Iterator[list[str]]:
    """Several servers started at the same moment (replicas racing at start-up); yields
    their URLs once every one answers `ready_path`."""
    servers: list[ChildServer] = []
    try:
        servers.extend(ChildServer(args, port, env) for args, port, env in commands)
        yield [server.wait_ready(ready_path) for server in servers]
    finally:
        for server in servers:
            server.stop()


@contextlib.contextmanager
def child_server(
    args: Sequence[str], port: int, ready_path: str, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Run `coworker ARGS` in a child process until `ready_path` answers; yields its URL."""
    with start_servers([(args, port, env or {})], ready_path) as (url,):
        yield url
