"""What every repository shares: its tables as Core `Table`s, a record's columns, and the
bodies of the usual transactions, as plain functions of a sync `Connection`.

Statements are built once, at import, with named parameters: SQLAlchemy then reuses their
cache keys and compiled forms, where building a statement per call (and running it through
the ORM) costs far more than SQLite takes to execute it. Parameters of UPDATEs and INSERTs
are named `b_*`, apart from the column names SQLAlchemy reserves there.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Column, Connection, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.dml import Insert

from coworker.store.tables import Base

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_R = TypeVar("_R", bound="DataclassInstance")


def table(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


def columns(of: Table, cls: type[DataclassInstance]) -> list[Column[Any]]:
    """`cls`'s fields as columns of `of`, in field order (for `record`)."""
    return [of.c[field.name] for field in dataclasses.fields(cls)]


def record(cls: type[_R], row: Any) -> _R:
    """A record from a row whose columns are `cls`'s fields, in order (see `columns`)."""
    return cls(*row)


@functools.cache
def insert_or_nothing(dialect: str, into: Table, key: tuple[str, ...]) -> Insert:
    """INSERT ... ON CONFLICT (`key`) DO NOTHING RETURNING the primary key, for `dialect`."""
    stmt: Insert
    if dialect == "postgresql":
        stmt = postgresql.insert(into).on_conflict_do_nothing(index_elements=key)
    else:
        stmt = sqlite.insert(into).on_conflict_do_nothing(index_elements=key)
    return stmt.returning(*into.primary_key.columns)


# -- the usual transactions' bodies ----------------------------------------------------------


def execute(db: Connection, stmt: Executable, params: dict[str, Any]) -> None:
    db.execute(stmt, params)


def scalar(db: Connection, stmt: Executable, params: dict[str, Any]) -> Any:
    return db.execute(stmt, params).scalar_one()


def scalar_or_none(db: Connection, stmt: Executable, params: dict[str, Any]) -> Any:
    return db.execute(stmt, params).scalar_one_or_none()


def changed(db: Connection, stmt: Executable, params: dict[str, Any]) -> bool:
    """True if the UPDATE ... RETURNING `stmt` changed a row."""
    return db.execute(stmt, params).first() is not None


def one_or_none(
    db: Connection, stmt: Executable, params: dict[str, Any], cls: type[_R]
) -> _R | None:
    """The one row `stmt` selects or changes (RETURNING), as a record; None if none."""
    row = db.execute(stmt, params).one_or_none()
    return None if row is None else record(cls, row)


def all_of(db: Connection, stmt: Executable, params: dict[str, Any], cls: type[_R]) -> list[_R]:
    return [record(cls, row) for row in db.execute(stmt, params)]


def insert_new(db: Connection, into: Table, values: dict[str, Any], key: tuple[str, ...]) -> bool:
    """INSERT unless a row with the same `key` exists; True if this call inserted it."""
    stmt = insert_or_nothing(db.dialect.name, into, key)
    return db.execute(stmt, values).first() is not None
