"""URLs as they may be shown or logged: never with the credentials they may carry.

`DIALSHEET_BASE_URL=http://user:pass@host` and `DATABASE_URL=postgresql://user:pass@db/x`
are normal configuration, and both are worth showing (GET /api/me, the start-up log, the
terminal banner) so a person can see which CRM and which database they are on. Shown, they
go through `display_url`: user-info is dropped and secret-looking query parameters masked.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

_SECRET_PARAM = re.compile(r"pass|pwd|secret|token|key|auth|signature|credential", re.I)
_USERINFO = re.compile(r"(//)[^/?#]*@")  # for what urlsplit cannot take apart
MASK = "***"


def has_userinfo(url: str) -> bool:
    """Does `url` carry `user[:password]@` before its host?"""
    try:
        return "@" in urlsplit(url).netloc
    except ValueError:
        return _USERINFO.search(url) is not None


def without_userinfo(url: str) -> str:
    """`url` with its `user[:password]@` dropped and nothing else changed.

    For URLs the service itself requests: httpx turns user-info into a Basic
    `Authorization` header (which replaces a Bearer key) and shows it in its own request
    log line. The query is kept as given: it may be needed to reach the host.
    """
    return _USERINFO.sub(r"\1", url, count=1) if has_userinfo(url) else url


def display_url(url: str) -> str:
    """`url` without `user:password@`, and with secret-looking query values masked."""
    try:
        parts = urlsplit(url)
        host = parts.netloc.rpartition("@")[2]
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            masked = [(k, MASK if _SECRET_PARAM.search(k) else v) for k, v in pairs]
            query = urlencode(masked, safe="*/:")
        if host == parts.netloc and query == parts.query:
            return url  # nothing to hide: exactly as given
        # Put together by hand: urlunsplit turns sqlite's "sqlite:///x.db" into "sqlite:/x.db".
        start = url[: url.index(":") + 1] + ("//" if "//" in url.partition("?")[0] else "")
        shown = start + host + parts.path
        shown += f"?{query}" if query else ""
        return shown + (f"#{parts.fragment}" if parts.fragment else "")
    except ValueError:  # an unparseable URL (a stray bracket): at least drop the user-info
        return _USERINFO.sub(r"\1", url)
