"""Suite-wide guards: no test reaches the internet or a real model."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.network import is_local

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


class NetworkGuardError(AssertionError):
    """A test tried to reach beyond this machine (the internet, or a real model API)."""


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if not is_local(address):
        raise NetworkGuardError(f"test tried to connect to {address!r}; tests stay on loopback")
    _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if not is_local(address):
        raise NetworkGuardError(f"test tried to connect to {address!r}; tests stay on loopback")
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    name = host.decode() if isinstance(host, bytes) else host
    if name is not None and not is_local((name, 0)):
        raise NetworkGuardError(f"test tried to resolve {name!r}; tests stay on loopback")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def _no_network_no_real_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)
    for name in (
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_BASE_URL",
        "DIALSHEET_BASE_URL",
        "DIALSHEET_API_KEY",
        "DATABASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    yield
