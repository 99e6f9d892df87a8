"""The effect of a gated call: what the CRM will act on, as the person saw it on the card.

A tool's arguments are ids; what a send or a delete *does* depends on the records behind
them at the moment it runs. `POST /sms` carries only a lead id and the CRM looks the phone
up when it sends, so approving "text Jane at +1-555-000-1234" binds nothing if someone
changes Jane's phone in between. An approval must bind to the effect the person saw, so:

* `effect_of` reads, from the CRM, every record a call refers to (each `<resource>_id`
  argument: the lead, the sending mailbox, the sequence, the task or deal), keeping the
  fields a person recognises it by and, where the CRM resolves the recipient at send
  time, the lead's contact details that send will use. It is derived from the tool's
  arguments, so a new gated tool is covered without being listed here.
* `card_names` turns an effect into the card's `display` names, so what is shown and what
  is bound are the same facts and cannot drift apart.
* `changes` compares the effect stored with the action against a fresh read just before
  the call runs, in sentences a person understands ("the phone for Jane Smith changed
  from ... to ..."); any change means the call must not run.

Where the API lets the request carry the resolved recipient (an email's `to_email`, its
`email_account_id`), the executor already sends it explicitly and the lead's own address
is not part of the effect: the email goes to the address on the card whatever the lead
record says later. The mailbox's address is, since the CRM sends from whatever address that
mailbox id has when it runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coworker.dialsheet.words import word
from coworker.errors import DialsheetNotFound
from coworker.tools.catalog import Tool
from coworker.tools.policy import Risk

if TYPE_CHECKING:
    from coworker.tools.executor import CrmCaller

Facts = dict[str, Any]
# role ("lead", "mailbox", ...) -> the record's facts, or None when it no longer exists
Effect = dict[str, Facts | None]

CONTACT_FIELDS = ("email", "phone")
PAGE_SIZE = 100
MAX_PAGES = 100  # 10,000 records: a list the CRM pages through to find one id


Fetch = Callable[["CrmCaller", str], Awaitable[Facts | None]]


async def _get_lead(crm: CrmCaller, lead_id: str) -> Facts | None:
    try:
        lead: Facts = (await crm.call("get_lead", {"id": lead_id}))["lead"]
    except DialsheetNotFound:
        return None
    return lead


def _listed(operation: str, key: str, *, paged: bool) -> Fetch:
    """Find one record by id in a list operation (the contract has no get for it)."""

    async def fetch(crm: CrmCaller, record_id: str) -> Facts | None:
        for page in range(1, MAX_PAGES + 1 if paged else 2):
            arguments = {"page": page, "limit": PAGE_SIZE} if paged else {}
            answer = await crm.call(operation, arguments)
            items: list[Facts] = answer.get(key, [])
            found = next((item for item in items if item.get("id") == record_id), None)
            if found is not None or not paged:
                return found
            if len(items) < PAGE_SIZE or page * PAGE_SIZE >= int(answer.get("total", 0)):
                return None
        return None

    return fetch


@dataclass(frozen=True)
class Resource:
    """A kind of record a call can refer to, and how a person recognises it."""

    role: str  # its key in the effect and on the card
    noun: str  # how a sentence names it: "the lead Jane Smith"
    fields: tuple[str, ...]  # what identifies it to a person; the first is its name
    fetch: Fetch
    # Read for the card's words only, not bound: a mailbox renamed still sends from the
    # address the person approved, so a new name does not make the action stale.
    shown: tuple[str, ...] = ()


RESOURCES: dict[str, Resource] = {
    "lead_id": Resource("lead", "the lead", ("name", "company"), _get_lead),
    "email_account_id": Resource(
        "mailbox",
        "the mailbox",
        ("email",),
        _listed("list_email_accounts", "email_accounts", paged=False),
        shown=("display_name", "provider"),
    ),
    "sequence_id": Resource(
        "sequence", "the sequence", ("name",), _listed("list_sequences", "sequences", paged=False)
    ),
    "task_id": Resource("task", "the task", ("title",), _listed("list_tasks", "tasks", paged=True)),
    "opportunity_id": Resource(
        "deal", "the deal", ("name",), _listed("list_opportunities", "opportunities", paged=True)
    ),
}


def resource_for(argument: str) -> Resource | None:
    return RESOURCES.get(argument)


def reached_contacts(tool: Tool) -> tuple[str, ...]:
    """The lead's contact details the CRM will use for this call, looked up when it runs:
    the profile's `resolved_at_send`; an outbound tool that does not say is bound to all of
    them (never a recipient nobody saw)."""
    if tool.risk is not Risk.OUTBOUND:
        return ()
    declared = tool.profile.resolved_at_send
    return CONTACT_FIELDS if declared is None else declared


class UnknownReference(ValueError):
    """A call refers to a kind of record the effect cannot read (a contract change)."""


async def effect_of(tool: Tool, arguments: Mapping[str, Any], crm: CrmCaller) -> Effect:
    """Read from the CRM every record the call refers to, as the card shows it.

    Raises `DialsheetError` when the CRM cannot be read (nothing may run on a guess) and
    `UnknownReference` for an `*_id` argument with no reader; a missing record is None.
    """
    effect: Effect = {}
    for argument, value in arguments.items():
        if not argument.endswith("_id") or not isinstance(value, str):
            continue
        resource = resource_for(argument)
        if resource is None:
            raise UnknownReference(f"{tool.name}: no way to read what {argument} refers to")
        record = await resource.fetch(crm, value)
        if record is None:
            effect[resource.role] = None
            continue
        contacts = reached_contacts(tool) if resource.role == "lead" else ()
        kept = resource.fields + resource.shown + contacts
        effect[resource.role] = {"id": value, **{name: record.get(name) for name in kept}}
    return effect


def missing(effect: Effect) -> list[str]:
    """The roles whose record does not exist (at request time: a wrong id)."""
    return [role for role, facts in effect.items() if facts is None]


def _lead_name(facts: Facts) -> str:
    name = str(facts.get("name") or "")
    return name + (f" ({facts['company']})" if facts.get("company") else "")


def card_names(tool: Tool, arguments: Mapping[str, Any], effect: Effect) -> dict[str, str]:
    """The card's names (`display`), from the effect: who is reached, from where, what."""
    display: dict[str, str] = {}
    lead = effect.get("lead")
    if lead:
        display["lead"] = _lead_name(lead)
        contacts = [str(lead[f]) for f in reached_contacts(tool) if lead.get(f)]
        if contacts:
            display["to"] = f"{lead.get('name')} <{', '.join(contacts)}>"
    mailbox = effect.get("mailbox")
    if mailbox:
        display["from"] = str(mailbox.get("email"))
        if mailbox.get("display_name"):  # the card says it with the address
            display["mailbox"] = str(mailbox["display_name"])
        if mailbox.get("provider"):
            display["provider"] = word(mailbox["provider"])
    if arguments.get("to_email"):
        display["to"] = str(arguments["to_email"])
    for role in ("sequence", "task", "deal"):
        facts = effect.get(role)
        if facts:
            resource = next(r for r in RESOURCES.values() if r.role == role)
            display[role] = str(facts.get(resource.fields[0]))
    return display


def _shown(value: Any) -> str:
    return "(none)" if value in (None, "") else str(value)


def changes(before: Effect, after: Effect) -> list[str]:
    """What changed between the card and now, one sentence per change; [] if nothing."""
    said: list[str] = []
    roles = [*before, *(role for role in after if role not in before)]
    for role in roles:
        old, new = before.get(role), after.get(role)
        resource = next((r for r in RESOURCES.values() if r.role == role), None)
        noun = resource.noun if resource else f"the {role}"
        first = resource.fields[0] if resource else "id"
        if old == new:
            continue
        if old is None or new is None:
            facts = old or new or {}
            gone = "no longer exists" if new is None else "exists again"
            said.append(f"{noun} {_shown(facts.get(first) or facts.get('id'))} {gone}")
            continue
        label = _shown(old.get(first) or old.get("id"))
        for name in sorted(set(old) | set(new), key=_field_order(resource)):
            was, now = old.get(name), new.get(name)
            if was == now or (resource and name in resource.shown):
                continue
            if name == first:
                said.append(f"{noun} {label} is now {_shown(now)}")
            else:
                said.append(f"the {name} for {label} changed from {_shown(was)} to {_shown(now)}")
    return said


def _field_order(resource: Resource | None) -> Callable[[str], tuple[int, str]]:
    order = (*(resource.fields if resource else ()), *CONTACT_FIELDS)

    def key(name: str) -> tuple[int, str]:
        return (order.index(name) if name in order else len(order), name)

    return key


def display_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """`changes` for an action stored without an effect (made before effects were kept):
    the card's names then and now, which are derived from the same reads."""
    return [
        f"the {key} on the card changed from {_shown(before.get(key))} to {_shown(after.get(key))}"
        for key in [*before, *(k for k in after if k not in before)]
        if before.get(key) != after.get(key)
    ]
