"""Recovery of approved actions whose process died while they ran.

Approving claims an action (pending -> executing, one conditional UPDATE) and then calls the
CRM; how it ended is written when the call returns. A process killed in between (SIGKILL,
the OOM killer, a lost node, a deploy that does not wait) writes nothing, and the action
would stay `executing` for good: approve and reject answer 409, `coworker actions reconcile`
has nothing to look up, and /metrics counts it forever.

So a claim is a lease. An action still `executing` `lease` after its claim (`decided_at`)
belongs to a process that is gone: it moves to `unknown` (the send may or may not have
reached the CRM), with its `action.recovered` audit event, in one conditional UPDATE ...
WHERE status = 'executing' AND decided_at < now - lease; of several replicas sweeping at
once, each action comes back to exactly one. That replica then reconciles it from the CRM's
history, as an `unknown` send is after a timeout: looked up, never sent again.

The lease must outlast the slowest call a live process can still be waiting on, or a slow
send would be declared unknown while it runs: by default it is derived from the CRM
settings (`executing_lease`). The sweep runs when the server starts and every
`recovery_interval_seconds`; `coworker actions reconcile ID` does the same for one action.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from coworker.agent.events import ActionView
from coworker.config import Settings
from coworker.errors import CoworkerError
from coworker.store.records import ActionRecord

if TYPE_CHECKING:
    from coworker.agent.service import Coworker
    from coworker.runtime import Runtime

log = logging.getLogger("coworker.recovery")

# DialsheetClient's default `backoff_max`: the longest wait between two attempts.
BACKOFF_MAX_SECONDS = 8.0
# After the claim an approval reads again what it will act on (one read per record the call
# names: at most two, a lead and a mailbox or a sequence), then sends: three CRM calls in a
# row, each with its own retries (ConfirmationGate._recheck, then _execute).
CALLS_PER_EXECUTION = 3
# Database writes around the call, a stalled event loop, clocks of replicas that differ.
MARGIN = timedelta(seconds=60)
RECOVERED = (
    "the coworker stopped (a crash or a restart) while this was running, so it is unknown "
    "whether it happened"
)


class ActionStillExecuting(CoworkerError):
    """Asked to reconcile an action that may still be running in a live process."""

    def __init__(self, action_id: str, claimed_at: datetime, lease: timedelta) -> None:
        free_at = (claimed_at + lease).isoformat(timespec="seconds")
        super().__init__(
            f"action {action_id} is still executing: it may still be running in another "
            f"process. If that process is gone it is recovered after its lease, at {free_at} "
            "(COWORKER_EXECUTING_LEASE_SECONDS)."
        )


def worst_case_call(settings: Settings) -> timedelta:
    """The longest one CRM call can keep a live process waiting: every attempt timing out
    (a POST that may have left is never retried, but connection failures and reads are),
    plus the longest backoff between attempts."""
    attempts = settings.dialsheet_max_retries + 1
    return timedelta(
        seconds=attempts * settings.dialsheet_timeout_seconds
        + settings.dialsheet_max_retries * BACKOFF_MAX_SECONDS
    )


def executing_lease(settings: Settings) -> timedelta:
    """COWORKER_EXECUTING_LEASE_SECONDS, or twice the worst-case CRM call plus a margin
    (with the defaults, 30 s timeout and 3 retries: 3 calls x 144 s + 60 s = 492 s)."""
    if settings.executing_lease_seconds is not None:
        return timedelta(seconds=settings.executing_lease_seconds)
    return CALLS_PER_EXECUTION * worst_case_call(settings) + MARGIN


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ActionRecovery:
    def __init__(
        self,
        coworker: Coworker,
        *,
        lease: timedelta,
        interval: float,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.coworker = coworker
        self.store = coworker.store
        self.gate = coworker.gate
        self.lease = lease
        self.interval = interval
        self.clock = clock

    @classmethod
    def from_runtime(cls, runtime: Runtime) -> ActionRecovery:
        settings = runtime.settings
        return cls(
            runtime.coworker,
            lease=executing_lease(settings),
            interval=settings.recovery_interval_seconds,
            clock=runtime.coworker.clock,
        )

    async def sweep(self) -> list[ActionRecord]:
        """Recover every action whose lease ran out, and reconcile each; returns them as
        they ended (`unknown`, or `succeeded` when the CRM's history shows the send)."""
        now = self.clock()
        recovered = await self.store.recover_actions(
            claimed_before=now - self.lease, now=now, error=RECOVERED
        )
        return [await self._settle(record) for record in recovered]

    async def run_forever(self) -> None:
        """Sweep now (start-up), then every `interval` until cancelled. A failing sweep (the
        database away) is logged and the next one tries again: it never stops the server."""
        log.info(
            "action recovery: every %g s, an action executing for over %.0f s is recovered",
            self.interval,
            self.lease.total_seconds(),
        )
        while True:
            try:
                await self.sweep()
            except Exception:
                log.exception("action recovery failed; retrying in %g s", self.interval)
            await asyncio.sleep(self.interval)

    async def reconcile(self, user_id: str, aliases: tuple[str, ...], action_id: str) -> ActionView:
        """`coworker actions reconcile`: an action left `executing` past its lease is
        recovered first; one still inside it is refused (it may be running elsewhere)."""
        record = await self.gate.get(action_id)
        self.gate.check_decider(record, user_id, *aliases)
        if record.status == "executing":
            now = self.clock()
            moved = await self.store.recover_actions(
                claimed_before=now - self.lease, now=now, error=RECOVERED, action_id=action_id
            )
            if moved:
                return self.gate.view(await self._settle(moved[0]))
            record = await self.gate.get(action_id)
            if record.status == "executing":
                raise ActionStillExecuting(action_id, record.decided_at or now, self.lease)
        owner = await self.store.get_user(record.user_id)
        if owner is None:
            return self.gate.view(record)
        return self.gate.view(await self.gate.reconcile(record, self.coworker.executor(owner)))

    async def _settle(self, record: ActionRecord) -> ActionRecord:
        """Look a recovered action up in the CRM's history with its owner's key. Whatever
        goes wrong (no key, the CRM away), it stays `unknown`, as a timed-out send does."""
        try:
            owner = await self.store.get_user(record.user_id)
            if owner is None:
                raise LookupError(f"user {record.user_id} is gone")
            settled = await self.gate.reconcile(record, self.coworker.executor(owner))
        except Exception as error:
            log.warning(
                "action %s recovered: executing -> unknown (the CRM's history could not be "
                "checked: %s; `coworker actions reconcile %s` tries again)",
                record.id,
                type(error).__name__,
                record.id,
            )
            return record
        log.info(
            "action %s recovered: executing -> unknown -> %s (%s, claimed at %s)",
            record.id,
            settled.status,
            record.tool_name,
            record.decided_at.isoformat(timespec="seconds") if record.decided_at else "?",
        )
        return settled
