"""Validate a tool call, fill in what the service can, call the CRM, and compact the answer.

Everything that goes wrong here becomes an `is_error` tool result that tells the model how to
fix its call or what to tell the person; nothing is raised at the person. The one exception
is an outbound call whose outcome is unknown: the confirmation gate owns that case.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from anthropic.types import ToolResultBlockParam

from coworker.dialsheet.contract import load_contract
from coworker.errors import (
    DialsheetConflict,
    DialsheetError,
    DialsheetNotFound,
    DialsheetOutcomeUnknown,
    DialsheetUnauthorized,
    DialsheetValidationError,
    ToolInputError,
)
from coworker.guards.mail import header_injection
from coworker.observability import record
from coworker.observability.logs import content_enabled, log_fields
from coworker.tools.catalog import Tool, ToolCatalog
from coworker.tools.compact import compact
from coworker.tools.derived.reader import Moment
from coworker.tools.derived.registry import run_derived
from coworker.tools.effect import Effect, UnknownReference, card_names, effect_of, missing

log = logging.getLogger("coworker.tools")

LOGGED_RESULT_CHARS = 2000  # with COWORKER_LOG_CONTENT=1: enough to debug, not a data dump


class CrmCaller(Protocol):
    async def call(self, operation_id: str, arguments: Mapping[str, Any]) -> dict[str, Any]: ...


@dataclass
class PreparedCall:
    """A validated, complete call: exactly what will run (and what a person approves)."""

    tool: Tool
    arguments: dict[str, Any]
    display: dict[str, str] = field(default_factory=dict)  # names for people: recipient, mailbox
    # What the CRM will act on, read when the card was made (tools/effect.py); None if the
    # call was prepared without a card (it runs at once, or is being re-prepared to run).
    effect: Effect | None = None


@dataclass
class ToolOutcome:
    content: str
    is_error: bool = False
    data: dict[str, Any] | None = None

    def block(self, tool_use_id: str) -> ToolResultBlockParam:
        block: ToolResultBlockParam = {
            "type": "tool_result",
            "tool_use_id": tool_use_id,
            "content": self.content,
        }
        if self.is_error:
            block["is_error"] = True
        return block


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _validation_message(tool: Tool, arguments: Any) -> str | None:
    validator = load_contract().validator(tool.validation_schema)
    errors = sorted(validator.iter_errors(arguments), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    problems = []
    for error in errors[:5]:
        where = ".".join(str(p) for p in error.absolute_path)
        problems.append(f"{where}: {error.message}" if where else error.message)
    return (
        f"Invalid input for {tool.name}: "
        + "; ".join(problems)
        + f". Fix the input and call again. Expected input: {_json(tool.input_schema)}"
    )


def describe_failure(tool_name: str, error: DialsheetError) -> str:
    """What the model should know about a CRM error, and what to do next."""
    said = error.api_message or error.message
    if isinstance(error, DialsheetNotFound):
        return (
            f"{tool_name} failed: {said} (HTTP 404). Check the id: look the record up with a "
            "search or list tool and use an id from its results; never guess ids."
        )
    if isinstance(error, DialsheetValidationError):
        return f"{tool_name} was rejected by the CRM: {said}. Fix the input, or ask the person."
    if isinstance(error, DialsheetConflict):
        return f"{tool_name}: {said}. It already exists, so nothing changed."
    if isinstance(error, DialsheetUnauthorized):
        return (
            "The CRM rejected this person's Dialsheet API key. Tell them to reconnect their "
            "key; do not retry."
        )
    return (
        f"The CRM is unavailable right now ({said}). Tell the person and suggest trying again "
        "shortly; do not retry in a loop."
    )


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ToolExecutor:
    def __init__(
        self,
        catalog: ToolCatalog,
        crm: CrmCaller,
        *,
        timezone: str = "UTC",
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        """`timezone` and `clock` are the person's: derived tools answer "yesterday" and
        "overdue" where the person is."""
        self.catalog = catalog
        self.crm = crm
        self.timezone = timezone
        self.clock = clock

    def moment(self) -> Moment:
        try:
            return Moment(self.timezone, self.clock())
        except (KeyError, ValueError):
            return Moment("UTC", self.clock())

    def tool(self, name: str) -> Tool:
        tool = self.catalog.get(name)
        if tool is None:
            known = ", ".join(t.name for t in self.catalog)
            raise ToolInputError(f"There is no tool named {name!r}. Available tools: {known}.")
        return tool

    async def prepare(self, name: str, arguments: Any, *, describe: bool = False) -> PreparedCall:
        """Validate and complete a call; `describe` also looks up names for a confirmation card."""
        tool = self.tool(name)
        if not isinstance(arguments, dict):
            raise ToolInputError(f"Input for {name} must be a JSON object.")
        call = PreparedCall(tool, dict(arguments))
        if name == "send_email":
            await self._complete_email(call)
        # The header check first: its message says why, where the contract's pattern cannot.
        problem = header_injection(call.arguments) or _validation_message(tool, call.arguments)
        if problem:
            raise ToolInputError(problem)
        if describe:
            await self._describe(call)
        return call

    async def run(self, call: PreparedCall) -> ToolOutcome:
        """Execute a prepared call; raises only `DialsheetOutcomeUnknown` (a send, no answer)."""
        if call.tool.derived:
            return await self._run_derived(call)
        arguments = call.tool.to_api_arguments(call.arguments)
        started = time.perf_counter()
        try:
            data = await self.crm.call(call.tool.name, arguments)
        except DialsheetOutcomeUnknown:
            self._observe(call.tool.name, "unknown", started, call.arguments, None)
            raise
        except DialsheetError as error:
            failed = ToolOutcome(describe_failure(call.tool.name, error), is_error=True)
            self._observe(call.tool.name, "error", started, call.arguments, failed)
            return failed
        page = int(arguments.get("page", 1))
        limit = arguments.get("limit")
        kept = self.catalog.kept_fields()
        outcome = ToolOutcome(_json(compact(data, page=page, limit=limit, fields=kept)), data=data)
        self._observe(call.tool.name, "ok", started, call.arguments, outcome)
        return outcome

    async def _run_derived(self, call: PreparedCall) -> ToolOutcome:
        """A derived tool computes its answer from several reads (tools/derived/); its
        result is already compact, and is kept whole as `data` for charts and tables."""
        started = time.perf_counter()
        try:
            data, _calls = await run_derived(
                call.tool.name, self.crm, self.moment(), call.arguments
            )
        except ToolInputError as error:
            invalid = ToolOutcome(error.message, is_error=True)
            self._observe(call.tool.name, "invalid_input", started, call.arguments, invalid)
            return invalid
        except DialsheetError as error:
            failed = ToolOutcome(describe_failure(call.tool.name, error), is_error=True)
            self._observe(call.tool.name, "error", started, call.arguments, failed)
            return failed
        outcome = ToolOutcome(_json(data), data=data)
        self._observe(call.tool.name, "ok", started, call.arguments, outcome)
        return outcome

    async def call_tool(self, name: str, arguments: Any) -> ToolOutcome:
        """Prepare and run in one go, for calls that need no approval."""
        started = time.perf_counter()
        label = name if self.catalog.get(name) is not None else "unknown_tool"
        try:
            call = await self.prepare(name, arguments)
        except ToolInputError as error:
            invalid = ToolOutcome(error.message, is_error=True)
            self._observe(label, "invalid_input", started, arguments, invalid)
            return invalid
        except DialsheetError as error:
            failed = ToolOutcome(describe_failure(name, error), is_error=True)
            self._observe(label, "error", started, arguments, failed)
            return failed
        try:
            return await self.run(call)
        except DialsheetOutcomeUnknown as error:
            return ToolOutcome(
                f"{name}: no answer from the CRM ({error.message}); it may or may not have "
                "happened. Check before trying again.",
                is_error=True,
            )

    def _observe(
        self, tool: str, outcome: str, started: float, arguments: Any, result: ToolOutcome | None
    ) -> None:
        """Count the call, and log it: name, outcome and time; input and result only when
        content logging is on (they are CRM data)."""
        record.tool_call(tool, outcome)
        fields: dict[str, Any] = {
            "tool": tool,
            "outcome": outcome,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        }
        if content_enabled():
            fields["input"] = arguments
            if result is not None:
                fields["result"] = result.content[:LOGGED_RESULT_CHARS]
        log.info("tool call", extra=log_fields(**fields))

    async def _complete_email(self, call: PreparedCall) -> None:
        """The declared conveniences of send_email: the mailbox and the recipient."""
        args = call.arguments
        if not args.get("email_account_id"):
            accounts = (await self.crm.call("list_email_accounts", {}))["email_accounts"]
            chosen = (
                accounts[0]
                if len(accounts) == 1
                else next((a for a in accounts if a.get("is_default")), None)
            )
            if chosen is None:
                listed = ", ".join(f"{a['email']} (id {a['id']})" for a in accounts) or "none"
                raise ToolInputError(
                    "The person has no default mailbox; ask which one to send from and pass "
                    f"its id as email_account_id. Mailboxes: {listed}."
                )
            args["email_account_id"] = chosen["id"]
        if not args.get("to_email"):
            if not args.get("lead_id"):
                raise ToolInputError("send_email needs to_email, or a lead_id whose email is used.")
            lead = await self._lead(args["lead_id"])
            if not lead.get("email"):
                raise ToolInputError(
                    f"Lead {lead['name']} has no email address. Ask the person for one."
                )
            args["to_email"] = lead["email"]

    async def _lead(self, lead_id: str) -> dict[str, Any]:
        try:
            lead: dict[str, Any] = (await self.crm.call("get_lead", {"id": lead_id}))["lead"]
        except DialsheetNotFound as error:
            raise ToolInputError(
                f"No lead with id {lead_id}. Search for the lead (search_leads) and use an id "
                "from the results."
            ) from error
        return lead

    async def effect(self, call: PreparedCall) -> Effect:
        """What the CRM would act on if `call` ran now (raises `DialsheetError` if it cannot
        be read): the gate compares it with the card's just before running."""
        return await effect_of(call.tool, call.arguments, self.crm)

    async def _describe(self, call: PreparedCall) -> None:
        """Names a person recognises, for the confirmation card (ids mean nothing to them),
        from the same read of the CRM that the approval is bound to (`call.effect`)."""
        try:
            effect = await self.effect(call)
        except UnknownReference as error:  # a new id argument nobody taught effect_of
            raise ToolInputError(f"{error}; it cannot be approved safely.") from error
        gone = missing(effect)
        if "lead" in gone:
            raise ToolInputError(
                f"No lead with id {call.arguments['lead_id']}. Search for the lead "
                "(search_leads) and use an id from the results."
            )
        if "mailbox" in gone:
            raise ToolInputError(
                "email_account_id is not one of the person's mailboxes; use "
                "list_email_accounts to find the right id."
            )
        if "sequence" in gone:
            raise ToolInputError("No sequence with that id; use list_sequences to find it.")
        if gone:
            raise ToolInputError(
                f"No {gone[0]} with that id; look it up with a list tool and use an id from "
                "its results."
            )
        call.effect = effect
        call.display.update(card_names(call.tool, call.arguments, effect))
