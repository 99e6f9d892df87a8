"""Web tokens: `{sub, exp}` signed with HMAC-SHA256, and the optional `aud` claim."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from coworker.channels.web.identity import (
    InvalidToken,
    TokenClaims,
    mint_token,
    read_token,
    verify_token,
)

SECRET = "s3cret"


def signed(claims: object) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    mac = hmac.new(SECRET.encode(), payload.encode(), hashlib.sha256).digest()
    return f"{payload}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


def test_a_token_without_audience_reads_as_before() -> None:
    token = mint_token(SECRET, "alice")
    assert read_token(SECRET, token) == TokenClaims("alice", None)
    assert verify_token(SECRET, token) == "alice"
    assert "aud" not in json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))


def test_an_mcp_token_carries_its_audience_under_the_signature() -> None:
    token = mint_token(SECRET, "alice", audience="mcp")
    assert read_token(SECRET, token) == TokenClaims("alice", "mcp")
    payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    assert claims["aud"] == "mcp"
    del claims["aud"]  # dropping the audience breaks the signature
    stripped = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(InvalidToken, match="signature"):
        read_token(SECRET, f"{stripped}.{signature}")


def test_unknown_or_malformed_audiences() -> None:
    with pytest.raises(ValueError, match="unknown audience"):
        mint_token(SECRET, "alice", audience="admin")
    assert read_token(SECRET, signed({"sub": "a", "exp": 2**40, "aud": "x"})).audience == "x"
    for bad in (["mcp"], 7, {"a": 1}):
        with pytest.raises(InvalidToken, match="malformed"):
            read_token(SECRET, signed({"sub": "a", "exp": 2**40, "aud": bad}))
    with pytest.raises(InvalidToken, match="malformed"):
        read_token(SECRET, signed(["not", "an", "object"]))
