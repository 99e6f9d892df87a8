"""Who is calling the web API.

With COWORKER_WEB_SECRET set, every /api call carries `Authorization: Bearer <token>`: a
`{sub, exp}` payload signed with HMAC-SHA256 by the host application, which knows who its
user is (the pattern of Intercom's identity verification). Without it (local use) every
request is the local user.

Token format: base64url(JSON payload) "." base64url(HMAC-SHA256(secret, that first part)).

An optional `aud` claim narrows where a token works. A token for an MCP client carries
`"aud": "mcp"`: /mcp accepts it, the web API only lets it read (never approve, reject or
chat), so a client's model holding it cannot approve its own sends. A token without `aud`
works everywhere.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass

from coworker.errors import CoworkerError

MCP_AUDIENCE = "mcp"  # `aud` of a token meant for /mcp only
AUDIENCES = frozenset({MCP_AUDIENCE})


class InvalidToken(CoworkerError):
    """Missing, malformed, forged or expired; the message says which, never the token."""


@dataclass(frozen=True)
class TokenClaims:
    """What a valid token says: who (`subject`) and, if narrowed, for what (`audience`)."""

    subject: str
    audience: str | None = None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest())


def mint_token(
    secret: str,
    subject: str,
    *,
    ttl_seconds: int = 12 * 3600,
    now: float | None = None,
    audience: str | None = None,
) -> str:
    """What a host application does server-side for its signed-in user; `audience="mcp"`
    for a token an MCP client holds (accepted by /mcp, read-only on the web API)."""
    if not subject:
        raise ValueError("a token needs a subject (the host application's user id)")
    if audience is not None and audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}; known: {', '.join(sorted(AUDIENCES))}")
    issued = time.time() if now is None else now
    claims: dict[str, object] = {"sub": subject, "exp": int(issued + ttl_seconds)}
    if audience is not None:
        claims["aud"] = audience
    payload = _b64(json.dumps(claims).encode())
    return f"{payload}.{_signature(secret, payload)}"


def verify_token(secret: str, token: str, *, now: float | None = None) -> str:
    """The token's subject, or InvalidToken (whatever its audience: see `read_token`)."""
    return read_token(secret, token, now=now).subject


def read_token(secret: str, token: str, *, now: float | None = None) -> TokenClaims:
    """The token's claims, or InvalidToken."""
    # Headers arrive as latin-1 text: a non-ASCII character is no token's, and
    # hmac.compare_digest raises TypeError on one (a 500 before this check).
    if not token.isascii():
        raise InvalidToken("malformed token")
    payload, dot, signature = token.partition(".")
    if not dot or not payload or not signature:
        raise InvalidToken("malformed token")
    if not hmac.compare_digest(_signature(secret, payload), signature):
        raise InvalidToken("token signature does not match")
    try:
        claims = json.loads(_unb64(payload))
        subject, expires = claims["sub"], claims["exp"]
        audience = claims.get("aud")
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise InvalidToken("malformed token") from error
    if not isinstance(subject, str) or not subject or not isinstance(expires, (int, float)):
        raise InvalidToken("malformed token")
    if audience is not None and not isinstance(audience, str):
        raise InvalidToken("malformed token")
    if expires < (time.time() if now is None else now):
        raise InvalidToken("token expired")
    return TokenClaims(subject, audience)


def bearer(header: str | None) -> str | None:
    scheme, _, value = (header or "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None
