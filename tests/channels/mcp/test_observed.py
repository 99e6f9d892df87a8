"""MCP calls are counted and logged like the agent's own, waiting ones included."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from coworker.observability.context import hash_user
from coworker.observability.logs import JsonFormatter
from tests.channels.mcp.conftest import EMAIL, ServeMcp


@pytest.fixture
def tool_lines() -> Iterator[io.StringIO]:
    """The tool-call and request lines, formatted as `serve` writes them (context ids too)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(name) for name in ("coworker.tools", "coworker.http")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)


def _lines(stream: io.StringIO, message: str = "tool call") -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    return [line for line in lines if line["message"] == message]


def _tool_calls(metrics: str, tool: str, outcome: str) -> float:
    for family in text_string_to_metric_families(metrics):
        for sample in family.samples:
            if sample.name == "coworker_tool_calls_total" and sample.labels == {
                "tool": tool,
                "outcome": outcome,
            }:
                return sample.value
    return 0.0


async def test_a_waiting_call_is_counted_and_logged_without_content(
    serve_mcp: ServeMcp, tool_lines: io.StringIO
) -> None:
    async with serve_mcp() as server:
        async with server.client() as client:
            pending = await client.call_tool("send_email", EMAIL)
            await client.call_tool("send_sms", {})  # invalid: counted before it could wait
            await client.call_tool("list_tags", {})
        metrics = (await server.http.get("/metrics")).text
        user_id = (await server.http.get("/api/me")).json()["id"]
    assert pending.structured_content is not None
    action_id = pending.structured_content["action"]["id"]

    assert _tool_calls(metrics, "send_email", "confirmation_required") == 1
    assert _tool_calls(metrics, "send_sms", "invalid_input") == 1
    assert _tool_calls(metrics, "list_tags", "ok") == 1

    lines = {line["tool"]: line for line in _lines(tool_lines)}
    waiting = lines["send_email"]
    assert waiting["outcome"] == "confirmation_required" and waiting["action_id"] == action_id
    assert waiting["channel"] == "mcp" and waiting["user"] == hash_user(user_id)
    assert "duration_ms" in waiting
    assert lines["send_sms"]["outcome"] == "invalid_input"
    assert lines["list_tags"]["user"] == hash_user(user_id)  # the executor's line, same person
    mcp_requests = [line for line in _lines(tool_lines, "request") if line["path"] == "/mcp"]
    assert mcp_requests and all(line["user"] == hash_user(user_id) for line in mcp_requests)
    text = tool_lines.getvalue()
    assert "input" not in waiting and "Pricing" not in text and "jane@acme.com" not in text
    assert user_id not in text


async def test_with_content_logging_the_waiting_input_is_logged(
    serve_mcp: ServeMcp, tool_lines: io.StringIO
) -> None:
    async with serve_mcp(log_content=True) as server, server.client() as client:
        await client.call_tool("send_email", EMAIL)
    (waiting,) = [line for line in _lines(tool_lines) if line["tool"] == "send_email"]
    assert waiting["input"]["subject"] == "Pricing"
