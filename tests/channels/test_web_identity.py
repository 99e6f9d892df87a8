"""Web tokens: JWTs (HS256) with `sub`, `exp` and `aud`, as any JWT library mints them."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest

from coworker.channels.web.identity import (
    InvalidToken,
    TokenClaims,
    mint_token,
    read_token,
    verify_token,
)

SECRET = "s3cret-" * 10  # long enough for HS512 too (no key-length warnings)


def signed(claims: Any, *, algorithm: str = "HS256", key: str | None = SECRET) -> str:
    """What a host application signs with its JWT library."""
    return jwt.encode(claims, key, algorithm=algorithm)  # type: ignore[arg-type]


def soon() -> int:
    return int(time.time()) + 600


def test_a_minted_token_is_a_standard_jwt_for_the_web() -> None:
    token = mint_token(SECRET, "alice")
    assert read_token(SECRET, token) == TokenClaims("alice", "coworker")
    assert verify_token(SECRET, token) == "alice"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], audience="coworker")
    assert claims["sub"] == "alice" and claims["aud"] == "coworker" and claims["exp"] > 0
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


def test_a_host_library_token_reads_the_same() -> None:
    assert read_token(SECRET, signed({"sub": "bob", "exp": soon(), "aud": "coworker"})) == (
        TokenClaims("bob", "coworker")
    )
    assert read_token(SECRET, signed({"sub": "bob", "exp": soon(), "aud": ["mcp"]})) == (
        TokenClaims("bob", "mcp")
    )


def test_an_mcp_token_carries_its_audience_under_the_signature() -> None:
    token = mint_token(SECRET, "alice", audience="mcp")
    assert read_token(SECRET, token) == TokenClaims("alice", "mcp")
    header, _, signature = token.split(".")
    widened = signed({"sub": "alice", "exp": soon(), "aud": "coworker"}).split(".")[1]
    with pytest.raises(InvalidToken, match="signature"):  # swapping the audience breaks it
        read_token(SECRET, f"{header}.{widened}.{signature}")


def test_sub_exp_and_aud_are_required() -> None:
    for missing in ("sub", "exp", "aud"):
        claims = {"sub": "a", "exp": soon(), "aud": "coworker"}
        del claims[missing]
        with pytest.raises(InvalidToken, match=missing):
            read_token(SECRET, signed(claims))


def test_unknown_or_malformed_audiences() -> None:
    with pytest.raises(ValueError, match="unknown audience"):
        mint_token(SECRET, "alice", audience="admin")
    with pytest.raises(InvalidToken, match="audience"):
        read_token(SECRET, signed({"sub": "a", "exp": soon(), "aud": "billing"}))
    for bad in (["mcp", "coworker"], 7, {"a": 1}):
        with pytest.raises(InvalidToken):
            read_token(SECRET, signed({"sub": "a", "exp": soon(), "aud": bad}))


def test_only_hs256_and_never_none() -> None:
    claims = {"sub": "a", "exp": soon(), "aud": "coworker"}
    for algorithm in ("HS384", "HS512"):
        with pytest.raises(InvalidToken, match="HS256"):
            read_token(SECRET, signed(claims, algorithm=algorithm))
    with pytest.raises(InvalidToken):
        read_token(SECRET, signed(claims, algorithm="none", key=None))


def test_expiry_has_only_a_small_leeway() -> None:
    with pytest.raises(InvalidToken, match="expired"):
        read_token(SECRET, mint_token(SECRET, "a", ttl_seconds=-10))
    assert read_token(SECRET, mint_token(SECRET, "a", ttl_seconds=-2)).subject == "a"


@pytest.mark.parametrize(
    "token",
    ["garbage", "a.b.c", "ünïcode.x.y", "eyJhbGciOiJIUzI1NiJ9.WyJub3QiXQ.x", "", "...."],
)
def test_malformed_tokens_are_invalid_never_a_crash(token: str) -> None:
    with pytest.raises(InvalidToken):
        read_token(SECRET, token)


def test_wrong_types_in_claims_are_malformed() -> None:
    wrong: list[Any] = [
        {"sub": 7, "exp": soon(), "aud": "mcp"},
        {"sub": "", "exp": soon(), "aud": "mcp"},
        {"sub": "a", "exp": "soon", "aud": "mcp"},
    ]
    tokens = [signed(claims) for claims in wrong]
    tokens.append(jwt.api_jws.PyJWS().encode(b'["not", "an", "object"]', SECRET))
    for token in tokens:
        with pytest.raises(InvalidToken):
            read_token(SECRET, token)
