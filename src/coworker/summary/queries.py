"""The reads the summary needs that the general store does not offer: who might be due, and
how each person's recent runs went. Plain Core SELECTs on the store's engine, two per
scheduler tick however many people there are."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from sqlalchemy import func, select

from coworker.store.queries import Store, SummaryRunRecord, UserRecord
from coworker.store.tables import SummaryRun, User

_USER_COLUMNS = [getattr(User, f.name) for f in dataclasses.fields(UserRecord)]
_RUN_COLUMNS = [getattr(SummaryRun, f.name) for f in dataclasses.fields(SummaryRunRecord)]


async def enabled_users(store: Store) -> list[UserRecord]:
    stmt = select(*_USER_COLUMNS).where(User.summary_enabled.is_(True)).order_by(User.id)
    async with store.engine.connect() as conn:
        return [UserRecord(*row) for row in await conn.execute(stmt)]


async def user_by_external_id(store: Store, external_id: str) -> UserRecord | None:
    stmt = select(*_USER_COLUMNS).where(User.external_id == external_id)
    async with store.engine.connect() as conn:
        row = (await conn.execute(stmt)).one_or_none()
    return None if row is None else UserRecord(*row)


async def runs_since(store: Store, first_date: date) -> dict[tuple[str, date], SummaryRunRecord]:
    """Every summary run from `first_date` on, by (user id, local date)."""
    stmt = select(*_RUN_COLUMNS).where(SummaryRun.run_date >= first_date)
    async with store.engine.connect() as conn:
        runs = [SummaryRunRecord(*row) for row in await conn.execute(stmt)]
    return {(run.user_id, run.run_date): run for run in runs}


async def last_delivered_at(store: Store, user_id: str, before: date) -> datetime | None:
    """When the person's latest summary before `before` went out: new leads count from there."""
    stmt = select(func.max(SummaryRun.updated_at)).where(
        SummaryRun.user_id == user_id,
        SummaryRun.status == "delivered",
        SummaryRun.run_date < before,
    )
    async with store.engine.connect() as conn:
        value = (await conn.execute(stmt)).scalar_one_or_none()
    return value if isinstance(value, datetime) else None
