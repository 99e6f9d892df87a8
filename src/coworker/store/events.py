"""Once-only markers for deliveries that may come again (Slack retries an event it thinks
was lost): the unique key decides, so a retry racing the first delivery is still refused."""

from __future__ import annotations

from coworker.store import sql
from coworker.store.tables import ProcessedEvent, utcnow
from coworker.store.transactions import Repository

_PROCESSED_EVENTS = sql.table(ProcessedEvent)


class ProcessedEvents(Repository):
    async def mark_event_processed(self, event_id: str, source: str) -> bool:
        """True the first time an event id is seen, False on every later delivery."""
        values = {"event_id": event_id, "source": source, "created_at": utcnow()}
        return await self._tx.run(sql.insert_new, _PROCESSED_EVENTS, values, ("event_id",))
