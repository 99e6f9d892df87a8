"""The pending-actions gauge counts the store's rows by status, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

from coworker.observability.metrics import Metrics
from coworker.store.facade import Store
from tests.support.databases import shared_database


def _gauge(metrics: Metrics, status: str) -> float | None:
    return metrics.registry.get_sample_value("coworker_pending_actions", {"status": status})


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
async def test_refresh_counts_actions_by_status(backend: str, tmp_path: Path) -> None:
    async with shared_database(backend, tmp_path, purpose="metrics") as url:
        store = await Store.open(url)
        try:
            user = await store.ensure_user("web:gauge")
            conversation = await store.get_or_create_conversation(user.id, "web", "gauge")
            soon = datetime.now(UTC) + timedelta(hours=1)
            actions = [
                await store.create_action(
                    conversation.id, user.id, f"toolu_{n}", "send_sms", {"n": n}, soon
                )
                for n in range(3)
            ]
            now = datetime.now(UTC)
            await store.claim_action(
                actions[0].id, to_status="rejected", decided_by=user.id, now=now
            )
            metrics = Metrics()
            await metrics.refresh(store, now=100.0)
            assert _gauge(metrics, "pending") == 2
            assert _gauge(metrics, "rejected") == 1
            assert _gauge(metrics, "succeeded") == 0

            await store.claim_action(actions[1].id, decided_by=user.id, now=now)
            await store.finish_action(actions[1].id, status="succeeded", result={"ok": True})
            await metrics.refresh(store, now=114.0)  # within 15 s: the last counts, no query
            assert _gauge(metrics, "pending") == 2
            assert _gauge(metrics, "succeeded") == 0
            await metrics.refresh(store, now=115.0)
            assert _gauge(metrics, "pending") == 1
            assert _gauge(metrics, "succeeded") == 1
            assert _gauge(metrics, "executing") == 0
        finally:
            await store.close()


async def test_a_failed_count_keeps_the_last_values_and_counts_an_error(tmp_path: Path) -> None:
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'gone.db'}")
    metrics = Metrics()
    await metrics.refresh(store, now=0.0)
    await store.close()
    await store.engine.dispose()
    (tmp_path / "gone.db").unlink()
    (tmp_path / "gone.db").mkdir()  # the file is now a directory: the query fails
    await metrics.refresh(store, now=20.0)
    assert _gauge(metrics, "pending") == 0
    errors = metrics.registry.get_sample_value("coworker_errors_total", {"kind": "metrics_store"})
    assert errors == 1
    await metrics.refresh(store, now=21.0)  # a failed count is not cached: the next one tries
    errors = metrics.registry.get_sample_value("coworker_errors_total", {"kind": "metrics_store"})
    assert errors == 2


async def test_scrapes_within_15_seconds_reuse_the_counts(tmp_path: Path) -> None:
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'counted.db'}")
    queries: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        if "pending_actions" in statement:
            queries.append(statement)

    event.listen(store.engine.sync_engine, "before_cursor_execute", count)
    try:
        metrics = Metrics()
        assert metrics.action_counts_max_age == 15.0
        for second in (0.0, 5.0, 14.9):
            await metrics.refresh(store, now=1000.0 + second)
        assert len(queries) == 1
        await metrics.refresh(store, now=1015.0)
        assert len(queries) == 2
    finally:
        await store.close()
