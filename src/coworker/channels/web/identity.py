"""Who is calling the web API.

With COWORKER_WEB_SECRET set, every /api call carries `Authorization: Bearer <token>`: a
`{sub, exp}` payload signed with HMAC-SHA256 by the host application, which knows who its
user is (the pattern of Intercom's identity verification). Without it (local use) every
request is the local user.

Token format: base64url(JSON payload) "." base64url(HMAC-SHA256(secret, that first part)).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

from coworker.errors import CoworkerError


class InvalidToken(CoworkerError):
    """Missing, malformed, forged or expired; the message says which, never the token."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest())


def mint_token(
    secret: str, subject: str, *, ttl_seconds: int = 12 * 3600, now: float | None = None
) -> str:
    """What a host application does server-side for its signed-in user."""
    if not subject:
        raise ValueError("a token needs a subject (the host application's user id)")
    issued = time.time() if now is None else now
    payload = _b64(json.dumps({"sub": subject, "exp": int(issued + ttl_seconds)}).encode())
    return f"{payload}.{_signature(secret, payload)}"


def verify_token(secret: str, token: str, *, now: float | None = None) -> str:
    """The token's subject, or InvalidToken."""
    payload, dot, signature = token.partition(".")
    if not dot or not payload or not signature:
        raise InvalidToken("malformed token")
    if not hmac.compare_digest(_signature(secret, payload), signature):
        raise InvalidToken("token signature does not match")
    try:
        claims = json.loads(_unb64(payload))
        subject, expires = claims["sub"], claims["exp"]
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidToken("malformed token") from error
    if not isinstance(subject, str) or not subject or not isinstance(expires, (int, float)):
        raise InvalidToken("malformed token")
    if expires < (time.time() if now is None else now):
        raise InvalidToken("token expired")
    return subject


def bearer(header: str | None) -> str | None:
    scheme, _, value = (header or "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None
