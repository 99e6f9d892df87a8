"""Interpretation time of the offline model, per model turn, on the dev set.

Every dev-set case is first played once through the stand-in loop over the in-process
sandbox (tests/offline/driver.py), recording each request the model receives: the first turn
of each message, and the follow-up turns that carry real (compacted) tool results. Then
`OfflineModel.stream` is timed on each recorded request, `--repeat` times, with nothing else
in the measurement (no CRM, no store): cold (the interpreter's caches cleared before every
call) and warm (as in a running server). Target: p50 <= 2 ms.

Run: `.venv/bin/python -m bench.offline_interpret [--repeat 20]`.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import gc
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tests.offline.devset import load_cases
from tests.offline.driver import Driver, sandbox_executor

from bench.harness import summary_ms
from coworker.llm.base import Model, ModelEvent, ModelRequest
from coworker.llm.offline import OfflineModel
from coworker.llm.offline.caches import clear_caches


class Recorder(Model):
    """Passes turns through to the offline model and keeps a copy of every request."""

    name = "recorder"

    def __init__(self, inner: Model) -> None:
        self.inner = inner
        self.requests: list[ModelRequest] = []

    async def stream(self, request: ModelRequest) -> AsyncIterator[ModelEvent]:
        self.requests.append(copy.deepcopy(request))
        async for event in self.inner.stream(request):
            yield event


def _is_first_turn(request: ModelRequest) -> bool:
    """The last message is the person's text (not tool results): a new message's first turn."""
    last = request.messages[-1]
    return any(block.get("type") == "text" for block in last["content"]) and not any(
        block.get("type") == "tool_result" for block in last["content"]
    )


async def record() -> list[ModelRequest]:
    recorder = Recorder(OfflineModel())
    for case in load_cases():
        now = datetime.now(UTC).astimezone(ZoneInfo(case.timezone))
        async with sandbox_executor() as executor:
            driver = Driver(executor, recorder, timezone=case.timezone, now=now)
            for turn in case.turns:
                if turn.say is not None:
                    await driver.say(turn.say)
                elif driver.pending:
                    await driver.decide(approve=turn.decide == "approve", reason=turn.reason)
    return recorder.requests


async def _time(
    model: OfflineModel, requests: list[ModelRequest], repeat: int, *, cold: bool
) -> list[float]:
    """Samples in seconds; `cold` clears the interpreter's caches before every call, so
    nothing learnt from an earlier turn (or an earlier repeat) helps."""
    samples = []
    for _ in range(repeat):
        for request in requests:
            if cold:
                clear_caches()
            started = time.perf_counter()
            async for _event in model.stream(request):
                pass
            samples.append(time.perf_counter() - started)
    return samples


async def run(repeat: int) -> dict[str, object]:
    requests = await record()
    first = [r for r in requests if _is_first_turn(r)]
    follow = [r for r in requests if not _is_first_turn(r)]
    model = OfflineModel()
    await _time(model, requests, 1, cold=False)  # warm-up: imports, regex compilation
    gc.collect()
    first_cold = await _time(model, first, repeat, cold=True)
    follow_cold = await _time(model, follow, repeat, cold=True)
    warm = await _time(model, requests, repeat, cold=False)
    return {
        "benchmark": "OfflineModel.stream per model turn, dev set (evals/offline_devset.yaml)",
        "requests": len(requests),
        "first_turns": len(first),
        "follow_up_turns": len(follow),
        "repeat": repeat,
        "all_cold": summary_ms(first_cold + follow_cold),
        "first_turn_cold": summary_ms(first_cold),
        "follow_up_cold": summary_ms(follow_cold),
        "all_warm": summary_ms(warm),
        "target_p50_ms": 2.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.repeat)), indent=2))


if __name__ == "__main__":
    main()
