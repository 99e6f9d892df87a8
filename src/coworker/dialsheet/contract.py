"""The Dialsheet contract, loaded once from `openapi.yaml` and resolved for use.

The sandbox validates every request with it, the client routes by its operation ids, and
the tool catalog is generated from it: one document, so the three cannot drift apart.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker

from coworker.dialsheet.profiles import EXTENSION, ToolProfile, parse_profile

JsonSchema = dict[str, Any]

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # "path" or "query"
    required: bool
    schema: JsonSchema
    description: str


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    body_schema: JsonSchema | None
    success_status: int
    response_key: str | None
    tags: tuple[str, ...] = field(default_factory=tuple)
    profile: ToolProfile = field(default_factory=ToolProfile)  # its `x-coworker` extension

    @property
    def path_params(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "path")

    @property
    def query_params(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "query")


class RequestInvalid(ValueError):
    """A request does not fit the contract; the message names the field and the rule."""


def _check_date_time(value: object) -> bool:
    if not isinstance(value, str) or not _RFC3339.match(value):
        return not isinstance(value, str)
    try:
        parse_datetime(value)
    except ValueError:
        return False
    return True


def _check_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def parse_day(value: Any) -> date | None:
    """The calendar day a date or timestamp field names (its first ten characters), or
    None when the CRM left it empty or malformed: readers skip such a record, not fail."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def parse_datetime(value: str) -> datetime:
    """Parse an RFC 3339 timestamp the way the contract defines it (a timezone is required)."""
    normalised = value.replace("t", "T").replace("z", "Z")
    if normalised[17:19] == "60":  # a leap second is valid RFC 3339; Python has no 60th second
        normalised = normalised[:17] + "59" + normalised[19:]
    parsed = datetime.fromisoformat(normalised)
    if parsed.tzinfo is None:
        raise ValueError("timestamp has no timezone")
    return parsed


FORMAT_CHECKER = FormatChecker(formats=("email", "uuid"))
FORMAT_CHECKER.checks("date-time")(_check_date_time)
FORMAT_CHECKER.checks("date")(_check_date)


class Contract:
    """The parsed contract with every `$ref` resolved."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.operations: dict[str, Operation] = {}
        for path, item in document["paths"].items():
            shared = item.get("parameters", [])
            for method, spec in item.items():
                if method == "parameters":
                    continue
                op = self._operation(path, method, spec, shared)
                self.operations[op.operation_id] = op
        self._validators: dict[int, Draft202012Validator] = {}

    def resolve(self, node: Any) -> Any:
        """Return a deep copy of `node` with every local `$ref` inlined."""
        if isinstance(node, dict):
            if "$ref" in node:
                target = self._lookup(node["$ref"])
                merged = {k: v for k, v in node.items() if k != "$ref"}
                resolved = self.resolve(target)
                if merged and isinstance(resolved, dict):
                    resolved = {**resolved, **self.resolve(merged)}
                return resolved
            return {k: self.resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [self.resolve(v) for v in node]
        return copy.deepcopy(node)

    def _lookup(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise ValueError(f"only local references are supported: {ref}")
        node: Any = self.document
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def _operation(
        self, path: str, method: str, spec: Mapping[str, Any], shared: list[Any]
    ) -> Operation:
        params = [self.resolve(p) for p in [*shared, *spec.get("parameters", [])]]
        body = None
        if "requestBody" in spec:
            body = self.resolve(spec["requestBody"]["content"]["application/json"]["schema"])
        success = min(int(code) for code in spec["responses"] if code.startswith("2"))
        response_schema = self.resolve(
            spec["responses"][str(success)]["content"]["application/json"]["schema"]
        )
        keys = [k for k in response_schema.get("required", []) if k != "total"]
        response_key = keys[0] if len(keys) == 1 else None
        return Operation(
            operation_id=spec["operationId"],
            method=method.upper(),
            path=path,
            summary=spec.get("summary", ""),
            description=spec.get("description", "").strip(),
            parameters=tuple(
                Parameter(
                    name=p["name"],
                    location=p["in"],
                    required=bool(p.get("required", False)),
                    schema=p["schema"],
                    description=p.get("description", ""),
                )
                for p in params
            ),
            body_schema=body,
            success_status=success,
            response_key=response_key,
            tags=tuple(spec.get("tags", [])),
            profile=parse_profile(spec.get(EXTENSION), spec["operationId"]),
        )

    def schema(self, name: str) -> JsonSchema:
        resolved: JsonSchema = self.resolve(self.document["components"]["schemas"][name])
        return resolved

    def validator(self, schema: JsonSchema) -> Draft202012Validator:
        key = id(schema)
        if key not in self._validators:
            self._validators[key] = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
        return self._validators[key]

    def validate_params(self, op: Operation, raw: Mapping[str, str]) -> dict[str, Any]:
        """Coerce path/query strings to the contract's types and check them."""
        values: dict[str, Any] = {}
        for param in op.parameters:
            if param.name not in raw:
                if param.required:
                    raise RequestInvalid(f"missing required parameter '{param.name}'")
                if "default" in param.schema:
                    values[param.name] = param.schema["default"]
                continue
            value = _coerce(raw[param.name], param.schema, param.name)
            error = _first_error(self.validator(param.schema), value)
            if error:
                raise RequestInvalid(f"parameter '{param.name}' {error}")
            values[param.name] = value
        return values

    def validate_body(self, op: Operation, body: Any) -> dict[str, Any]:
        if op.body_schema is None:
            return {}
        error = _first_error(self.validator(op.body_schema), body)
        if error:
            raise RequestInvalid(f"request body {error}")
        assert isinstance(body, dict)
        return body


def _coerce(raw: str, schema: JsonSchema, name: str) -> Any:
    kind = schema.get("type")
    if kind == "integer":
        if not re.fullmatch(r"-?\d{1,12}", raw):
            raise RequestInvalid(f"parameter '{name}' must be a whole number")
        return int(raw)
    if kind == "boolean":
        if raw.lower() not in {"true", "false"}:
            raise RequestInvalid(f"parameter '{name}' must be true or false")
        return raw.lower() == "true"
    return raw


def _first_error(validator: Draft202012Validator, value: Any) -> str | None:
    error = next(iter(sorted(validator.iter_errors(value), key=lambda e: list(e.path))), None)
    if error is None:
        return None
    where = ".".join(str(p) for p in error.absolute_path)
    prefix = f"field '{where}': " if where else ""
    # A pattern's own text means nothing to a caller; `x-error` says what it asks for.
    said = error.schema.get("x-error") if isinstance(error.schema, dict) else None
    return f"is invalid: {prefix}{said or error.message}"


@cache
def load_contract() -> Contract:
    """The packaged contract, parsed once per process."""
    text = resources.files("coworker.dialsheet").joinpath("openapi.yaml").read_text("utf-8")
    return Contract(yaml.safe_load(text))


def load_contract_file(path: Path | None) -> Contract:
    """The contract at `path` (a CRM's own, with its `x-coworker` profiles); the packaged one
    when None."""
    if path is None:
        return load_contract()
    return Contract(yaml.safe_load(path.read_text("utf-8")))


def contract_path() -> str:
    return str(resources.files("coworker.dialsheet").joinpath("openapi.yaml"))
