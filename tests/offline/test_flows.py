"""Multi-step behaviour the dev set cannot set up: no default mailbox, failures after approval,
expired and unknown outcomes, and replaying a transcript another model started."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from coworker.agent.context import system_prompt
from coworker.llm.base import ModelRequest
from coworker.llm.offline import OfflineModel
from coworker.sandbox.seed import demo_id
from coworker.tools.catalog import build_catalog
from coworker.tools.executor import CrmCaller, ToolExecutor
from tests.offline.driver import Driver, sandbox_executor

JANE = demo_id("lead", "northwind:jane-smith")
SECOND_MAILBOX = demo_id("email_account", "alex:secondary")


class NoDefaultMailbox:
    """The sandbox, except that none of the person's mailboxes is marked default."""

    def __init__(self, crm: CrmCaller) -> None:
        self.crm = crm

    async def call(self, operation_id: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
        data = await self.crm.call(operation_id, arguments)
        if operation_id == "list_email_accounts":
            data = {
                **data,
                "email_accounts": [{**a, "is_default": False} for a in data["email_accounts"]],
            }
        return data


async def test_asks_which_mailbox_when_there_is_no_default() -> None:
    async with sandbox_executor() as executor:
        crm = NoDefaultMailbox(executor.crm)
        driver = Driver(ToolExecutor(build_catalog(), crm), OfflineModel())
        first = await driver.say("email Jane about the pricing: it's 10k a year")
        assert [c[0] for c in first.calls] == ["search_leads", "send_email", "list_email_accounts"]
        assert "Which one should I send from?" in first.text
        assert "alex.rivera@northwind-mail.example" in first.text
        second = await driver.say("the second one")
        assert [c[0] for c in second.calls] == ["send_email"]
        assert second.calls[0][1]["email_account_id"] == SECOND_MAILBOX
        assert second.calls[0][1]["lead_id"] == JANE
        done = await driver.decide(approve=True)
        assert "Sent the email" in done.text


async def test_reports_a_failure_after_approval() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        await driver.say("enroll Jane Smith in the post-demo sequence")
        assert "Enrolled" in (await driver.decide(approve=True)).text
        await driver.say("enroll Jane Smith in the post-demo sequence")
        again = await driver.decide(approve=True)
        assert "already enrolled" in again.text


async def test_a_typed_no_leaves_the_card_waiting_and_says_how_to_cancel_it() -> None:
    """#15 item 3: a message never decides a card; the card's Cancel button does."""
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        await driver.say("text Jane: running late")
        seen = await driver.say("no, don't")
        assert seen.calls == []
        assert "still waiting" in seen.text and "Cancel" in seen.text
        assert [p.use["name"] for p in driver.pending] == ["send_sms"]


async def test_ids_only_come_from_results() -> None:
    """The driver raises InventedId otherwise; a long mixed session stays clean."""
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        for text in (
            "anyone at Acme?",
            "tag the third one as hot",
            "what deals does Marcus have",
            "move it to proposal",
            "done with the Initech follow-up",
            "log a note on Chris Parker: interested in the pilot",
            "what's overdue?",
        ):
            await driver.say(text)


def _request(messages: list[dict[str, Any]]) -> ModelRequest:
    from datetime import UTC, datetime

    system = system_prompt(
        user_name="Alex Rivera", timezone="UTC", now=datetime(2026, 11, 26, 12, tzinfo=UTC)
    )
    return ModelRequest(system=system, messages=messages, tools=build_catalog().definitions())


def _sms_transcript(result_text: str, is_error: bool) -> list[dict[str, Any]]:
    lead = {"id": JANE, "name": "Jane Smith", "company": "Acme Corp", "phone": "+1-555-000-1234"}
    import json

    return [
        {"role": "user", "content": [{"type": "text", "text": "text Jane: running late"}]},
        {
            "role": "assistant",
            "content": [
                {
                    "type": "tool_use",
                    "id": "toolu_a",
                    "name": "search_leads",
                    "input": {"search": "Jane"},
                }
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_a",
                    "content": json.dumps({"leads": [lead], "total": 1}),
                }
            ],
        },
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Here's the text I'll send."},
                {
                    "type": "tool_use",
                    "id": "toolu_b",
                    "name": "send_sms",
                    "input": {"lead_id": JANE, "message": "Running late"},
                },
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_b",
                    "content": result_text,
                    "is_error": is_error,
                }
            ],
        },
    ]


def _reply(messages: list[dict[str, Any]]) -> str:
    turn = asyncio.run(OfflineModel().complete(_request(messages)))
    assert turn.stop_reason == "end_turn"
    return "".join(b["text"] for b in turn.content if b["type"] == "text")


def test_outcome_texts() -> None:
    assert "Sent the text" in _reply(
        _sms_transcript('The person approved this. It was done. Result: {"sms":{"id":"x"}}', False)
    )
    assert "expired" in _reply(
        _sms_transcript(
            "Not executed: the approval request expired. Mention it if it still matters.", True
        )
    )
    unknown = _reply(
        _sms_transcript(
            "The person approved this. The CRM did not answer in time, so it is unknown whether"
            " this "
            "happened. It was NOT retried. Tell the person to check before trying again.",
            True,
        )
    )
    assert "couldn't confirm" in unknown and "not** retry" in unknown
    failed = _reply(
        _sms_transcript(
            "The person approved this. It failed and nothing was done: send_sms was rejected by"
            " the "
            "CRM: lead has no phone number. Fix the input, or ask the person.",
            True,
        )
    )
    assert "failed" in failed and "no phone number" in failed
    rejected = _reply(
        _sms_transcript(
            'The person rejected this action; it was NOT executed. Their reason: "too early".', True
        )
    )
    assert "too early" in rejected and "not" in rejected


def test_a_transcript_started_by_another_model_gets_a_summary() -> None:
    messages = [
        {"role": "user", "content": [{"type": "text", "text": "what's on my plate today?"}]},
        {
            "role": "assistant",
            "content": [{"type": "tool_use", "id": "toolu_c1", "name": "list_notes", "input": {}}],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_c1",
                    "content": '{"notes":[],"total":0}',
                }
            ],
        },
    ]
    assert _reply(messages).strip()
