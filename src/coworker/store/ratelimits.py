"""Rate-limit counters in the database, so replicas that share it share the limit.

A limit kept in each process's memory is a limit per replica: two replicas let a person
send 60 messages a minute where the setting says 30. Here every replica counts in one
table, `rate_limit_counters`, one row per (window, key).

The count is a sliding window, approximated from two fixed ones (as CDNs do): a request at
`elapsed` seconds into the current minute sees

    estimate = previous minute's count * (1 - elapsed / 60) + this minute's count

and is allowed while that stays under the limit. A fixed window alone would let 30 through
at 0:59 and 30 more at 1:00. The increment is one atomic statement that only counts an
allowed request:

    INSERT INTO rate_limit_counters (window_start, key, count) VALUES (:w, :key, 1)
    ON CONFLICT (window_start, key) DO UPDATE SET count = rate_limit_counters.count + 1
    WHERE rate_limit_counters.count < :allowance
    RETURNING count

PostgreSQL locks the conflicting row and re-evaluates the WHERE on its newest version, so of
any number of concurrent requests exactly `allowance` get a row back; SQLite runs the
statement under its write lock. Refused requests are not counted (a client that keeps
retrying is not punished beyond the limit), and they learn how long until one would pass.

Windows older than the previous one are deleted once per window by each process: a range
of the primary key, which starts with the window.

Time is wall-clock epoch seconds (replicas on different hosts agree on it, not on a
monotonic clock), injectable for tests.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.dml import Insert

from coworker.store.tables import Base, RateLimitCounter

WINDOW_SECONDS = 60
log = logging.getLogger("coworker.store")

_COUNTERS = Base.metadata.tables[RateLimitCounter.__tablename__]
_SELECT_COUNT = select(_COUNTERS.c.count).where(
    _COUNTERS.c.window_start == bindparam("window_start"), _COUNTERS.c.key == bindparam("key")
)
_DELETE_BEFORE = delete(_COUNTERS).where(_COUNTERS.c.window_start < bindparam("before"))


def _upsert(dialect: str) -> Insert:
    """The conditional increment, for `dialect` (both spell ON CONFLICT the same way)."""
    base = postgresql.insert(_COUNTERS) if dialect == "postgresql" else sqlite.insert(_COUNTERS)
    stmt = base.values(window_start=bindparam("window_start"), key=bindparam("key"), count=1)
    return stmt.on_conflict_do_update(
        index_elements=[_COUNTERS.c.window_start, _COUNTERS.c.key],
        set_={"count": _COUNTERS.c.count + 1},
        where=_COUNTERS.c.count < bindparam("allowance"),
    ).returning(_COUNTERS.c.count)


_UPSERTS = {dialect: _upsert(dialect) for dialect in ("postgresql", "sqlite")}


def retry_after(limit: int, previous: int, current: int, elapsed: float, window: float) -> float:
    """Seconds until a request would pass, if nobody else asks meanwhile.

    While this window has room (`current < limit`), that is when the previous window's
    weight has fallen enough: previous * (1 - t / window) < limit - current. Otherwise it
    is the next window, where this one's count weighs (limit <= current) from its start;
    since a window never counts more than `limit`, it passes there at once.
    """
    if current < limit and previous > 0:
        due = window * (1 - (limit - current) / previous)
        if due < window:
            return max(0.0, due - elapsed)
    return window - elapsed


class RateCounters:
    """The shared counters on one database: `hit(key, limit)` counts a request if allowed."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        window: int = WINDOW_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if engine.dialect.name not in _UPSERTS:
            raise ValueError(f"no rate-limit counters on {engine.dialect.name}")
        self.engine = engine
        self.window = window
        self.clock = clock
        self._swept: int | None = None  # the window this process last cleaned up in

    async def hit(self, key: str, limit: int) -> float | None:
        """None if the request is allowed (and counted); else seconds until one would be."""
        now = self.clock()
        start = int(now // self.window) * self.window
        async with self.engine.begin() as connection:
            waited = await connection.run_sync(self._hit, key, limit, start, now - start)
        if self._swept != start:
            self._swept = start
            try:
                await self.sweep(start)
            except SQLAlchemyError:  # the request was counted; the next window sweeps again
                log.warning("could not delete old rate-limit windows", exc_info=True)
        return waited

    async def sweep(self, start: int) -> None:
        """Drop the windows before the previous one: nothing reads them any more."""
        async with self.engine.begin() as connection:
            await connection.execute(_DELETE_BEFORE, {"before": start - self.window})

    def _hit(
        self, db: Connection, key: str, limit: int, start: int, elapsed: float
    ) -> float | None:
        previous = self._count(db, start - self.window, key)
        weight = max(0.0, 1 - elapsed / self.window)
        allowance = limit - math.floor(previous * weight)
        if allowance > 0:
            params = {"window_start": start, "key": key, "allowance": allowance}
            if db.execute(_UPSERTS[db.dialect.name], params).first() is not None:
                return None
        current = self._count(db, start, key)
        return retry_after(limit, previous, current, elapsed, self.window)

    @staticmethod
    def _count(db: Connection, window_start: int, key: str) -> int:
        params: dict[str, Any] = {"window_start": window_start, "key": key}
        value = db.execute(_SELECT_COUNT, params).scalar_one_or_none()
        return int(value or 0)
