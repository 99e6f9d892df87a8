"""The generated catalog: complete, named right, described, small, and risk-rated."""

from __future__ import annotations

import copy
import json

import pytest

from coworker.dialsheet.contract import Contract, load_contract
from coworker.errors import ConfigError
from coworker.tools.catalog import TOOL_NAME, build_catalog
from coworker.tools.compact import MAX_RESULT_CHARS, compact
from coworker.tools.policy import ConfirmationPolicy, Risk

CATALOG = build_catalog()


def test_every_operation_is_a_tool_with_a_valid_name_and_description() -> None:
    operations = [tool for tool in CATALOG if not tool.derived]
    assert len(operations) == len(load_contract().operations) == 24
    assert {tool.name for tool in CATALOG if tool.derived} == {
        "next_best_actions",
        "prep_brief",
        "activity_report",
        "pipeline_report",
    }
    for tool in CATALOG:
        assert TOOL_NAME.match(tool.name), tool.name
        assert len(tool.description) > 40, tool.name
        assert "our choice" not in tool.description.lower(), "provenance notes are for people"


def test_a_tool_without_description_or_with_a_bad_name_fails_the_build() -> None:
    document = copy.deepcopy(load_contract().document)
    document["paths"]["/api/v1/tags"]["get"].pop("description")
    document["paths"]["/api/v1/tags"]["get"].pop("summary")
    with pytest.raises(ValueError, match="no description"):
        build_catalog(Contract(document))
    document = copy.deepcopy(load_contract().document)
    document["paths"]["/api/v1/tags"]["get"]["operationId"] = "list tags!"
    with pytest.raises(ValueError, match="invalid or repeated"):
        build_catalog(Contract(document))


def test_the_catalog_stays_under_3000_tokens_plus_400_for_the_derived_tools() -> None:
    tokens = CATALOG.estimated_tokens()
    derived = sum(
        len(json.dumps(t.definition(), separators=(",", ":"))) // 4 for t in CATALOG if t.derived
    )
    print(f"\ncatalog: {len(CATALOG)} tools, ~{tokens} tokens (chars/4), {derived} derived")
    assert tokens - derived < 3000 and derived < 400


def test_inputs_are_flat_with_resource_named_ids_and_no_auth() -> None:
    get_lead = CATALOG.get("get_lead")
    enroll = CATALOG.get("enroll_in_sequence")
    update_task = CATALOG.get("update_task")
    assert get_lead and enroll and update_task
    assert get_lead.input_schema["required"] == ["lead_id"]
    assert set(enroll.input_schema["properties"]) == {"sequence_id", "lead_id"}
    assert {"task_id", "lead_id", "completed"} <= set(update_task.input_schema["properties"])
    assert update_task.to_api_arguments({"task_id": "t", "completed": True}) == {
        "id": "t",
        "completed": True,
    }
    serialized = CATALOG.serialized().lower()
    assert (
        "$ref" not in serialized
        and "authorization" not in serialized
        and "api_key" not in serialized
    )


def test_send_email_conveniences_are_declared_and_validation_keeps_the_contract() -> None:
    send = CATALOG.get("send_email")
    assert send is not None
    assert send.input_schema["required"] == ["subject", "body_text"]
    assert set(send.validation_schema["required"]) == {
        "email_account_id",
        "to_email",
        "subject",
        "body_text",
    }
    assert "maxLength" in json.dumps(send.validation_schema) and "maxLength" not in json.dumps(
        send.input_schema
    )


def test_risk_comes_from_the_contract() -> None:
    risks = {tool.name: tool.risk for tool in CATALOG}
    assert {n for n, r in risks.items() if r is Risk.OUTBOUND} == {
        "send_email",
        "send_sms",
        "enroll_in_sequence",
    }
    assert {n for n, r in risks.items() if r is Risk.DESTRUCTIVE} == {"delete_lead", "delete_task"}
    assert risks["search_leads"] is Risk.READ and risks["create_note"] is Risk.WRITE


def test_confirmation_policy_never_drops_below_the_default_silently() -> None:
    assert ConfirmationPolicy.from_names(["outbound", "destructive", "write"]).needs_confirmation(
        Risk.WRITE
    )
    with pytest.raises(ConfigError, match="COWORKER_ALLOW_UNCONFIRMED"):
        ConfirmationPolicy.from_names(["destructive"])
    relaxed = ConfirmationPolicy.from_names(["destructive"], allow_below_default=True)
    assert not relaxed.needs_confirmation(Risk.OUTBOUND)
    with pytest.raises(ConfigError, match="unknown risk"):
        ConfirmationPolicy.from_names(["outbound", "destructive", "scary"])


def test_compaction_keeps_what_people_need_and_caps_size() -> None:
    lead = {
        "id": "1",
        "name": "Jane",
        "company": "Acme",
        "email": "j@a.co",
        "phone": None,
        "status": "new",
        "title": None,
        "source": "web",
        "tags": ["hot"],
        "owner_id": "o",
        "created_at": "x",
        "updated_at": "y",
    }
    kept = build_catalog().kept_fields()  # the contract's `x-coworker: {compact: ...}`
    view = compact({"leads": [lead], "total": 30}, page=1, limit=1, fields=kept)
    assert view == {
        "leads": [
            {
                "id": "1",
                "name": "Jane",
                "company": "Acme",
                "email": "j@a.co",
                "status": "new",
                "tags": ["hot"],  # "who's tagged hot" is answered from the list (#16)
                "owner_id": "o",  # whose it is: "my leads" is never the team's (#18)
            }
        ],
        "total": 30,
        "page": 1,
        "has_more": True,
    }
    notes = [
        {"id": str(i), "lead_id": "1", "content": "x" * 5000, "created_at": "t"} for i in range(100)
    ]
    big = compact({"notes": notes, "total": 100}, page=1, limit=100, fields=kept)
    assert len(json.dumps(big)) <= MAX_RESULT_CHARS
    assert all(len(n["content"]) <= 240 for n in big["notes"]) and "note" in big
