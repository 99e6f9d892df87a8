"""Shared benchmark plumbing: percentiles, a loopback-only guard, package versions; a free
port and a server in a child process come from the tests' support (one implementation)."""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import time
from collections.abc import Iterator, Sequence
from importlib import metadata
from typing import Any

import httpx
from tests.support.network import is_local
from tests.support.processes import child_server, free_port

__all__ = [
    "child_server",
    "free_port",
    "loopback_only",
    "package_version",
    "percentile",
    "process_cpu_s",
    "summary_ms",
    "wait_up",
]


def percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(samples: Sequence[float]) -> dict[str, float]:
    """p50/p99/mean of samples given in seconds, reported in milliseconds."""
    return {
        "p50_ms": round(percentile(samples, 50) * 1000, 2),
        "p99_ms": round(percentile(samples, 99) * 1000, 2),
        "mean_ms": round(statistics.fmean(samples) * 1000, 2),
    }


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


@contextlib.contextmanager
def loopback_only() -> Iterator[None]:
    """Refuse any connection beyond this machine while benchmarking in this process (a
    library phoning home, a price list fetched at run time): benchmarks stay on loopback."""
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        if not is_local(address):
            raise ConnectionRefusedError(f"benchmarks stay on loopback, not {address!r}")
        real_connect(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        socket.socket.connect = real_connect  # type: ignore[method-assign]


def wait_up(url: str, process: subprocess.Popen[bytes], timeout_s: float = 60) -> None:
    """Return once `url` answers at all (any status); fail if `process` exits first."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


def process_cpu_s(pid: int) -> float:
    """utime + stime of a process and its threads, in seconds (fields 14 and 15 of
    /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as stat:
        text = stat.read()
    fields = text[text.rindex(")") + 2 :].split()  # the name may hold spaces; skip past it
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
