"""The web API's answers are described in its OpenAPI document (`/docs`): each endpoint names
its response model, and the streaming ones say they also speak text/event-stream."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coworker.config import Settings
from coworker.server import create_app

ANSWERS = {
    ("post", "/api/chat"): "ChatReply",
    ("post", "/api/actions/{action_id}/approve"): "ChatReply",
    ("post", "/api/actions/{action_id}/reject"): "ChatReply",
    ("get", "/api/conversations"): "ConversationsPage",
    ("get", "/api/conversations/{conversation_id}"): "ConversationPage",
    ("get", "/api/actions"): "ActionsPage",
    ("get", "/api/me"): "MeOut",
    ("put", "/api/me/dialsheet-key"): "KeyConnected",
    ("get", "/api/me/settings"): "SummarySettingsOut",
    ("put", "/api/me/settings"): "SummarySettingsOut",
    ("post", "/api/feedback"): "FeedbackOut",
}


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    data: Path = tmp_path_factory.mktemp("schema")
    settings = Settings(
        data_dir=data,
        database_url=f"sqlite+aiosqlite:///{data / 'coworker.db'}",
        sandbox_database_url="sqlite+aiosqlite://",
    )
    document: dict[str, Any] = create_app(settings).openapi()
    return document


@pytest.mark.parametrize(("method", "path"), list(ANSWERS))
def test_each_answer_has_its_model(spec: dict[str, Any], method: str, path: str) -> None:
    content = spec["paths"][path][method]["responses"]["200"]["content"]
    model = ANSWERS[(method, path)]
    assert content["application/json"]["schema"]["$ref"] == f"#/components/schemas/{model}"
    assert ("text/event-stream" in content) == (model == "ChatReply")


def test_an_action_shows_the_card_a_client_renders(spec: dict[str, Any]) -> None:
    action = spec["components"]["schemas"]["ActionOut"]["properties"]
    assert {"label", "card", "outcome", "status", "input", "editable"} <= set(action)
    card = spec["components"]["schemas"]["CardFieldOut"]["properties"]
    assert set(card) == {"key", "label", "value", "editable", "multiline"}
