"""Exactly one summary per person and local date, however many schedulers run.

The database decides: a `summary_runs` row (user, date unique) is claimed before anything
is sent, so of any number of replicas, restarts and cron jobs exactly one caller goes on.
`claimed -> delivered | failed`; a failed run is claimed again (one conditional UPDATE)
after a backoff, at most `MAX_ATTEMPTS` times in all; a delivered run is never redone. A run
that dies between sending and recording stays `claimed` and is not retried: a missing
summary is better than a second one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from coworker.llm.base import Model
from coworker.observability.context import hash_user
from coworker.store.facade import Store
from coworker.store.records import SummaryRunRecord, UserRecord
from coworker.summary.deliver import RenderedSummary, SummaryChannel
from coworker.summary.gather import STALE_DAYS, gather
from coworker.summary.render import render_with_model, summary_prompt
from coworker.tools.executor import CrmCaller

if TYPE_CHECKING:
    from coworker.runtime import Runtime

log = logging.getLogger("coworker.summary")

MAX_ATTEMPTS = 3
RETRY_BASE = timedelta(minutes=5)  # then 10, 20, ... after each failed attempt

Outcome = Literal["delivered", "failed", "already_done", "in_progress", "retry_later", "gave_up"]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def retry_due(run: SummaryRunRecord, now: datetime) -> bool:
    """A failed run may go again once its backoff has passed, while attempts remain."""
    if run.status != "failed" or run.attempts >= MAX_ATTEMPTS:
        return False
    wait: timedelta = RETRY_BASE * 2 ** (run.attempts - 1)
    return now - run.updated_at >= wait


@dataclass(frozen=True, slots=True)
class RunResult:
    user_id: str
    local_date: date
    outcome: Outcome
    error: str | None = None


class SummaryService:
    """Gathers, renders and delivers one person's summary; owns the exactly-once rule."""

    def __init__(
        self,
        *,
        store: Store,
        model: Model,
        crm_for: Callable[[UserRecord], CrmCaller],
        channels: Mapping[str, SummaryChannel],
        clock: Callable[[], datetime] = _utcnow,
        stale_days: int = STALE_DAYS,
        prompt: str | None = None,
    ) -> None:
        if "web" not in channels:
            raise ValueError("the web channel is the fallback every summary can reach")
        self.store = store
        self.model = model
        self.crm_for = crm_for
        self.channels = dict(channels)
        self.clock = clock
        self.stale_days = stale_days
        self.prompt = prompt or summary_prompt()

    @classmethod
    def from_runtime(
        cls,
        runtime: Runtime,
        *,
        channels: Mapping[str, SummaryChannel] | None = None,
        **options: object,
    ) -> SummaryService:
        """`channels`: as composed by the caller; by default every one this install has."""
        from coworker.summary.compose import summary_channels

        return cls(
            store=runtime.store,
            model=runtime.model,
            crm_for=runtime.coworker.crm_for,
            channels=channels or summary_channels(runtime.settings, runtime.coworker),
            **options,  # type: ignore[arg-type]
        )

    def targets(self, user: UserRecord) -> list[SummaryChannel]:
        """The channels the person chose; where none of them is configured here or can
        reach the person (Slack for someone who never used it), the web."""
        wanted = ("web", "slack") if user.summary_channel == "both" else (user.summary_channel,)
        chosen = [
            self.channels[name]
            for name in wanted
            if name in self.channels and self.channels[name].reaches(user)
        ]
        return chosen or [self.channels["web"]]

    def moment(self, user: UserRecord, local_date: date | None) -> datetime:
        """The instant the summary describes: now, or the person's summary time on a given
        local date (for `coworker summary run --date`)."""
        now = self.clock()
        if local_date is None:
            return now
        zone = ZoneInfo(user.timezone)
        if now.astimezone(zone).date() == local_date:
            return now
        hour, minute = (int(part) for part in user.summary_time.split(":"))
        return datetime.combine(local_date, time(hour, minute), zone).astimezone(UTC)

    async def compose(self, user: UserRecord, local_date: date | None = None) -> RenderedSummary:
        """Gather and render, with no claim and no delivery (previews and dry runs)."""
        at = self.moment(user, local_date)
        day = at.astimezone(ZoneInfo(user.timezone)).date()
        since = await self.store.last_summary_delivered_at(user.id, before=day)
        data = await gather(
            self.crm_for(user),
            timezone=user.timezone,
            now=at,
            since=since,
            person=user.display_name,
            stale_days=self.stale_days,
        )
        return RenderedSummary(day, await render_with_model(self.model, data, self.prompt), data)

    async def _claim(self, user: UserRecord, local_date: date) -> Outcome | None:
        """None if this caller now holds the run; else why it does not."""
        if await self.store.claim_summary_run(user.id, local_date):
            return None
        run = await self.store.get_summary_run(user.id, local_date)
        if run is None or run.status == "delivered":
            return "already_done"
        if run.status == "claimed":
            return "in_progress"
        if run.attempts >= MAX_ATTEMPTS:
            return "gave_up"
        if not retry_due(run, self.clock()):
            return "retry_later"
        if await self.store.retry_failed_summary_run(user.id, local_date):
            return None
        return "in_progress"

    async def run(self, user: UserRecord, local_date: date) -> RunResult:
        """Deliver the person's summary for `local_date` unless it is (being) done already."""
        refused = await self._claim(user, local_date)
        if refused is not None:
            return RunResult(user.id, local_date, refused)
        try:
            summary = await self.compose(user, local_date)
            for channel in self.targets(user):
                await channel.deliver(user, summary)
        except (Exception, asyncio.CancelledError) as error:
            # Record the failure whatever it was (even a cancelled shutdown), then re-raise
            # only cancellation: one person's failure must not stop the others.
            reason = f"{type(error).__name__}: {error}"[:500]
            await asyncio.shield(
                self.store.finish_summary_run(user.id, local_date, "failed", reason)
            )
            if isinstance(error, asyncio.CancelledError):
                raise
            who = hash_user(user.id)  # logs carry hashed user ids only
            log.warning("daily summary for user %s failed: %s", who, type(error).__name__)
            return RunResult(user.id, local_date, "failed", reason)
        await self.store.finish_summary_run(user.id, local_date, "delivered")
        return RunResult(user.id, local_date, "delivered")
