"""The tool catalog, generated from the contract at start-up: no tool is written by hand.

Each operation becomes one tool with one flat input (path, query and body merged; a path's
`id` named after its resource, so `get_lead` takes `lead_id`). The model sees a slim schema
(types, enums, formats, descriptions); calls are validated against the full one, with every
length and pattern of the contract. An operation's profile (its `x-coworker` extension) may
relax inputs the service can fill in itself, without changing what reaches the API.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from coworker.dialsheet.contract import Contract, JsonSchema, Operation, load_contract
from coworker.dialsheet.profiles import Convenience, ToolProfile
from coworker.tools.derived.registry import DERIVED_TOOLS, DerivedTool
from coworker.tools.policy import DERIVED_RISK, Risk, risk_of

TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
_MODEL_KEYWORDS = ("type", "enum", "format", "description", "items", "properties", "required")
_PROVENANCE = re.compile(r"\s*\(our choice[^)]*\)|\s*Our choice[^.]*\.?", re.IGNORECASE)


def _for_model(text: str) -> str:
    """The contract notes where a value is our choice; the model needs only the meaning."""
    return " ".join(_PROVENANCE.sub("", text).split())


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    risk: Risk
    operation: Operation
    input_schema: JsonSchema  # what the model sees
    validation_schema: JsonSchema  # what a call must satisfy (the contract's every rule)
    renamed: dict[str, str] = field(default_factory=dict)  # tool input name -> API name
    # Computed by the service from several reads (tools/derived/), not one API operation.
    derived: bool = False

    @property
    def profile(self) -> ToolProfile:
        return self.operation.profile

    @property
    def label(self) -> str:
        """What a person calls it: "Send an email"."""
        return self.profile.label or self.operation.summary.rstrip(".") or self.name

    def definition(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "input_schema": self.input_schema,
        }

    def to_api_arguments(self, arguments: dict[str, Any]) -> dict[str, Any]:
        return {self.renamed.get(key, key): value for key, value in arguments.items()}


class ToolCatalog:
    def __init__(self, tools: list[Tool]) -> None:
        self._tools = {tool.name: tool for tool in tools}
        self._definitions: list[dict[str, Any]] | None = None
        self._kept: dict[str, tuple[str, ...]] | None = None

    def __iter__(self) -> Iterator[Tool]:
        return iter(self._tools.values())

    def __len__(self) -> int:
        return len(self._tools)

    def get(self, name: str) -> Tool | None:
        return self._tools.get(name)

    def definitions(self) -> list[dict[str, Any]]:
        """The model-facing definitions, built once and shared: treat them as read-only."""
        if self._definitions is None:
            self._definitions = [tool.definition() for tool in self]
        return self._definitions

    def kept_fields(self) -> dict[str, tuple[str, ...]]:
        """The fields each listed item keeps for the model, by the list's key in an answer
        (`leads`), as the list operations' profiles declare them (`compact`)."""
        if self._kept is None:
            self._kept = {
                tool.operation.response_key: tool.profile.compact
                for tool in self
                if tool.profile.compact is not None and tool.operation.response_key
            }
        return self._kept

    def serialized(self) -> str:
        return json.dumps(self.definitions(), separators=(",", ":"))

    def estimated_tokens(self) -> int:
        """Characters / 4: the usual estimate for English text and JSON."""
        return len(self.serialized()) // 4


def _resource_id_name(path: str) -> str:
    """`/api/v1/leads/{id}` -> `lead_id`; `/api/v1/sequences/{id}/enroll` -> `sequence_id`."""
    parts = [p for p in path.split("/") if p]
    resource = parts[parts.index("{id}") - 1]
    singular = resource[:-3] + "y" if resource.endswith("ies") else resource.removesuffix("s")
    return singular.replace("-", "_") + "_id"


def _slim(schema: JsonSchema) -> JsonSchema:
    """Keep what helps the model choose values; lengths and patterns stay in validation."""
    if "oneOf" in schema or "anyOf" in schema:
        options = schema.get("oneOf") or schema.get("anyOf") or []
        real = [o for o in options if o.get("type") != "null"]
        if len(real) == 1:
            option = _slim(real[0])
            if len(real) < len(options):
                option["type"] = [option.get("type", "string"), "null"]
            if "description" in schema:
                option["description"] = _for_model(schema["description"])
            return option
    slim: JsonSchema = {}
    for key in _MODEL_KEYWORDS:
        if key not in schema:
            continue
        value = schema[key]
        if key == "properties":
            value = {name: _slim(sub) for name, sub in value.items()}
        elif key == "items":
            value = _slim(value)
        elif key == "description":
            value = _for_model(value)
            if not value:
                continue
        slim[key] = value
    return slim


def _describe(operation: Operation, convenience: Convenience | None) -> str:
    text = _for_model(operation.description or operation.summary)
    if convenience:
        text = f"{text} {convenience.note}"
    return text


def _build_tool(operation: Operation) -> Tool:
    properties: dict[str, JsonSchema] = {}
    required: list[str] = []
    renamed: dict[str, str] = {}
    for param in operation.parameters:
        name = _resource_id_name(operation.path) if param.name == "id" else param.name
        if name != param.name:
            renamed[name] = param.name
        schema = {k: v for k, v in param.schema.items() if k != "default"}
        if param.description and "description" not in schema:
            schema["description"] = param.description
        properties[name] = schema
        if param.required:
            required.append(name)
    body = operation.body_schema or {}
    for name, schema in body.get("properties", {}).items():
        if name in properties:
            raise ValueError(
                f"{operation.operation_id}: input '{name}' is both a parameter and a body field"
            )
        properties[name] = schema
    required += body.get("required", [])
    validation: JsonSchema = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        validation["required"] = required
    if body.get("minProperties"):
        # An update needs at least one field besides the id it targets.
        validation["minProperties"] = len(operation.path_params) + body["minProperties"]

    convenience = operation.profile.convenience
    model_required = [r for r in required if not convenience or r not in convenience.optional]
    shown = _slim({"type": "object", "properties": properties})
    if model_required:
        shown["required"] = model_required
    return Tool(
        name=operation.operation_id,
        description=_describe(operation, convenience),
        risk=risk_of(operation),
        operation=operation,
        input_schema=shown,
        validation_schema=validation,
        renamed=renamed,
    )


def _derived(spec: DerivedTool) -> Tool:
    """A derived tool as a `Tool`: its own operation that no CRM serves (a GET in the
    derived namespace: it only reads), validated by its own schema like any other."""
    operation = Operation(
        operation_id=spec.name,
        method="GET",
        path=f"/derived/{spec.name}",
        summary=spec.label,
        description=spec.description,
        parameters=(),
        body_schema=None,
        success_status=200,
        response_key=None,
        tags=("derived",),
        profile=ToolProfile(activity=spec.activity),
    )
    shown = _slim(spec.input_schema)
    return Tool(
        name=spec.name,
        description=spec.description,
        risk=DERIVED_RISK,
        operation=operation,
        input_schema=shown,
        validation_schema=spec.input_schema,
        derived=True,
    )


def build_catalog(contract: Contract | None = None) -> ToolCatalog:
    """Every operation of the contract as a tool, and every derived tool whose reads the
    contract has; refuses names a model API would reject."""
    contract = contract or load_contract()
    tools = [_build_tool(op) for op in contract.operations.values()]
    tools += [
        _derived(spec)
        for spec in DERIVED_TOOLS
        if all(op in contract.operations for op in spec.reads)
    ]
    seen: set[str] = set()
    for tool in tools:
        if not TOOL_NAME.match(tool.name) or tool.name in seen:
            raise ValueError(f"tool name {tool.name!r} is invalid or repeated")
        if not tool.description:
            raise ValueError(f"tool {tool.name} has no description")
        seen.add(tool.name)
    return ToolCatalog(tools)
