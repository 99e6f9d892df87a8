"""Regressions found in review: the history window, approvers' keys, interrupted calls."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr

from coworker.agent.context import window
from coworker.agent.events import ActionDecided
from coworker.crm import RemoteDialsheet
from coworker.errors import DialsheetKeyMissing
from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.seed import DEMO_USERS, demo_id
from tests.agent.conftest import WorldFactory, assert_valid_transcript, pending_of

S = ScriptedModel
JANE = demo_id("lead", "northwind:jane-smith")
EMAIL = {"lead_id": JANE, "subject": "Pricing", "body_text": "Hi Jane."}


def _turn(n: int) -> list[dict[str, Any]]:
    """A user message holding the previous call's result *and* new text, then a new call."""
    user = [{"type": "tool_result", "tool_use_id": f"t{n - 1}", "content": "ok"}] if n else []
    return [
        {"role": "user", "content": [*user, {"type": "text", "text": f"message {n}"}]},
        {
            "role": "assistant",
            "content": [{"type": "tool_use", "id": f"t{n}", "name": "list_tags", "input": {}}],
        },
    ]


def test_the_window_never_starts_with_an_orphaned_tool_result() -> None:
    messages = [m for n in range(40) for m in _turn(n)]
    messages.append(
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": "t39", "content": "ok"}],
        }
    )
    shown = window(messages, limit=59)
    assert shown[0]["role"] == "user"
    assert all(b["type"] != "tool_result" for b in shown[0]["content"])
    assert_valid_transcript(shown)


async def test_an_approver_runs_the_action_with_the_requesters_key(
    make_world: WorldFactory,
) -> None:
    world = await make_world(
        [S.tool_calls(("send_email", EMAIL)), S.text("Sent.")], approvers="web:sam"
    )
    cid = await world.conversation()
    (action,) = pending_of(await world.say("email Jane", cid))
    sam = await world.runtime.store.ensure_user("web:sam")
    # Sam's own key would not own Alex's mailbox: the send must still run as Alex.
    vault = world.runtime.backend.vault
    await world.runtime.store.update_user(
        sam.id, dialsheet_key_encrypted=vault.encrypt(DEMO_USERS[1].key)
    )
    sam = await world.runtime.store.ensure_user("web:sam")
    events = [e async for e in world.coworker.approve(sam, action.id)]
    (decided,) = [e for e in events if isinstance(e, ActionDecided)]
    assert decided.action.status == "succeeded"
    assert (await world.crm("list_emails", lead_id=JANE))["total"] == 1


async def test_an_interrupted_write_is_not_reported_as_not_run(make_world: WorldFactory) -> None:
    world = await make_world([S.text("Checking.")])
    cid = await world.conversation()
    store = world.runtime.store
    await store.append_messages(
        cid, [{"role": "user", "content": [{"type": "text", "text": "add a tag"}]}]
    )
    use = {"type": "tool_use", "id": "toolu_cut", "name": "create_tag", "input": {"name": "vip"}}
    await store.append_messages(cid, [{"role": "assistant", "content": [use]}])
    await world.say("did that work?", cid)
    messages = await world.transcript(cid)
    result = messages[2]["content"][0]
    assert result["tool_use_id"] == "toolu_cut" and "may or may not have run" in result["content"]
    assert_valid_transcript(messages)


async def test_on_a_real_crm_only_the_local_user_may_use_the_shared_key(
    make_world: WorldFactory, tmp_path: Any
) -> None:
    world = await make_world([])
    settings = world.runtime.settings.model_copy(
        update={
            "dialsheet_base_url": "https://crm.example",
            "dialsheet_api_key": SecretStr("ds_shared"),
        }
    )
    backend = RemoteDialsheet(settings, world.runtime.backend.vault)
    await backend.open()
    try:
        local = await world.runtime.local_user()
        assert backend.client_for(local) is not None
        stranger = await world.runtime.store.ensure_user("web:someone")
        with pytest.raises(DialsheetKeyMissing):
            backend.client_for(stranger)
    finally:
        await backend.aclose()
