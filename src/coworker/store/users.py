"""People: created on first sight (safe under races), with their key and summary settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from coworker.store import sql
from coworker.store.records import RecordNotFound, UserRecord
from coworker.store.tables import User, new_id, utcnow
from coworker.store.transactions import Repository

USER_FIELDS = frozenset(
    {
        "display_name",
        "dialsheet_key_encrypted",
        "timezone",
        "summary_enabled",
        "summary_time",
        "summary_weekdays",
        "summary_channel",
    }
)

USERS = sql.table(User)
USER_COLUMNS = sql.columns(USERS, UserRecord)
_SELECT_USER = select(*USER_COLUMNS).where(USERS.c.id == bindparam("id"))
_SELECT_USER_BY_EXTERNAL_ID = select(*USER_COLUMNS).where(
    USERS.c.external_id == bindparam("external_id")
)
_SELECT_SUMMARY_USERS = (
    select(*USER_COLUMNS).where(USERS.c.summary_enabled.is_(True)).order_by(USERS.c.id)
)


class Users(Repository):
    async def ensure_user(
        self,
        external_id: str,
        display_name: str | None = None,
        *,
        summary_channel: str | None = None,
    ) -> UserRecord:
        """The user with this external id, created on first sight (safe under races).
        `summary_channel` is where a new person's summaries go (an existing one keeps theirs)."""
        now = utcnow()
        values = {
            "id": new_id(),
            "external_id": external_id,
            "display_name": display_name,
            "created_at": now,
            "updated_at": now,
        }
        if summary_channel is not None:
            values["summary_channel"] = summary_channel
        # Every web request asks, and almost always the user is there: a read transaction (no
        # write lock, no WAL append) answers that. Only a newcomer costs the insert, in its
        # own transaction (SQLite cannot turn a read snapshot into a write once another
        # connection has written).
        found = await self.find_user(external_id)
        return found if found is not None else await self._tx.run(_ensure_user, values)

    async def find_user(self, external_id: str) -> UserRecord | None:
        params = {"external_id": external_id}
        return await self._tx.run(sql.one_or_none, _SELECT_USER_BY_EXTERNAL_ID, params, UserRecord)

    async def get_user(self, user_id: str) -> UserRecord | None:
        return await self._tx.run(sql.one_or_none, _SELECT_USER, {"id": user_id}, UserRecord)

    async def update_user(self, user_id: str, **fields: Any) -> UserRecord:
        unknown = set(fields) - USER_FIELDS
        if unknown:
            raise TypeError(f"update_user() cannot set {', '.join(sorted(unknown))}")
        stmt = (
            update(USERS)
            .where(USERS.c.id == user_id)
            .values(**fields, updated_at=utcnow())
            .returning(*USER_COLUMNS)
        )
        user = await self._tx.run(sql.one_or_none, stmt, {}, UserRecord)
        if user is None:
            raise RecordNotFound("user", user_id)
        return user

    async def summary_users(self) -> list[UserRecord]:
        """Everyone with daily summaries on (who might be due): one SELECT per tick."""
        return await self._tx.run(sql.all_of, _SELECT_SUMMARY_USERS, {}, UserRecord)


def _ensure_user(db: Connection, values: dict[str, Any]) -> UserRecord:
    sql.insert_new(db, USERS, values, ("external_id",))
    params = {"external_id": values["external_id"]}
    return sql.record(UserRecord, db.execute(_SELECT_USER_BY_EXTERNAL_ID, params).one())
