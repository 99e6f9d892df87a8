"""An action as a person reads it: its label, its card and how it ended, from the profile.

The server reads the tool's profile (`x-coworker` in the contract) once, here, so web,
Slack, the terminal and MCP show the same card in the same words and only render it. The
card's values are what will run: the input with the person's edits, and the names read
from the CRM (`display`), never raw ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from coworker.agent.events import ActionView, CardField
from coworker.dialsheet.profiles import CardEntry, ToolProfile
from coworker.dialsheet.words import coded_fields, word
from coworker.errors import ToolInputError
from coworker.store.records import ActionRecord
from coworker.tools.catalog import Tool, ToolCatalog

# Display names in the order a default card shows them, with their labels.
_NAMES = (
    ("from", "From"),
    ("to", "To"),
    ("lead", "Lead"),
    ("sequence", "Sequence"),
    ("task", "Task"),
    ("deal", "Deal"),
)


def label_of(tool: Tool | None, name: str) -> str:
    if tool is None:
        return name.replace("_", " ").capitalize()
    return tool.label


def _default_entries(arguments: Mapping[str, Any], display: Mapping[str, str]) -> list[CardEntry]:
    """No card declared: the names read from the CRM, then the inputs no name stands for."""
    entries = [CardEntry(key, label, from_input=False) for key, label in _NAMES if key in display]
    known = {key for key, _ in _NAMES}
    entries += [
        CardEntry(key, key.replace("_", " ").capitalize(), from_input=False)
        for key in display
        if key not in known
    ]
    return entries + _inputs_not_shown(arguments, display, shown=())


def _inputs_not_shown(
    arguments: Mapping[str, Any], display: Mapping[str, str], *, shown: Iterable[str]
) -> list[CardEntry]:
    """A line for every input the card would otherwise leave out.

    What runs is the whole input, so a person must see all of it: a contract whose send
    also takes `bcc` gets a Bcc line even though its declared card never mentions one. An
    id is shown by the name read for it (`lead_id` by the lead), a recipient by `to`.
    """
    skip = set(shown)
    entries = []
    for key in arguments:
        named = key.endswith("_id") and (key.removesuffix("_id") in display or "from" in display)
        if key in skip or named or (key == "to_email" and "to" in display):
            continue
        entries.append(CardEntry(key, key.replace("_", " ").capitalize(), from_input=True))
    return entries


def _text(key: str, value: Any) -> str:
    """A value as the card shows it: a code (`stage`, `outcome`, ...) as its word."""
    if value is None:
        return ""
    return word(value) if key in coded_fields() and isinstance(value, str) else str(value)


def _unwrapped(to: str) -> str:
    """The addresses of a `to` name: "Jane Smith <jane@acme.com>" -> "jane@acme.com"."""
    if to.endswith(">") and "<" in to:
        return to[to.rindex("<") + 1 : -1]
    return to


def spoken(display: Mapping[str, str]) -> dict[str, str]:
    """The display names, with each party said once, in words, for a card line to show:
    `sender` is the mailbox's name, address and provider ("Alex Rivera
    <alex@northwind.example> (Gmail)"), `recipient` the lead with the addresses reached
    ("Jane Smith (Acme Corp) <jane@acme.com>"), so no card names one person twice."""
    names = dict(display)
    if "from" in display:
        mailbox, provider = display.get("mailbox"), display.get("provider")
        sender = f"{mailbox} <{display['from']}>" if mailbox else display["from"]
        names["sender"] = f"{sender} ({provider})" if provider else sender
    if "to" in display:
        lead = display.get("lead")
        to = display["to"]
        names["recipient"] = f"{lead} <{_unwrapped(to)}>" if lead else to
    return names


def card_of(
    profile: ToolProfile,
    arguments: Mapping[str, Any],
    display: Mapping[str, str],
    edits: Mapping[str, Any] | None = None,
) -> tuple[CardField, ...]:
    data = {**arguments, **(edits or {})}
    names = spoken(display)
    if profile.card is None:
        entries = _default_entries(data, display)
    else:
        shown = [entry.key for entry in profile.card if entry.from_input]
        entries = [*profile.card, *_inputs_not_shown(data, display, shown=shown)]
    card: list[CardField] = []
    for entry in entries:
        source = data if entry.from_input else names
        if entry.key not in source and not entry.editable:
            continue
        card.append(
            CardField(
                key=entry.key,
                label=entry.label,
                value=_text(entry.key, source.get(entry.key)),
                editable=entry.editable,
                multiline=entry.multiline,
            )
        )
    return tuple(card)


def _why(text: str) -> str:
    """An error sentence continued after "Not sent: "."""
    text = text.strip()
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]
    return text


def outcome_of(
    profile: ToolProfile, status: str, *, reason: str | None, error: str | None
) -> str | None:
    """How the action's state reads for a person; None while it waits for them."""
    said = profile.outcomes
    if status == "pending":
        return None
    if status == "executing":
        return "Running…"
    if status == "succeeded":
        return said.done
    if status == "unknown":
        return said.unknown
    if status == "rejected":
        return f"Cancelled: {reason}" if reason else "Cancelled."
    if status == "expired":
        return f"Expired, {said.not_done.lower()}"
    if status == "superseded":
        return f"Replaced by a newer proposal, {said.not_done.lower()}"
    return f"{said.not_done}: {_why(error)}" if error else f"{said.not_done}."


def view(record: ActionRecord, catalog: ToolCatalog) -> ActionView:
    tool = catalog.get(record.tool_name)
    profile = tool.profile if tool else ToolProfile()
    display = dict(record.display or {})
    return ActionView(
        id=record.id,
        conversation_id=record.conversation_id,
        tool_use_id=record.tool_use_id,
        tool=record.tool_name,
        risk=tool.risk.value if tool else "",
        input=record.input,
        display=display,
        status=record.status,
        created_at=record.created_at,
        expires_at=record.expires_at,
        editable=profile.editable,
        edits=record.edits,
        reason=record.reason,
        result=record.result,
        error=record.error,
        label=label_of(tool, record.tool_name),
        card=card_of(profile, record.input, display, record.edits),
        outcome=outcome_of(profile, record.status, reason=record.reason, error=record.error),
        batch_id=record.batch_id,
    )


def normalise_edits(
    tool_name: str, profile: ToolProfile, edits: dict[str, Any] | None
) -> dict[str, Any]:
    """Map friendly names (`body`) to fields, and refuse fields a person may not edit."""
    if not edits:
        return {}
    allowed = profile.editable
    normalised: dict[str, Any] = {}
    for key, value in edits.items():
        field = profile.field_named(key)
        if field not in allowed:
            shown = ", ".join(allowed) or "none"
            raise ToolInputError(f"'{key}' cannot be edited on {tool_name}; editable: {shown}")
        if not isinstance(value, str) or not value.strip():
            raise ToolInputError(f"'{key}' must be non-empty text")
        normalised[field] = value
    return normalised
