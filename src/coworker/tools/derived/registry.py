"""The derived tools: answers the service computes from several CRM reads, offered to the
model in the same catalog as the contract's operations (risk `read`, marked `derived`).

Each entry here is the whole declaration of one tool: its name, what the model reads about
it, the JSON schema its input is validated against (the same validator as every tool), the
operations it reads (it is offered only when the CRM's contract has them all), and the
function that computes it. The catalog turns entries into `Tool`s; the executor runs them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from coworker.dialsheet.profiles import Activity
from coworker.tools.derived.activity import PERIODS, activity_report
from coworker.tools.derived.agenda import STALE_DAYS
from coworker.tools.derived.next_best import DEFAULT_LIMIT, next_best_actions
from coworker.tools.derived.pipeline import pipeline_report
from coworker.tools.derived.prep import prep_brief
from coworker.tools.derived.reader import CrmReader, Moment, Reader

JsonSchema = dict[str, Any]
CONCURRENCY = 6  # CRM calls in flight at once for one answer (each tool makes at most 8)
Compute = Callable[[Reader, Moment, dict[str, Any]], Awaitable[dict[str, Any]]]
WHOSE: JsonSchema = {
    "type": "string",
    "enum": ["mine", "team"],
    "description": "Default mine.",
}


@dataclass(frozen=True)
class DerivedTool:
    name: str
    label: str  # what a person calls it
    description: str
    input_schema: JsonSchema  # validated like every tool's; the model sees its slim form
    reads: tuple[str, ...]  # operations it calls
    compute: Compute
    activity: Activity | None = None  # how channels say it ran: "Prepared 1 call brief"


async def _next_best(reader: Reader, moment: Moment, args: dict[str, Any]) -> dict[str, Any]:
    result = await next_best_actions(
        reader,
        moment,
        limit=int(args.get("limit", DEFAULT_LIMIT)),
        stale_days=int(args.get("stale_days", STALE_DAYS)),
    )
    return result.as_json()


async def _prep(reader: Reader, moment: Moment, args: dict[str, Any]) -> dict[str, Any]:
    brief = await prep_brief(reader, moment, lead_id=args.get("lead_id"), name=args.get("name"))
    if isinstance(brief, list):
        return {
            "report": "prep_brief",
            "choose_one": [
                {k: lead.get(k) for k in ("id", "name", "company", "email") if lead.get(k)}
                for lead in brief
            ],
            "note": "Several leads match; ask the person which one, then call with its lead_id.",
        }
    return brief.as_json(moment)


async def _activity(reader: Reader, moment: Moment, args: dict[str, Any]) -> dict[str, Any]:
    report = await activity_report(
        reader,
        moment,
        period=str(args.get("period", "yesterday")),
        since=args.get("since"),
        until=args.get("until"),
        whose=str(args.get("whose", "mine")),
    )
    return report.as_json()


async def _pipeline(reader: Reader, moment: Moment, args: dict[str, Any]) -> dict[str, Any]:
    report = await pipeline_report(reader, moment, whose=str(args.get("whose", "mine")))
    return report.as_json(moment)


DERIVED_TOOLS: tuple[DerivedTool, ...] = (
    DerivedTool(
        "next_best_actions",
        "Who to contact next",
        "Who to contact now and why, ranked (overdue and due tasks, slipping or quiet deals, "
        "warm or new leads not touched), each with a reason and an action. For 'who should I "
        "call next?'.",
        {
            "type": "object",
            "properties": {
                "limit": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 25,
                    "description": f"Default {DEFAULT_LIMIT}.",
                },
                "stale_days": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 90,
                    "description": f"Days untouched that make it quiet (default {STALE_DAYS}).",
                },
            },
            "additionalProperties": False,
        },
        ("list_tasks", "search_leads", "list_opportunities", "list_notes", "list_calls"),
        _next_best,
        Activity("Worked out", "next-step list", "next-step lists"),
    ),
    DerivedTool(
        "prep_brief",
        "Prepare for a call",
        "Call prep on one lead: who they are, recent notes, calls, emails, SMS, open tasks "
        "and deals, and a suggested next step. By lead_id or name.",
        {
            "type": "object",
            "properties": {
                "lead_id": {"type": "string", "format": "uuid"},
                "name": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 200,
                },
            },
            "additionalProperties": False,
            "minProperties": 1,
        },
        ("search_leads", "get_lead", "list_emails", "list_sms", "list_tasks"),
        _prep,
        Activity("Prepared", "call brief", "call briefs"),
    ),
    DerivedTool(
        "activity_report",
        "Activity report",
        "Calls, emails, SMS, notes, tasks done and created and deals moved in a period, per "
        "day. A range takes since and until. For 'what did I do yesterday?'.",
        {
            "type": "object",
            "properties": {
                "period": {
                    "type": "string",
                    "enum": list(PERIODS),
                },
                "since": {
                    "type": "string",
                    "format": "date",
                },
                "until": {
                    "type": "string",
                    "format": "date",
                },
                "whose": WHOSE,
            },
            "additionalProperties": False,
        },
        ("list_tasks", "list_calls", "list_notes", "list_emails", "list_sms", "list_opportunities"),
        _activity,
        Activity("Summed up", "activity report", "activity reports"),
    ),
    DerivedTool(
        "pipeline_report",
        "Pipeline report",
        "Deals by stage (counts, values), the person's against the team's, and slipping deals. "
        "For 'how's my pipeline?'.",
        {"type": "object", "properties": {"whose": WHOSE}, "additionalProperties": False},
        ("list_opportunities", "list_tasks"),
        _pipeline,
        Activity("Summed up", "pipeline report", "pipeline reports"),
    ),
)

BY_NAME = {tool.name: tool for tool in DERIVED_TOOLS}


def derived_tool(name: str) -> DerivedTool | None:
    return BY_NAME.get(name)


async def run_derived(
    name: str, crm: CrmReader, moment: Moment, arguments: dict[str, Any]
) -> tuple[dict[str, Any], int]:
    """The tool's answer and how many CRM calls it took."""
    reader = Reader(crm, concurrency=CONCURRENCY)
    result = await BY_NAME[name].compute(reader, moment, arguments)
    return result, reader.calls
