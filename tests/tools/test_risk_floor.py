"""A contract may add risk to an operation, never remove it (tools/policy.py).

DIALSHEET_CONTRACT can point at a CRM's own OpenAPI file, which has no `x-coworker`
profiles; a send must still wait for approval, and a profile that calls a delete a plain
write must stop the service from starting rather than delete without a card.
"""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any

import pytest
import yaml

from coworker.dialsheet.contract import Contract
from coworker.errors import ConfigError
from coworker.tools.catalog import ToolCatalog, build_catalog
from coworker.tools.policy import Risk


def _document() -> dict[str, Any]:
    text = resources.files("coworker.dialsheet").joinpath("openapi.yaml").read_text("utf-8")
    document: dict[str, Any] = yaml.safe_load(text)
    return copy.deepcopy(document)


def _risk(catalog: ToolCatalog, name: str) -> Risk:
    tool = catalog.get(name)
    assert tool is not None, name
    return tool.risk


def _operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        op["operationId"]: op
        for item in document["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }


def test_a_contract_without_profiles_keeps_every_send_and_delete_waiting() -> None:
    document = _document()
    for op in _operations(document).values():
        op.pop("x-coworker", None)
    catalog = build_catalog(Contract(document))
    for name in ("send_email", "send_sms", "enroll_in_sequence"):
        assert _risk(catalog, name) is Risk.OUTBOUND, name
    for name in ("delete_lead", "delete_task"):
        assert _risk(catalog, name) is Risk.DESTRUCTIVE, name
    assert _risk(catalog, "create_task") is Risk.WRITE


@pytest.mark.parametrize(
    ("operation", "lowered"),
    [("send_sms", "write"), ("send_email", "read"), ("delete_lead", "write")],
)
def test_a_profile_that_lowers_risk_refuses_to_start(operation: str, lowered: str) -> None:
    document = _document()
    profile = _operations(document)[operation].setdefault("x-coworker", {})
    profile["risk"] = lowered
    with pytest.raises(ConfigError, match="never remove it"):
        build_catalog(Contract(document))


def test_a_profile_may_raise_risk() -> None:
    document = _document()
    _operations(document)["create_task"]["x-coworker"] = {"risk": "outbound"}
    catalog = build_catalog(Contract(document))
    assert _risk(catalog, "create_task") is Risk.OUTBOUND
