"""The demo data set's plan, read once from `data/demo.yaml`.

The file holds what the demo is (its people, organisations, the leads and tasks placed on
purpose, the words and shares the rest is drawn from); `builder.py` and `activity.py` turn
it into rows. Its names are the constants the builders read, typed here so a mistake in the
file fails at import, not halfway through seeding.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

_DATA: dict[str, Any] = yaml.safe_load(
    resources.files("coworker.sandbox").joinpath("data", "demo.yaml").read_text("utf-8")
)

SEED: int = _DATA["seed"]
_NAMESPACE = uuid.UUID(_DATA["id_namespace"])


def demo_id(kind: str, n: int | str) -> str:
    """The stable id of demo row `n` of `kind`: the same on every run and every machine."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{n}"))


@dataclass(frozen=True)
class DemoUser:
    id: str
    name: str
    email: str
    key: str
    org_id: str
    org_name: str


@dataclass(frozen=True)
class SpecialLead:
    """A lead placed on purpose (not drawn at random), so tests and demos can name it."""

    slug: str
    name: str
    email: str | None
    phone: str | None
    company: str
    title: str
    status: str
    owner: str  # the owner's email
    hours_ago: float
    source: str
    tags: tuple[str, ...] = ()
    deal: tuple[str, float, str, int] | None = None  # name, value, stage, closes in N days


@dataclass(frozen=True)
class SpecialTask:
    """A task due today that a demo script refers to by title."""

    owner: str  # the owner's email
    lead_slug: str
    title: str
    description: str
    priority: str
    hour: int
    minute: int


@dataclass(frozen=True)
class OrgPlan:
    id: str
    key: str
    name: str
    lead_count: int  # including the special leads
    recent_leads: int  # random leads created in the last 24 hours
    owner_weights: tuple[int, ...]  # share of random leads per user, in DEMO_USERS order
    mailbox_providers: tuple[str, str]  # default mailbox, second mailbox
    tags: tuple[tuple[str, str], ...]
    sequences: tuple[tuple[str, str, int, str], ...]  # name, description, steps, status
    opportunities: int  # including the special leads' deals
    stale_deals: int
    calls: int  # including every user's calls from yesterday
    enrollments: int
    special_leads: tuple[SpecialLead, ...]


_ORG_NAMES = {org["key"]: org["name"] for org in _DATA["orgs"]}
_EMAILS = {user["slug"]: user["email"] for user in _DATA["users"]}

DEMO_USERS: tuple[DemoUser, ...] = tuple(
    DemoUser(
        demo_id("user", user["slug"]),
        user["name"],
        user["email"],
        user["key"],
        demo_id("org", user["org"]),
        _ORG_NAMES[user["org"]],
    )
    for user in _DATA["users"]
)
USER_PHONES: dict[str, str] = {user["email"]: user["phone"] for user in _DATA["users"]}


def _special_lead(spec: dict[str, Any]) -> SpecialLead:
    deal = spec.get("deal")
    return SpecialLead(
        spec["slug"],
        spec["name"],
        spec["email"],
        spec["phone"],
        spec["company"],
        spec["title"],
        spec["status"],
        _EMAILS[spec["owner"]],
        spec["hours_ago"],
        spec["source"],
        tuple(spec.get("tags", ())),
        None
        if deal is None
        else (deal["name"], deal["value"], deal["stage"], deal["closes_in_days"]),
    )


def _org(org: dict[str, Any]) -> OrgPlan:
    return OrgPlan(
        id=demo_id("org", org["key"]),
        key=org["key"],
        name=org["name"],
        lead_count=org["lead_count"],
        recent_leads=org["recent_leads"],
        owner_weights=tuple(org["owner_weights"]),
        mailbox_providers=(org["mailbox_providers"][0], org["mailbox_providers"][1]),
        tags=tuple(org["tags"].items()),
        sequences=tuple(
            (s["name"], s["description"], s["steps"], s["status"]) for s in org["sequences"]
        ),
        opportunities=org["opportunities"],
        stale_deals=org["stale_deals"],
        calls=org["calls"],
        enrollments=org["enrollments"],
        special_leads=tuple(_special_lead(spec) for spec in org["special_leads"]),
    )


ORG_PLANS: tuple[OrgPlan, ...] = tuple(_org(org) for org in _DATA["orgs"])
NORTHWIND_ID, GLOBEX_ID = (org.id for org in ORG_PLANS)
SPECIAL_TASKS: tuple[SpecialTask, ...] = tuple(
    SpecialTask(
        _EMAILS[t["owner"]],
        t["lead"],
        t["title"],
        t["description"],
        t["priority"],
        t["hour"],
        t["minute"],
    )
    for t in _DATA["special_tasks"]
)

_PER_USER: dict[str, int] = _DATA["per_user"]
TASKS_DUE_TODAY = _PER_USER["tasks_due_today"]
TASKS_OVERDUE = _PER_USER["tasks_overdue"]
TASKS_UPCOMING = _PER_USER["tasks_upcoming"]
TASKS_UNDATED = _PER_USER["tasks_undated"]
TASKS_COMPLETED = _PER_USER["tasks_completed"]
CALLS_YESTERDAY = _PER_USER["calls_yesterday"]
EMAILS_PER_USER = _PER_USER["emails"]
SMS_PER_USER = _PER_USER["sms"]


def _words(key: str) -> tuple[str, ...]:
    return tuple(_DATA[key])


def _mix(key: str) -> tuple[tuple[str, int], ...]:
    return tuple(_DATA[key].items())


FIRST_NAMES = _words("first_names")
LAST_NAMES = _words("last_names")
COMPANIES = _words("companies")
JOB_TITLES = _words("job_titles")
SOURCES = _words("sources")
PRODUCTS = _words("products")
LEAD_STATUS_MIX = _mix("lead_status_mix")
STAGE_MIX = _mix("stage_mix")
OPEN_STAGES = _words("open_stages")
PRIORITIES = tuple(name for name, _ in _mix("priority_weights"))
PRIORITY_WEIGHTS = tuple(weight for _, weight in _mix("priority_weights"))
ANSWERED = _words("answered")
UNANSWERED = _words("unanswered")
OUTBOUND_OUTCOMES = tuple(name for name, _ in _mix("outbound_outcome_weights"))
OUTBOUND_OUTCOME_WEIGHTS = tuple(weight for _, weight in _mix("outbound_outcome_weights"))
TASK_TEMPLATES = _words("task_templates")
ADMIN_TASKS = _words("admin_tasks")
TASK_DESCRIPTIONS = _words("task_descriptions")
NOTE_TEMPLATES: dict[str | None, tuple[str, ...]] = {
    (None if outcome == "general" else outcome): tuple(texts)
    for outcome, texts in _DATA["note_templates"].items()
}
CALL_SUMMARIES: dict[str, str] = dict(_DATA["call_summaries"])
EMAIL_TEMPLATES = tuple((t["subject"], t["body"]) for t in _DATA["email_templates"])
SMS_TEMPLATES = _words("sms_templates")


def describe_demo_users() -> str:
    """One `NAME  KEY  (ORG)` line per demo user, for `coworker sandbox keys`."""
    return "\n".join(f"{u.name}  {u.key}  ({u.org_name})" for u in DEMO_USERS)
