"""One cap on the actions a person has waiting, whatever channel asked for them.

A person who cannot keep up with approvals should be told so, not buried: past the cap
(COWORKER_MAX_PENDING_ACTIONS) a new action is refused and the caller says "approve or
reject some first". The cap must hold when proposals race (an MCP client firing calls in
parallel, two replicas), so it is not a count followed by an insert (that let 60 through a
cap of 50) but one statement that inserts only while fewer than `cap` wait:

    INSERT INTO pending_actions (...) SELECT :values...
    WHERE (SELECT count(*) FROM pending_actions
           WHERE user_id = :user_id AND status = 'pending' AND expires_at > :now) < :cap
    RETURNING id

On SQLite that statement is the transaction's first, so it runs under the database's one
write lock: nothing can insert between its count and its insert. On PostgreSQL (READ
COMMITTED) two such statements could both count 49 and both insert, so each transaction
first takes a transaction-scoped advisory lock on the person,
`pg_advisory_xact_lock(class, hashtext(user_id))`: proposals for one person run one after
the other (on every replica: the lock is in the database), and the statement that follows
the lock takes a fresh snapshot that sees every insert committed before it. We chose the
lock over SERIALIZABLE because it never aborts: SERIALIZABLE would fail most of 100
simultaneous proposals with serialization errors and need a retry loop, where the lock
just queues them for the millisecond each takes; other people's proposals are not held up
(a hash collision only serialises two people's proposals, never lets one past the cap).

Pending actions whose time has run out but that nobody has closed yet do not count: they
can no longer be approved, so they must not keep anyone from asking again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, text
from sqlalchemy.sql.dml import Insert

from coworker.errors import CoworkerError
from coworker.store.tables import Base, PendingAction

# The first key of the two-key advisory lock: a class of our own, apart from the one-key
# locks (conversations, migrations), which live in a separate key space.
PG_LOCK_CLASS = 0x636F7770  # "cowp"

_ACTIONS = Base.metadata.tables[PendingAction.__tablename__]
_LOCK_PERSON = text("SELECT pg_advisory_xact_lock(:lock_class, hashtext(:user_id))")
_WAITING = (
    select(func.count())
    .select_from(_ACTIONS)
    .where(
        _ACTIONS.c.user_id == bindparam("b_user_id"),
        _ACTIONS.c.status == "pending",
        _ACTIONS.c.expires_at > bindparam("b_now", type_=_ACTIONS.c.expires_at.type),
    )
    .scalar_subquery()
)
_COUNT_WAITING = select(_WAITING)


class TooManyPendingActions(CoworkerError):
    """The person already has `cap` actions waiting; nothing new was asked for."""

    def __init__(self, waiting: int, cap: int) -> None:
        super().__init__(
            f"you have {waiting} actions waiting for approval (at most {cap} at a time); "
            "approve or reject some of them first"
        )
        self.waiting = waiting
        self.cap = cap


def _capped_insert(columns: tuple[str, ...]) -> Insert:
    values = select(
        *(bindparam(f"v_{name}", type_=_ACTIONS.c[name].type) for name in columns)
    ).where(_WAITING < bindparam("b_cap"))
    return insert(_ACTIONS).from_select(list(columns), values).returning(_ACTIONS.c.id)


_INSERTS: dict[tuple[str, ...], Insert] = {}


def insert_capped(db: Connection, values: dict[str, Any], cap: int, now: Any) -> int | None:
    """Insert the action in `values` if its person has fewer than `cap` waiting.

    Returns None when it was inserted, else how many wait (the refusal says so). Runs
    inside the caller's transaction (see the module's note on why it cannot overshoot).
    """
    columns = tuple(values)
    stmt = _INSERTS.get(columns)
    if stmt is None:
        stmt = _INSERTS[columns] = _capped_insert(columns)
    user_id = values["user_id"]
    if db.dialect.name == "postgresql":
        db.execute(_LOCK_PERSON, {"lock_class": PG_LOCK_CLASS, "user_id": user_id})
    params = {f"v_{name}": value for name, value in values.items()}
    params |= {"b_user_id": user_id, "b_now": now, "b_cap": cap}
    if db.execute(stmt, params).first() is not None:
        return None
    return count_waiting(db, user_id, now)


def too_many_pending_text(tool: str, error: TooManyPendingActions) -> str:
    """What a model reads (ours, or an MCP client's) when the cap refuses its call."""
    return (
        f"{tool} did NOT run and nothing was sent or changed: the person has "
        f"{error.waiting} actions waiting for their approval already (at most {error.cap} "
        "at a time). Ask them to approve or reject some of the waiting ones first, then "
        "try again."
    )


def count_waiting(db: Connection, user_id: str, now: Any) -> int:
    """How many of the person's actions wait for approval, counted as the cap counts them."""
    return int(db.execute(_COUNT_WAITING, {"b_user_id": user_id, "b_now": now}).scalar_one())
