"""Plans as replayable generators: the interpreter's way of being stateless.

A plan is straight-line code for one request: it yields a `Batch` of tool calls, receives
their results, and finally returns a `Reply`. The model keeps nothing between turns, so each
turn the plan is run again from the start and fed the results already in the transcript, in
order; the first batch with no recorded results is the next thing to ask the loop for. This
is deterministic replay (as in durable-workflow engines): the plan is a pure function of the
request, the clock and the results, so replaying it always retraces the same steps.

A plan that needs the person (which Chris? what should the email say?) raises `Stop` with a
`Reply` carrying a `Question`; the next message answers it and the same plan is replayed
with the answer filled in.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

from coworker.llm.offline.conversation import Result, Step, stale_change


@dataclass(frozen=True)
class Call:
    """One tool call; `checked`: a write that passed the trust check (`trust.write`)."""

    name: str
    input: dict[str, Any]
    checked: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Batch:
    """Tool calls to make together, and text to show before them (what will be sent)."""

    calls: tuple[Call, ...]
    say: str = ""


@dataclass(frozen=True)
class Option:
    """One answer a question offers: a record seen in a tool result, and how to show it."""

    id: str
    label: str
    record: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Question:
    """What the person is asked; `key` names the plan's slot the answer fills."""

    key: str
    kind: str  # "choice": pick one of `options`; "text": free text
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class Reply:
    text: str
    question: Question | None = None
    status: str = "done"  # done | asked | superseded | rejected | failed | ...


class Stop(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Raised inside a plan to end the turn with `reply` (usually a question)."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.text)
        self.reply = reply


Plan = Generator[Batch, list[Result], Reply]


def call(tool: str, /, say: str = "", **arguments: Any) -> Batch:
    """One call (None arguments left out), with optional text shown before it."""
    return Batch((Call(tool, {k: v for k, v in arguments.items() if v is not None}),), say)


def one(tool: str, /, **arguments: Any) -> Generator[Batch, list[Result], Result]:
    """`result = yield from one("get_lead", lead_id=...)`: a single call and its result."""
    results = yield call(tool, **arguments)
    return results[0]


def gated(tool: str, /, say: str = "", **arguments: Any) -> Generator[Batch, list[Result], Result]:
    """`result = yield from gated("send_sms", say, ...)`: a call that waits for approval.

    If the person approved it but what it acts on changed since the card (`stale`: the
    lead's phone, the mailbox, the sequence), nothing ran; it is proposed once more, saying
    what changed, so the person decides on a fresh card showing what it would do now. Once:
    a second change in a row is reported instead (the reply says what changed).
    """
    results = yield call(tool, say=say, **arguments)
    if results[0].decision != "stale":
        return results[0]
    fresh = (
        f"{stale_change(results[0])} Here it is again with what it would do now: approve it "
        "to go ahead, or cancel."
    )
    again = yield call(tool, say=fresh, **arguments)
    return again[0]


def many(calls: list[Call], say: str = "") -> Generator[Batch, list[Result], list[Result]]:
    if not calls:
        return []
    results = yield Batch(tuple(calls), say)
    return results


@dataclass(frozen=True)
class Emit:
    """The next thing to do: ask the loop to run these calls."""

    batch: Batch


@dataclass(frozen=True)
class Done:
    """The plan has finished (or stopped to ask); this is the reply."""

    reply: Reply


def replay(plan: Plan, steps: list[Step], diverged: Callable[[list[Step]], Reply]) -> Emit | Done:
    """Run `plan` against the recorded `steps`; what it wants next, or its reply.

    If the transcript's calls are not the ones the plan asks for (another model made them,
    or the person's data changed under us), `diverged` summarises what was recorded instead.
    """
    index = 0
    sent: list[Result] | None = None
    while True:
        try:
            batch = next(plan) if sent is None else plan.send(sent)
        except StopIteration as finished:
            reply = finished.value
            return Done(reply if isinstance(reply, Reply) else Reply(str(reply or "")))
        except Stop as stop:
            return Done(stop.reply)
        if index >= len(steps):
            return Emit(batch)
        recorded = steps[index]
        if [c.name for c in batch.calls] != [str(u.get("name")) for u in recorded.uses]:
            plan.close()
            return Done(diverged(steps))
        if any(r.decision == "missing" for r in recorded.results):
            plan.close()
            return Done(diverged(steps))
        sent = recorded.results
        index += 1
