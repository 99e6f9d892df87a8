"""What makes a tool special, declared once beside its operation in `openapi.yaml`.

The contract says what an operation does; its `x-coworker` extension says how the coworker
treats it: a risk the method alone would not give (a POST that reaches a person is
outbound), the human label and the card a person approves, how each end reads ("Sent.",
"Not sent: ..."), what may have happened when the CRM does not answer, how an unknown
outcome is looked up in the CRM's history, which of the lead's contact details the CRM
resolves when it sends, which inputs the service fills in itself, and which fields a list
keeps for the model. The gate, the client, every channel and the offline model read these
profiles, so a new operation declared in the contract needs no other code.

An operation without the extension gets the defaults: risk from its method, its summary as
label, a card of the names and inputs it carries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

EXTENSION = "x-coworker"


@dataclass(frozen=True)
class CardEntry:
    """One line of the card: an input field (`field`) or a name read from the CRM (`show`,
    a key of the action's display names: from, to, lead, sequence, task, deal, or the
    parties said once, `sender` and `recipient`, see agent/cards.py `spoken`)."""

    key: str
    label: str
    from_input: bool
    editable: bool = False
    multiline: bool = False
    aliases: tuple[str, ...] = ()  # other names a person may use to edit it ("body")


@dataclass(frozen=True)
class Outcomes:
    """How an action's end reads for a person."""

    done: str = "Done."
    not_done: str = "Not done"  # followed by ": why", or "Expired, not done"
    unknown: str = "Unknown whether it happened — check before trying again"


@dataclass(frozen=True)
class Reconciliation:
    """Where an unanswered call can be found afterwards: the history operation to list, the
    key of its items, the key the found item is kept under, and the fields that must match
    what was sent (a send after the approval with the same fields is this one)."""

    history: str
    items: str
    result_key: str
    match: tuple[str, ...]


@dataclass(frozen=True)
class Convenience:
    """Inputs the model may leave out, because the executor fills them in before any call."""

    optional: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Activity:
    """How a person reads that the tool ran, counted: "Looked up" 3 "leads". The channels
    fold a turn's calls into one line of these ("Looked up 3 leads and 4 deal lists")."""

    verb: str
    one: str
    many: str


@dataclass(frozen=True)
class ToolProfile:
    risk: str | None = None  # overrides the risk the method gives ("outbound")
    label: str | None = None  # "Send an email"; None: the operation's summary
    noun: str | None = None  # how a sentence names the action: "the email"
    card: tuple[CardEntry, ...] | None = None  # None: the names, then the inputs
    outcomes: Outcomes = field(default_factory=Outcomes)
    unanswered: str | None = None  # "the email may have been sent"
    reconcile: Reconciliation | None = None
    resolved_at_send: tuple[str, ...] | None = None  # None: every contact detail
    convenience: Convenience | None = None
    compact: tuple[str, ...] | None = None  # fields each listed item keeps for the model
    activity: Activity | None = None  # None: the label stands for it

    @property
    def editable(self) -> tuple[str, ...]:
        return tuple(entry.key for entry in self.card or () if entry.editable)

    def field_named(self, name: str) -> str:
        """The input field a person means by `name` (an alias such as `body`, or itself)."""
        for entry in self.card or ():
            if entry.from_input and (name == entry.key or name in entry.aliases):
                return entry.key
        return name


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where} must be a list of strings")
    return tuple(value)


def _entry(raw: Mapping[str, Any], where: str) -> CardEntry:
    unknown = set(raw) - {"field", "show", "label", "editable", "multiline", "aliases"}
    if unknown or ("field" in raw) == ("show" in raw) or "label" not in raw:
        raise ValueError(f"{where}: a card line has a label and exactly one of field or show")
    from_input = "field" in raw
    editable = bool(raw.get("editable", False))
    if editable and not from_input:
        raise ValueError(f"{where}: only an input field can be editable")
    return CardEntry(
        key=str(raw["field"] if from_input else raw["show"]),
        label=str(raw["label"]),
        from_input=from_input,
        editable=editable,
        multiline=bool(raw.get("multiline", False)),
        aliases=_strings(raw.get("aliases", []), f"{where}.aliases"),
    )


def _activity(raw: Any, where: str) -> Activity:
    if not isinstance(raw, Mapping) or set(raw) != {"verb", "one", "many"}:
        raise ValueError(f"{where}: activity is {{verb, one, many}}")
    return Activity(str(raw["verb"]), str(raw["one"]), str(raw["many"]))


_KEYS = {
    "activity",
    "risk",
    "label",
    "noun",
    "card",
    "outcome",
    "unanswered",
    "reconcile",
    "resolved_at_send",
    "optional",
    "note",
    "compact",
}


def parse_profile(raw: Mapping[str, Any] | None, where: str) -> ToolProfile:
    """The `x-coworker` extension of one operation; a typo fails at start-up, loudly."""
    if not raw:
        return ToolProfile()
    unknown = set(raw) - _KEYS
    if unknown:
        raise ValueError(f"{where}: unknown {EXTENSION} keys {sorted(unknown)}")
    card = raw.get("card")
    outcome = raw.get("outcome") or {}
    reconcile = raw.get("reconcile")
    resolved = raw.get("resolved_at_send")
    compact = raw.get("compact")
    return ToolProfile(
        risk=raw.get("risk"),
        label=raw.get("label"),
        noun=raw.get("noun"),
        card=(
            tuple(_entry(line, f"{where}.card[{i}]") for i, line in enumerate(card))
            if card is not None
            else None
        ),
        outcomes=Outcomes(**{k: str(v) for k, v in outcome.items()}),
        unanswered=raw.get("unanswered"),
        reconcile=(
            Reconciliation(
                history=str(reconcile["history"]),
                items=str(reconcile["items"]),
                result_key=str(reconcile["result"]),
                match=_strings(reconcile["match"], f"{where}.reconcile.match"),
            )
            if reconcile
            else None
        ),
        resolved_at_send=(
            _strings(resolved, f"{where}.resolved_at_send") if resolved is not None else None
        ),
        convenience=(
            Convenience(_strings(raw["optional"], f"{where}.optional"), str(raw.get("note", "")))
            if raw.get("optional")
            else None
        ),
        compact=_strings(compact, f"{where}.compact") if compact is not None else None,
        activity=(_activity(raw["activity"], f"{where}.activity") if "activity" in raw else None),
    )
