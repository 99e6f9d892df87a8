"""Daily-summary runs: one row per person per local date, claimed by exactly one caller
(the unique key), so a summary goes out once whatever the replicas and retries."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import bindparam, func, select, update

from coworker.store import sql
from coworker.store.records import RecordNotFound, SummaryRunRecord
from coworker.store.tables import SummaryRun, utcnow
from coworker.store.transactions import Repository

_SUMMARY_RUNS = sql.table(SummaryRun)
_SUMMARY_RUN_COLUMNS = sql.columns(_SUMMARY_RUNS, SummaryRunRecord)
_SELECT_SUMMARY_RUN = select(*_SUMMARY_RUN_COLUMNS).where(
    _SUMMARY_RUNS.c.user_id == bindparam("user_id"),
    _SUMMARY_RUNS.c.run_date == bindparam("run_date"),
)
_SELECT_SUMMARY_RUNS_SINCE = select(*_SUMMARY_RUN_COLUMNS).where(
    _SUMMARY_RUNS.c.run_date >= bindparam("first_date")
)
_LAST_DELIVERED_AT = select(func.max(_SUMMARY_RUNS.c.updated_at)).where(
    _SUMMARY_RUNS.c.user_id == bindparam("user_id"),
    _SUMMARY_RUNS.c.status == "delivered",
    _SUMMARY_RUNS.c.run_date < bindparam("before"),
)
_RETRY_SUMMARY_RUN = (
    update(_SUMMARY_RUNS)
    .where(
        _SUMMARY_RUNS.c.user_id == bindparam("b_user_id"),
        _SUMMARY_RUNS.c.run_date == bindparam("b_run_date"),
        _SUMMARY_RUNS.c.status == "failed",
    )
    .values(
        status="claimed",
        attempts=_SUMMARY_RUNS.c.attempts + 1,
        error=None,
        updated_at=bindparam("b_now"),
    )
    .returning(_SUMMARY_RUNS.c.id)
)
_FINISH_SUMMARY_RUN = (
    update(_SUMMARY_RUNS)
    .where(
        _SUMMARY_RUNS.c.user_id == bindparam("b_user_id"),
        _SUMMARY_RUNS.c.run_date == bindparam("b_run_date"),
    )
    .values(status=bindparam("b_status"), error=bindparam("b_error"), updated_at=bindparam("b_now"))
    .returning(_SUMMARY_RUNS.c.id)
)


class SummaryRuns(Repository):
    async def claim_summary_run(self, user_id: str, run_date: date) -> bool:
        """True for the one caller that gets to send this user's summary for this date."""
        now = utcnow()
        values = {
            "user_id": user_id,
            "run_date": run_date,
            "status": "claimed",
            "attempts": 1,
            "created_at": now,
            "updated_at": now,
        }
        key = ("user_id", "run_date")
        return await self._tx.run(sql.insert_new, _SUMMARY_RUNS, values, key)

    async def retry_failed_summary_run(self, user_id: str, run_date: date) -> bool:
        """Claim a failed run again (failed -> claimed, one more attempt); True if this call did."""
        params = {"b_user_id": user_id, "b_run_date": run_date, "b_now": utcnow()}
        return await self._tx.run(sql.changed, _RETRY_SUMMARY_RUN, params)

    async def finish_summary_run(
        self, user_id: str, run_date: date, status: str, error: str | None = None
    ) -> None:
        params = {
            "b_user_id": user_id,
            "b_run_date": run_date,
            "b_status": status,
            "b_error": error,
            "b_now": utcnow(),
        }
        if not await self._tx.run(sql.changed, _FINISH_SUMMARY_RUN, params):
            raise RecordNotFound("summary run", f"{user_id}/{run_date.isoformat()}")

    async def get_summary_run(self, user_id: str, run_date: date) -> SummaryRunRecord | None:
        params = {"user_id": user_id, "run_date": run_date}
        return await self._tx.run(sql.one_or_none, _SELECT_SUMMARY_RUN, params, SummaryRunRecord)

    async def summary_runs_since(
        self, first_date: date
    ) -> dict[tuple[str, date], SummaryRunRecord]:
        """Every summary run from `first_date` on, by (user id, local date)."""
        params = {"first_date": first_date}
        runs = await self._tx.run(sql.all_of, _SELECT_SUMMARY_RUNS_SINCE, params, SummaryRunRecord)
        return {(run.user_id, run.run_date): run for run in runs}

    async def last_summary_delivered_at(self, user_id: str, before: date) -> datetime | None:
        """When the person's latest summary before `before` went out (new leads count from
        there)."""
        params = {"user_id": user_id, "before": before}
        value = await self._tx.run(sql.scalar_or_none, _LAST_DELIVERED_AT, params)
        return value if isinstance(value, datetime) else None
