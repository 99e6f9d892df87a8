"""The guard itself must fail a test that reaches out, or it protects nothing."""

from __future__ import annotations

import socket

import httpx
import pytest

from tests.conftest import NetworkGuardError


def test_connecting_outside_loopback_fails() -> None:
    with pytest.raises(NetworkGuardError), socket.socket() as sock:
        sock.connect(("93.184.216.34", 443))


def test_a_real_model_endpoint_is_unreachable() -> None:
    with pytest.raises(NetworkGuardError):
        httpx.get("https://api.anthropic.com/v1/messages", timeout=1)


def test_loopback_is_allowed() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.socket() as client:
            client.connect(server.getsockname())
