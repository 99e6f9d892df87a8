"""Whatever arrives, the offline model answers: a valid turn, never an exception.

Empty, huge (20,000+ characters), emoji-only, non-English and junk messages; odd transcripts
(no system prompt, results without calls, another model's tool calls); and the same request
always gives the same turn.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from coworker.agent.context import system_prompt
from coworker.llm.base import ModelRequest, ModelTurn, TextDelta
from coworker.llm.offline import OfflineModel
from coworker.llm.offline.interpreter import interpret
from coworker.llm.offline.model import FALLBACK
from coworker.tools.catalog import build_catalog
from tests.offline.driver import Driver, sandbox_executor

CATALOG = build_catalog()
TOOLS = {t["name"]: t for t in CATALOG.definitions()}
SYSTEM = system_prompt(
    user_name="Alex Rivera",
    timezone="America/New_York",
    now=__import__("datetime").datetime(2026, 11, 26, 16, 30, tzinfo=__import__("datetime").UTC),
)


def request(*messages: dict[str, Any], system: str = SYSTEM) -> ModelRequest:
    return ModelRequest(system=system, messages=list(messages), tools=list(TOOLS.values()))


def user(text: str) -> dict[str, Any]:
    return {"role": "user", "content": [{"type": "text", "text": text}]}


def turn_of(req: ModelRequest) -> ModelTurn:
    interpret(req)  # the interpreter itself must not raise (the model would hide it)
    events = asyncio.run(_collect(req))
    assert isinstance(events[-1], ModelTurn)
    assert all(isinstance(e, TextDelta) for e in events[:-1])
    assert FALLBACK not in str(events[-1].content)
    return events[-1]


async def _collect(req: ModelRequest) -> list[Any]:
    return [event async for event in OfflineModel().stream(req)]


def check_turn(turn: ModelTurn) -> None:
    assert turn.stop_reason in ("end_turn", "tool_use")
    assert turn.content, "a turn always says or does something"
    uses = [b for b in turn.content if b["type"] == "tool_use"]
    texts = [b for b in turn.content if b["type"] == "text"]
    assert all(b["text"].strip() for b in texts)
    if turn.stop_reason == "tool_use":
        assert uses
    else:
        assert texts and not uses
    for use in uses:
        assert use["name"] in TOOLS, use["name"]
        assert isinstance(use["input"], dict)
        errors = list(
            Draft202012Validator(TOOLS[use["name"]]["input_schema"]).iter_errors(use["input"])
        )
        assert not errors, (use, errors)
        assert use["id"].startswith("toolu_")


HUGE = ("We talked through the rollout plan in detail and agreed next steps. " * 400)[:24_000]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t  ",
        "🙂🙂🙂",
        "👍",
        "🔥🔥 !!! ???",
        "...",
        "?",
        "12345",
        "¿Puedes mostrarme mis tareas para hoy?",
        "Bonjour, montre-moi mes tâches",
        "请告诉我今天的任务",
        "покажи мои задачи на сегодня",
        "أرني مهامي لليوم",
        "今日のタスクを見せて",
        HUGE,
        "email " + HUGE,
        "log a note on Jane: " + HUGE,
        "x" * 30_000,
        "a " * 15_000,
        "Robert'); DROP TABLE leads;--",
        "<script>alert('hi')</script>",
        "\x00\x01\x02 control \x7f chars",
        "mark as qualified",
        "email",
        "text",
        "delete",
        "remind me to",
        "new deal for , , ,",
        "move it to negotiation",
        "the second one",
        "yes",
        "no",
        "tomorrow at 25:99",
        "remind me to call Jane on 2026-02-30",
        "remind me on 13/45 to call",
        "email jane@ about stuff:",
        "text +1 (555) 000-1234: hello",
        'email "Jane Smith" with subject "" and body ""',
        "new lead: , , , ,",
        "deal for Acme worth 999999999999999 dollars",
        "call call call call call",
        "JANE SMITH JANE SMITH JANE SMITH",
    ],
)
def test_any_message_gets_a_valid_turn(text: str) -> None:
    turn = turn_of(request(user(text)))
    check_turn(turn)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_random_text_never_breaks_it(text: str) -> None:
    check_turn(turn_of(request(user(text))))


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "email",
                "text",
                "Jane",
                "Chris",
                "tomorrow",
                "at",
                "10",
                "deal",
                "12k",
                "mark",
                "as",
                "qualified",
                "note",
                ":",
                "done",
                "with",
                "the",
                "Acme",
                "follow-up",
                "her",
                "it",
                "to",
                "negotiation",
                "remind",
                "me",
                "task",
                "show",
                "leads",
                "new",
                "delete",
                "sequence",
                "nurture",
                "?",
                "!",
                "saying",
                "hi",
            ]
        ),
        max_size=14,
    )
)
def test_random_word_salad_never_breaks_it(words: list[str]) -> None:
    check_turn(turn_of(request(user(" ".join(words)))))


def test_odd_transcripts() -> None:
    orphan_result = {
        "role": "user",
        "content": [
            {"type": "tool_result", "tool_use_id": "toolu_x", "content": "{}"},
            {"type": "text", "text": "show my tasks"},
        ],
    }
    foreign_call = [
        user("what's on my plate?"),
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Let me look."},
                {
                    "type": "tool_use",
                    "id": "toolu_claude_1",
                    "name": "list_tasks",
                    "input": {"completed": False},
                },
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_claude_1",
                    "content": "not json at all",
                },
            ],
        },
    ]
    cases = [
        request(),
        request(user("help"), system=""),
        request(
            user("remind me to call Jane tomorrow"), system="Today is nonsense in Mars/Olympus"
        ),
        request(orphan_result),
        request(*foreign_call),
        request({"role": "user", "content": "plain string content: show my tasks"}),
        request({"role": "assistant", "content": [{"type": "text", "text": "Hi!"}]}, user("hi")),
        request(
            user("email Jane"),
            {"role": "assistant", "content": [{"type": "text", "text": "What should it say?"}]},
            user(""),
        ),
    ]
    for req in cases:
        check_turn(turn_of(req))


def test_deterministic_and_stateless() -> None:
    req = request(user("remind me to call Jane tomorrow at 10"))
    model = OfflineModel()
    first = asyncio.run(model.complete(req))
    again = asyncio.run(OfflineModel().complete(req))
    assert json.dumps(first.content, sort_keys=True) == json.dumps(again.content, sort_keys=True)


def test_the_clock_comes_from_the_system_prompt() -> None:
    """Tomorrow at 10 in New York, from the date and timezone the system prompt states."""
    found = asyncio.run(
        OfflineModel().complete(request(user("remind me to prep the QBR deck tomorrow at 10")))
    )
    use = next(b for b in found.content if b["type"] == "tool_use")
    assert use["input"]["due_date"] == "2026-11-27T10:00:00-05:00"


def test_now_override() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    model = OfflineModel(now=datetime(2026, 3, 7, 12, 0, tzinfo=ZoneInfo("America/New_York")))
    found = asyncio.run(
        model.complete(request(user("remind me to prep the QBR deck tomorrow at 10")))
    )
    use = next(b for b in found.content if b["type"] == "tool_use")
    assert use["input"]["due_date"] == "2026-03-08T10:00:00-04:00"


@pytest.mark.parametrize(
    "text", ["", "🙂", HUGE, "email Jane: " + HUGE[:19_000], "请告诉我今天的任务"]
)
async def test_junk_through_the_loop(text: str) -> None:
    """Against the sandbox too: a sensible reply, and any call it makes is valid."""
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel(), timezone="UTC")
        seen = await driver.say(text)
        assert seen.text.strip()
        assert not seen.errors, seen.errors
