"""GET /metrics after real turns through the web API: the right series, labels and counts."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from coworker.errors import ModelError
from coworker.llm.base import ModelRequest, ModelTurn, Usage
from coworker.observability import metrics as metrics_module
from coworker.observability.metrics import Metrics
from tests.observability.conftest import JANE, S, with_usage

Serve = Callable[..., httpx.Client]
EMAIL = {"lead_id": JANE, "subject": "Pricing", "body_text": "Hi Jane, here is our pricing."}


def scrape(client: httpx.Client) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    values = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            values[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return values


def value(
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_a_turn_shows_turn_model_tool_and_token_series(serve: Serve) -> None:
    client = serve(
        [
            with_usage(S.tool_calls(("search_leads", {"search": "jane"})), Usage(100, 20, 50, 10)),
            with_usage(S.text("Jane is at Acme."), Usage(150, 30, 60, 0)),
        ]
    )
    assert client.post("/api/chat", json={"message": "who is jane?"}).status_code == 200
    samples = scrape(client)

    turns = "coworker_turn_duration_seconds_count"
    assert value(samples, turns, channel="web", outcome="end_turn") == 1
    assert (
        value(samples, "coworker_turn_duration_seconds_sum", channel="web", outcome="end_turn") > 0
    )
    model = "coworker_model_request_duration_seconds_count"
    assert value(samples, model, model="scripted", outcome="ok") == 2
    tools = "coworker_tool_calls_total"
    assert value(samples, tools, tool="search_leads", outcome="ok") == 1
    tokens = "coworker_model_tokens_total"
    assert value(samples, tokens, kind="input") == 250
    assert value(samples, tokens, kind="output") == 50
    assert value(samples, tokens, kind="cache_read") == 110
    assert value(samples, tokens, kind="cache_write") == 10
    assert not [k for k, v in samples.items() if k[0] == "coworker_errors_total" and v]
    assert "process_resident_memory_bytes" in {name for name, _ in samples}


def test_pending_actions_by_status_follow_a_send(
    serve: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each scrape counts afresh here (the app caches the counts for 15 s; see
    # test_pending_gauge.py).
    monkeypatch.setattr(metrics_module, "ACTION_COUNTS_MAX_AGE", 0.0)
    client = serve([S.tool_calls(("send_email", EMAIL)), S.text("Sent it.")])
    action = client.post("/api/chat", json={"message": "email Jane"}).json()["actions"][0]
    samples = scrape(client)
    assert value(samples, "coworker_pending_actions", status="pending") == 1
    assert value(samples, "coworker_pending_actions", status="succeeded") == 0
    tools = "coworker_tool_calls_total"
    assert value(samples, tools, tool="send_email", outcome="confirmation_required") == 1
    assert value(samples, tools, tool="send_email", outcome="ok") == 0
    turns = "coworker_turn_duration_seconds_count"
    assert value(samples, turns, channel="web", outcome="confirmation") == 1

    assert client.post(f"/api/actions/{action['id']}/approve", json={}).status_code == 200
    samples = scrape(client)
    assert value(samples, "coworker_pending_actions", status="pending") == 0
    assert value(samples, "coworker_pending_actions", status="succeeded") == 1
    assert value(samples, tools, tool="send_email", outcome="ok") == 1
    assert value(samples, turns, channel="web", outcome="end_turn") == 1


def test_model_failures_and_bad_tool_input_are_counted(serve: Serve) -> None:
    def fail(_: ModelRequest) -> ModelTurn:
        raise ModelError("the Claude API did not answer in time", retryable=True)

    client = serve([S.tool_calls(("get_lead", {"lead_id": 42})), fail])
    assert client.post("/api/chat", json={"message": "jane?"}).status_code == 200
    samples = scrape(client)
    assert value(samples, "coworker_errors_total", kind="model") == 1
    model = "coworker_model_request_duration_seconds_count"
    assert value(samples, model, model="scripted", outcome="error") == 1
    tools = "coworker_tool_calls_total"
    assert value(samples, tools, tool="get_lead", outcome="invalid_input") == 1
    turns = "coworker_turn_duration_seconds_count"
    assert value(samples, turns, channel="web", outcome="error") == 1


def test_metrics_hold_no_content_or_user_ids_and_stay_out_of_the_schema(serve: Serve) -> None:
    client = serve([S.tool_calls(("search_leads", {"search": "zebra-9931"})), S.text("None.")])
    client.post("/api/chat", json={"message": "any PINEAPPLE-4471 leads?"})
    user_id = client.get("/api/me").json()["id"]
    body = client.get("/metrics").text
    for secret in ("zebra-9931", "PINEAPPLE-4471", user_id):
        assert secret not in body
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]


def test_each_metrics_has_its_own_registry() -> None:
    first, second = Metrics(), Metrics()  # the default registry would refuse the second
    first.tool_calls.labels("list_tags", "ok").inc()
    assert b'tool="list_tags"' in first.exposition()
    assert b'tool="list_tags"' not in second.exposition()


def test_a_streamed_turn_is_counted_too(serve: Serve) -> None:
    client = serve([S.tool_calls(("list_tags", {})), S.text("Six tags.")])
    answer = client.post(
        "/api/chat", json={"message": "tags?"}, headers={"Accept": "text/event-stream"}
    )
    assert answer.status_code == 200 and "[DONE]" in answer.text
    samples = scrape(client)
    turns = "coworker_turn_duration_seconds_count"
    assert value(samples, turns, channel="web", outcome="end_turn") == 1
    assert value(samples, "coworker_tool_calls_total", tool="list_tags", outcome="ok") == 1
