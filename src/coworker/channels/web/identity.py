"""Who is calling the web API (and /mcp): a JWT the host application signs.

With COWORKER_WEB_SECRET set, every /api and /mcp call carries `Authorization: Bearer
<token>`, a JWT signed with HS256 under that secret by the host application, which knows
who its user is (the pattern of Intercom's identity verification). Any JWT library in any
language mints one (README, "Identity"). Without the secret (local use) every request is
the local user.

The claims, all required:
- `sub`: the host application's id for the person (they are `web:<sub>` here);
- `exp`: when it stops working (seconds since the epoch; a few seconds of leeway);
- `aud`: where it works. `"coworker"` is a person's own web token: the whole web API, and
  /mcp. `"mcp"` is a token an MCP client holds: /mcp accepts it, the web API only lets it
  read (never approve, reject, chat or change settings), so a client's model holding it
  cannot approve its own sends. A token without `aud`, or with any other, is refused: a JWT
  the host signs with the same secret for something else cannot be replayed here.

Only HS256 is accepted (never `none`, never another algorithm chosen by the token).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import jwt
from jwt.warnings import InsecureKeyLengthWarning

from coworker.errors import CoworkerError

WEB_AUDIENCE = "coworker"  # `aud` of a person's own web token
MCP_AUDIENCE = "mcp"  # `aud` of a token meant for /mcp only
AUDIENCES = frozenset({WEB_AUDIENCE, MCP_AUDIENCE})
ALGORITHM = "HS256"
LEEWAY_SECONDS = 5  # clocks of the host and of this service may differ a little


@contextmanager
def _short_keys_checked_elsewhere() -> Iterator[None]:
    """PyJWT warns on every call with an HMAC key under 32 bytes. Settings refuses such a
    COWORKER_WEB_SECRET in production and the server warns once at start-up in development,
    so here, and only around our own calls, the per-call warning is left out."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        yield


class InvalidToken(CoworkerError):
    """Missing, malformed, forged or expired; the message says which, never the token."""


@dataclass(frozen=True)
class TokenClaims:
    """What a valid token says: who (`subject`) and for what (`audience`)."""

    subject: str
    audience: str = WEB_AUDIENCE


def mint_token(
    secret: str,
    subject: str,
    *,
    ttl_seconds: int = 12 * 3600,
    now: float | None = None,
    audience: str = WEB_AUDIENCE,
) -> str:
    """What a host application does server-side for its signed-in user; `audience="mcp"`
    for a token an MCP client holds (accepted by /mcp, read-only on the web API)."""
    if not subject:
        raise ValueError("a token needs a subject (the host application's user id)")
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}; known: {', '.join(sorted(AUDIENCES))}")
    issued = int(time.time() if now is None else now)
    claims = {"sub": subject, "aud": audience, "iat": issued, "exp": issued + ttl_seconds}
    with _short_keys_checked_elsewhere():
        return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_token(secret: str, token: str) -> str:
    """The token's subject, or InvalidToken (whatever its audience: see `read_token`)."""
    return read_token(secret, token).subject


def read_token(secret: str, token: str) -> TokenClaims:
    """The token's claims, or InvalidToken; never any other exception (a bad token is a
    401, not a 500)."""
    # Headers arrive as latin-1 text: a non-ASCII character is no token's.
    if not token.isascii():
        raise InvalidToken("malformed token")
    try:
        with _short_keys_checked_elsewhere():
            claims = jwt.decode(
                token,
                secret,
                algorithms=[ALGORITHM],
                audience=sorted(AUDIENCES),
                leeway=LEEWAY_SECONDS,
                options={"require": ["sub", "exp", "aud"], "verify_signature": True},
            )
    except jwt.ExpiredSignatureError as error:
        raise InvalidToken("token expired") from error
    except jwt.InvalidSignatureError as error:
        raise InvalidToken("token signature does not match") from error
    except jwt.MissingRequiredClaimError as error:
        raise InvalidToken(f"token needs the {error.claim!r} claim") from error
    except jwt.InvalidAlgorithmError as error:
        raise InvalidToken(f"token must be signed with {ALGORITHM}") from error
    except jwt.InvalidAudienceError as error:
        raise InvalidToken(
            f"token audience must be one of: {', '.join(sorted(AUDIENCES))}"
        ) from error
    except (jwt.InvalidTokenError, ValueError, TypeError) as error:
        raise InvalidToken("malformed token") from error
    subject, audience = claims["sub"], claims["aud"]
    if isinstance(audience, list) and len(audience) == 1:
        audience = audience[0]
    if not isinstance(subject, str) or not subject or not isinstance(audience, str):
        raise InvalidToken("malformed token")
    if audience not in AUDIENCES:  # several audiences, one of them ours
        raise InvalidToken("malformed token")
    return TokenClaims(subject, audience)


def bearer(header: str | None) -> str | None:
    scheme, _, value = (header or "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None
