"""Limits that hold under races and at scale, on every backend: the cap on waiting actions
(one atomic statement, two replicas racing), keyset pages of actions and conversations, and
rate-limit counters shared by two engines on one database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select, update

from coworker.store.engine import create_engine
from coworker.store.facade import Store
from coworker.store.paging import InvalidCursor, InvalidLimit, decode_cursor, encode_cursor
from coworker.store.pending_cap import TooManyPendingActions
from coworker.store.ratelimits import RateCounters, retry_after
from coworker.store.records import ActionRecord, ConversationRecord
from coworker.store.tables import Base, PendingAction, RateLimitCounter

SMS = {"lead_id": "l1", "message": "Hi Jane"}
ACTIONS = Base.metadata.tables[PendingAction.__tablename__]
COUNTERS = Base.metadata.tables[RateLimitCounter.__tablename__]


def later(hours: float = 1) -> datetime:
    return datetime.now(UTC) + timedelta(hours=hours)


@pytest.fixture
async def conversation(store: Store) -> ConversationRecord:
    user = await store.ensure_user("web:alice")
    return await store.get_or_create_conversation(user.id, "web", "w1")


async def propose(
    store: Store,
    conversation: ConversationRecord,
    n: int = 0,
    *,
    cap: int | None = 3,
    expires_at: datetime | None = None,
) -> ActionRecord:
    return await store.create_action(
        conversation.id,
        conversation.user_id,
        f"toolu_{n}",
        "send_sms",
        SMS,
        expires_at or later(),
        max_pending=cap,
    )


# -- the cap ----------------------------------------------------------------------------------


async def test_the_action_past_the_cap_is_refused_and_says_how_many_wait(
    store: Store, conversation: ConversationRecord
) -> None:
    for n in range(3):
        await propose(store, conversation, n)
    with pytest.raises(TooManyPendingActions) as refused:
        await propose(store, conversation, 3)
    assert (refused.value.waiting, refused.value.cap) == (3, 3)
    assert "you have 3 actions waiting" in refused.value.message
    assert "approve or reject some" in refused.value.message
    assert await store.count_waiting(conversation.user_id) == 3
    # Nothing was stored for the refused one.
    assert [a.tool_use_id for a in await store.list_actions(user_id=conversation.user_id)] == [
        "toolu_2",
        "toolu_1",
        "toolu_0",
    ]


async def test_deciding_one_makes_room_and_expired_ones_do_not_count(
    store: Store, conversation: ConversationRecord
) -> None:
    first = await propose(store, conversation, 0)
    await propose(store, conversation, 1)
    # Past its time but not closed yet: it can no longer be approved, so it takes no room.
    await propose(store, conversation, 2, expires_at=datetime.now(UTC) - timedelta(seconds=1))
    await propose(store, conversation, 3)
    with pytest.raises(TooManyPendingActions):
        await propose(store, conversation, 4)
    rejected = await store.claim_action(
        first.id, to_status="rejected", decided_by="u", now=datetime.now(UTC)
    )
    assert rejected is not None
    assert (await propose(store, conversation, 5)).status == "pending"


async def test_the_cap_is_per_person(store: Store, conversation: ConversationRecord) -> None:
    for n in range(3):
        await propose(store, conversation, n)
    bob = await store.ensure_user("web:bob")
    bobs = await store.get_or_create_conversation(bob.id, "web", "w2")
    for n in range(3):
        assert (await propose(store, bobs, n)).user_id == bob.id
    with pytest.raises(TooManyPendingActions):
        await propose(store, conversation, 9)


async def test_without_a_cap_nothing_is_counted(
    store: Store, conversation: ConversationRecord
) -> None:
    for n in range(5):
        await propose(store, conversation, n, cap=None)
    assert await store.count_waiting(conversation.user_id) == 5


async def test_100_concurrent_proposals_over_two_replicas_never_pass_the_cap(
    db_url: str, store: Store, conversation: ConversationRecord
) -> None:
    """The MCP cap of 50 let 60 through (count, then insert). Two stores, two engines, as two
    replicas would have, each with connections open, 100 proposals at once: exactly 50
    wait, the 50 others are refused; another person is not held up meanwhile."""
    replicas = [Store(create_engine(db_url)) for _ in range(2)]
    bob = await store.ensure_user("web:bob")
    bobs = await store.get_or_create_conversation(bob.id, "web", "w2")
    try:
        await asyncio.gather(*(r.get_user("warm-up") for r in replicas))

        async def one(n: int) -> ActionRecord | TooManyPendingActions:
            try:
                return await propose(replicas[n % 2], conversation, n, cap=50)
            except TooManyPendingActions as refused:
                return refused

        results, bobs_action = await asyncio.gather(
            asyncio.gather(*(one(n) for n in range(100))),
            propose(replicas[1], bobs, 0, cap=50),
        )
    finally:
        await asyncio.gather(*(r.close() for r in replicas))
    created = [r for r in results if isinstance(r, ActionRecord)]
    refused = [r for r in results if isinstance(r, TooManyPendingActions)]
    assert (len(created), len(refused)) == (50, 50)
    assert all(r.waiting == 50 and r.cap == 50 for r in refused)
    stored = await store.list_actions(user_id=conversation.user_id, status="pending")
    assert len(stored) == 50 and {a.id for a in stored} == {a.id for a in created}
    assert bobs_action.user_id == bob.id


# -- pages ------------------------------------------------------------------------------------


async def test_pages_of_actions_cover_each_once_newest_first(
    store: Store, conversation: ConversationRecord
) -> None:
    made = [await propose(store, conversation, n, cap=None) for n in range(7)]
    bob = await store.ensure_user("web:bob")
    await propose(store, await store.get_or_create_conversation(bob.id, "web", "b"), cap=None)
    seen: list[str] = []
    cursor: str | None = None
    sizes = []
    while True:
        page = await store.page_actions(conversation.user_id, limit=3, cursor=cursor)
        sizes.append(len(page.items))
        seen += [a.id for a in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sizes == [3, 3, 1]
    newest_first = sorted(made, key=lambda a: (a.created_at, a.id), reverse=True)
    assert seen == [a.id for a in newest_first]  # and none of Bob's


async def test_pages_hold_when_many_actions_share_one_timestamp(
    store: Store, conversation: ConversationRecord
) -> None:
    """A burst inserts several rows within one clock tick: the id breaks the tie, so no
    row is skipped or repeated at a page boundary."""
    made = [await propose(store, conversation, n, cap=None) for n in range(5)]
    same = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    async with store.engine.begin() as conn:
        await conn.execute(update(ACTIONS).values(created_at=same))
    seen: list[str] = []
    page = await store.page_actions(conversation.user_id, limit=2)
    seen += [a.id for a in page.items]
    while page.next_cursor is not None:
        page = await store.page_actions(conversation.user_id, limit=2, cursor=page.next_cursor)
        seen += [a.id for a in page.items]
    assert seen == sorted((a.id for a in made), reverse=True)


async def test_pages_filter_by_status_and_conversation(
    store: Store, conversation: ConversationRecord
) -> None:
    first = await propose(store, conversation, 0, cap=None)
    await propose(store, conversation, 1, cap=None)
    other = await store.get_or_create_conversation(conversation.user_id, "web", "w9")
    elsewhere = await propose(store, other, 2, cap=None)
    await store.claim_action(first.id, to_status="rejected", decided_by="u", now=later(0))
    rejected = await store.page_actions(conversation.user_id, status="rejected")
    assert [a.id for a in rejected.items] == [first.id] and rejected.next_cursor is None
    in_other = await store.page_actions(conversation.user_id, conversation_id=other.id)
    assert [a.id for a in in_other.items] == [elsewhere.id]
    exact = await store.page_actions(conversation.user_id, limit=3)
    assert len(exact.items) == 3 and exact.next_cursor is None  # no empty page after it


async def test_pages_of_conversations(store: Store, conversation: ConversationRecord) -> None:
    for n in range(4):
        await store.get_or_create_conversation(conversation.user_id, "web", f"more-{n}")
    first = await store.page_conversations(conversation.user_id, limit=3)
    assert len(first.items) == 3 and first.next_cursor is not None
    rest = await store.page_conversations(conversation.user_id, limit=3, cursor=first.next_cursor)
    assert len(rest.items) == 2 and rest.next_cursor is None
    ids = [c.id for c in first.items + rest.items]
    assert len(set(ids)) == 5 and conversation.id in ids


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "", "bm90IGpzb24", encode_cursor("conversations", later(), "x"), "🙂"],
)
async def test_a_bad_cursor_is_refused_not_a_crash(
    store: Store, conversation: ConversationRecord, cursor: str
) -> None:
    with pytest.raises(InvalidCursor):
        await store.page_actions(conversation.user_id, cursor=cursor)


async def test_limits_outside_1_to_200_are_refused(
    store: Store, conversation: ConversationRecord
) -> None:
    for limit in (0, -1, 201):
        with pytest.raises(InvalidLimit):
            await store.page_actions(conversation.user_id, limit=limit)


def test_a_cursor_round_trips() -> None:
    at = datetime(2026, 12, 6, 10, 30, 0, 123456, tzinfo=UTC)
    assert decode_cursor("actions", encode_cursor("actions", at, "abc")) == (at, "abc")


# -- shared rate-limit counters --------------------------------------------------------------


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_two_replicas_share_one_limit(db_url: str) -> None:
    clock = Clock(1_800_000_000.0)  # 0 s into a minute
    engines = [create_engine(db_url) for _ in range(2)]
    counters = [RateCounters(engine, clock=clock) for engine in engines]
    try:
        results = [await counters[n % 2].hit("chat:alice", 30) for n in range(30)]
        assert results == [None] * 30
        refused = await counters[0].hit("chat:alice", 30)
        assert refused == 60.0  # this window is full: the next one
        assert await counters[1].hit("chat:bob", 30) is None  # per key
        # At 0:30 of the next minute, half the last minute's 30 still weigh: 15 more pass.
        clock.now += 90
        passed = [await counters[n % 2].hit("chat:alice", 30) for n in range(16)]
        assert passed[:15] == [None] * 15 and passed[15] is not None
        assert 0 <= passed[15] <= 30  # (RateLimited rounds up to at least 1 s)
        # Two minutes on, the old windows are gone from the table.
        clock.now += 120
        assert await counters[0].hit("chat:alice", 30) is None
        async with engines[0].connect() as conn:
            windows = set((await conn.execute(select(COUNTERS.c.window_start))).scalars())
        assert windows == {int(clock.now // 60) * 60}
    finally:
        await asyncio.gather(*(engine.dispose() for engine in engines))


async def test_concurrent_hits_count_exactly_to_the_limit(db_url: str) -> None:
    clock = Clock(1_800_000_010.0)
    engines = [create_engine(db_url) for _ in range(2)]
    counters = [RateCounters(engine, clock=clock) for engine in engines]
    try:
        results = await asyncio.gather(*(counters[n % 2].hit("mcp:alice", 30) for n in range(80)))
    finally:
        await asyncio.gather(*(engine.dispose() for engine in engines))
    assert results.count(None) == 30
    assert all(r == 50.0 for r in results if r is not None)


def test_retry_after_is_when_a_request_would_pass() -> None:
    # 30 last minute, 20 this one, 20 s in: passes once 30 * (1 - t/60) < 10, after t = 40.
    assert retry_after(30, 30, 20, 20.0, 60) == pytest.approx(20.0)
    assert retry_after(30, 0, 30, 10.0, 60) == 50.0  # full: the next window
    assert retry_after(30, 30, 0, 59.0, 60) == pytest.approx(0.0)


async def test_a_page_of_20000_actions_reads_one_page_off_the_index(
    store: Store, conversation: ConversationRecord
) -> None:
    """`GET /api/actions` returned all 20,000 (9.3 MB) and stalled /healthz. A page is now
    read off an index in (created_at, id) order: the plan the database runs for the very
    statement the store sends has no sort of the person's rows, on either backend."""
    bob = await store.ensure_user("web:bob")
    bobs = await store.get_or_create_conversation(bob.id, "web", "b1")
    start = datetime(2026, 1, 1, tzinfo=UTC)

    def rows(owner: ConversationRecord, count: int, prefix: str) -> list[dict[str, object]]:
        return [
            {
                "id": f"{prefix}-{n:05d}",
                "conversation_id": owner.id,
                "user_id": owner.user_id,
                "tool_use_id": f"toolu_{n}",
                "tool_name": "send_sms",
                "input": SMS,
                "input_hash": "h",
                "status": "pending" if n % 10 == 0 else "rejected",
                "created_at": start + timedelta(seconds=n),
                "expires_at": start + timedelta(days=1),
                "updated_at": start,
            }
            for n in range(count)
        ]

    async with store.engine.begin() as conn:
        await conn.execute(ACTIONS.insert(), rows(conversation, 20_000, "a"))
        await conn.execute(ACTIONS.insert(), rows(bobs, 5_000, "b"))
        await conn.exec_driver_sql("ANALYZE")

    sent: list[tuple[str, object]] = []

    def capture(conn: object, cursor: object, statement: str, params: object, *_: object) -> None:
        if "FROM pending_actions" in statement and "ORDER BY" in statement:
            sent.append((statement, params))

    engines = [store.engine.sync_engine, store.sync_engine]
    for engine in engines:
        if engine is not None:
            event.listen(engine, "before_cursor_execute", capture)
    try:
        first = await store.page_actions(conversation.user_id)
        second = await store.page_actions(conversation.user_id, cursor=first.next_cursor)
        waiting = await store.page_actions(conversation.user_id, status="pending", limit=200)
    finally:
        for engine in engines:
            if engine is not None:
                event.remove(engine, "before_cursor_execute", capture)
    assert [a.id for a in first.items] == [f"a-{n:05d}" for n in range(19_999, 19_949, -1)]
    assert [a.id for a in second.items] == [f"a-{n:05d}" for n in range(19_949, 19_899, -1)]
    assert len(waiting.items) == 200 and all(a.status == "pending" for a in waiting.items)
    assert len(sent) == 3

    postgres = store.engine.dialect.name == "postgresql"
    async with store.engine.connect() as conn:
        for statement, params in sent:
            explain = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
            result = await conn.exec_driver_sql(explain + statement, params)  # type: ignore[arg-type]
            plan = "\n".join(str(row[-1]) for row in result)
            assert "ix_pending_actions_user_id" in plan, plan
            assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan
            assert "Filter" not in plan, plan  # the cursor is a range of the index too
