"""Deterministic demo data for the sandbox CRM.

The sandbox is what people meet first (`coworker serve` with no configuration), and tests and
evals ask it real questions ("what's due today?", "text Jane Smith"). So the data has to look
like a real sales team's CRM, be identical on every run, and always be current: every date is
placed relative to `now`, so there are always tasks due today, calls from yesterday and leads
created since yesterday.

Determinism: one `random.Random(SEED)` consumed in a fixed order (never the global random,
never iteration over a set), and ids from `demo_id` (uuid5), so the same `now` always gives
the same rows. The random draws never depend on `now`, so only the timestamps move with it.

Deliberate features that demos and tests rely on:
- Jane Smith at Acme Corp (jane@acme.com, +1-555-000-1234, status new) in Northwind, and a
  second Jane Smith in Globex: one name in two organisations proves org isolation.
- Two Northwind leads called Chris (Chris Johnson at Initech, Chris Parker at Umbrella
  Health): a request about "Chris" has to be disambiguated. No other lead name, email or
  company contains "chris", "jane", "smith" or "acme", so searches for them stay exact.
- About 10% of leads have no phone (sending them an SMS fails), a few have no email.
- Some open deals sit on leads with no notes or calls in the last 14 days: stale deals for
  the daily summary.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from coworker.sandbox.tables import (
    Base,
    Call,
    Email,
    EmailAccount,
    Enrollment,
    Lead,
    Note,
    Opportunity,
    Organization,
    Sms,
    Tag,
    Task,
    User,
    hash_api_key,
)
from coworker.sandbox.tables import Sequence as SequenceRow

SEED = 20261126
_NAMESPACE = uuid.UUID("6d0f3c1e-2b7a-4c5e-9f10-5a8d2e4b7c91")

T = TypeVar("T")


def demo_id(kind: str, n: int | str) -> str:
    """The stable id of demo row `n` of `kind`: the same on every run and every machine."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{n}"))


# --------------------------------------------------------------------------- users and orgs


@dataclass(frozen=True)
class DemoUser:
    id: str
    name: str
    email: str
    key: str
    org_id: str
    org_name: str


NORTHWIND_ID = demo_id("org", "northwind")
GLOBEX_ID = demo_id("org", "globex")

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        demo_id("user", "alex"), "Alex Rivera", "alex@northwind.example",
        "ds_demo_alex_3f9a1c7e5b2d4a60", NORTHWIND_ID, "Northwind Traders",
    ),
    DemoUser(
        demo_id("user", "sam"), "Sam Patel", "sam@northwind.example",
        "ds_demo_sam_8c2e6f1a9d4b7e30", NORTHWIND_ID, "Northwind Traders",
    ),
    DemoUser(
        demo_id("user", "jordan"), "Jordan Lee", "jordan@globex.example",
        "ds_demo_jordan_5a7d2c9e1f3b6a80", GLOBEX_ID, "Globex Corporation",
    ),
    DemoUser(
        demo_id("user", "casey"), "Casey Morgan", "casey@globex.example",
        "ds_demo_casey_2b8e4d6f0a1c3e50", GLOBEX_ID, "Globex Corporation",
    ),
)

_USER_PHONES = {
    "alex@northwind.example": "+1-555-010-0101",
    "sam@northwind.example": "+1-555-010-0102",
    "jordan@globex.example": "+1-555-020-0201",
    "casey@globex.example": "+1-555-020-0202",
}


def describe_demo_users() -> str:
    """One `NAME  KEY  (ORG)` line per demo user, for `coworker sandbox keys`."""
    return "\n".join(f"{u.name}  {u.key}  ({u.org_name})" for u in DEMO_USERS)


# --------------------------------------------------------------------------- name lists
# Lead names avoid the demo users' names and the deliberately ambiguous ones (Chris, Jane,
# Smith), so that searching for those finds exactly the leads placed on purpose.

FIRST_NAMES = (
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Ethan", "Sophia", "Mason", "Isabella", "Lucas",
    "Mia", "Logan", "Amelia", "James", "Harper", "Benjamin", "Evelyn", "Elijah", "Abigail",
    "Daniel", "Emily", "Henry", "Ella", "Michael", "Grace", "Owen", "Chloe", "David", "Zoe",
    "Matthew", "Nora", "Gabriel", "Leah", "Anthony", "Hannah", "Ryan", "Aria", "Nathan",
    "Maya", "Isaac", "Layla", "Aaron", "Adrian", "Naomi", "Carlos", "Sofia", "Diego", "Elena",
    "Mateo", "Lucia", "Omar", "Fatima", "Ravi", "Anika", "Kenji", "Yuki", "Wei", "Mei",
    "Tariq", "Amara", "Kwame", "Ingrid", "Lars", "Freya", "Pierre", "Camille", "Rahul",
    "Deepa", "Hugo", "Clara",
)

LAST_NAMES = (
    "Garcia", "Martinez", "Nguyen", "Kim", "Chen", "Brown", "Davis", "Miller", "Wilson",
    "Moore", "Taylor", "Anderson", "Thomas", "Jackson", "White", "Harris", "Martin",
    "Thompson", "Robinson", "Clark", "Lewis", "Walker", "Hall", "Allen", "Young", "Hernandez",
    "King", "Wright", "Lopez", "Hill", "Scott", "Green", "Adams", "Baker", "Gonzalez",
    "Nelson", "Carter", "Mitchell", "Perez", "Roberts", "Turner", "Phillips", "Campbell",
    "Evans", "Edwards", "Collins", "Stewart", "Sanchez", "Cook", "Bell", "Murphy", "Bailey",
    "Cooper", "Richardson", "Howard", "Ward", "Torres", "Peterson", "Gray", "Ramirez",
    "Watson", "Brooks", "Kelly", "Sanders", "Price", "Bennett", "Wood", "Barnes", "Ross",
    "Henderson", "Coleman", "Jenkins", "Perry", "Powell", "Hughes", "Flores", "Butler",
    "Foster", "Bryant", "Russell", "Griffin", "Diaz", "Hayes", "Okafor", "Haddad", "Novak",
    "Kowalski", "Lindqvist", "Tanaka", "Sato", "Rossi", "Moreau", "Schmidt", "Fischer",
)

# Fictional companies; each gets the email domain `<name without spaces>.example`.
COMPANIES = (
    "Initech", "Umbrella Health", "Hooli", "Vandelay Industries", "Pied Piper",
    "Dunder Mifflin", "Soylent Foods", "Cyberdyne Systems", "Massive Dynamic",
    "Wonka Confections", "Oceanic Air", "Tyrell Robotics", "Aperture Labs",
    "Black Mesa Research", "Sterling Cooper", "Prestige Worldwide", "Bluth Company",
    "Monarch Solutions", "Blue Sun Freight", "Virtucon", "Wernham Hogg", "Brightline Dental",
    "Harbor Point Realty", "Cedar Ridge Clinics", "Lakeside Logistics",
    "Summit Peak Outfitters", "Greenfield Analytics", "Ironclad Security", "Riverbend Foods",
    "Silverline Software", "Copperleaf Finance", "Maple Grove Schools", "Northstar Freight",
    "Bluewater Marine", "Redwood Dental Group", "Beacon Hill Insurance", "Pinecrest Hotels",
    "Quarry Street Bakery", "Tidewater Energy", "Kestrel Aviation",
)

JOB_TITLES = (
    "VP of Sales", "Head of Operations", "CTO", "Procurement Manager", "Office Manager",
    "Marketing Director", "Founder", "IT Director", "Sales Operations Lead", "COO",
    "Customer Success Manager", "Head of Finance", "Operations Manager", "CEO",
    "Director of IT", "Purchasing Lead",
)

SOURCES = ("website", "referral", "linkedin", "cold_call", "event", "partner")

# What is being sold, as it reads mid-sentence ("interested in the {product}").
PRODUCTS = (
    "annual platform license", "team plan (25 seats)", "enterprise rollout", "pilot",
    "renewal", "SMS credits add-on", "onboarding package", "multi-site expansion",
)

# Shares of the whole, as integer weights (see `_spread`).
LEAD_STATUS_MIX = (
    ("new", 35), ("contacted", 25), ("qualified", 20), ("unqualified", 10), ("customer", 10),
)
STAGE_MIX = (
    ("prospecting", 20), ("qualification", 20), ("proposal", 20), ("negotiation", 15),
    ("closed_won", 15), ("closed_lost", 10),
)
OPEN_STAGES = ("prospecting", "qualification", "proposal", "negotiation")
PRIORITIES = ("low", "medium", "high")
PRIORITY_WEIGHTS = (25, 45, 30)

# Call and note outcomes. A lead nobody has reached yet (status new) only has attempts.
ANSWERED = ("interested", "not_interested", "callback", "meeting_booked")
UNANSWERED = ("no_answer", "voicemail", "wrong_number")
OUTBOUND_OUTCOMES = (*ANSWERED, *UNANSWERED)
OUTBOUND_OUTCOME_WEIGHTS = (16, 10, 14, 10, 25, 20, 5)

# --------------------------------------------------------------------------- text templates
# Placeholders: {first} {name} {company} (the lead), {product}, {me} {my_first} {org} (the rep).

TASK_TEMPLATES = (
    "Follow up with {name} about pricing",
    "Send proposal to {company}",
    "Call {first} back about contract terms",
    "Prepare demo for {company}",
    "Check in with {name} after the trial",
    "Confirm meeting time with {first}",
    "Send case study to {name}",
    "Review renewal terms for {company}",
    "Book onsite visit at {company}",
    "Send {first} the security questionnaire",
    "Intro call with {name}",
    "Share ROI calculator with {company}",
)
ADMIN_TASKS = (
    "Update call script for the Q1 campaign",
    "Clean up duplicate leads",
    "Prepare weekly pipeline review",
    "Log expenses from the trade show",
    "Refresh the pricing one-pager",
    "Plan next month's territory",
)
TASK_DESCRIPTIONS = (
    "They asked for volume pricing.",
    "Decision maker is the COO; loop her in.",
    "Mention the annual discount.",
    "Bring the updated deck.",
    "Budget approved for next quarter.",
)

NOTE_TEMPLATES: dict[str | None, tuple[str, ...]] = {
    "interested": (
        "Spoke with {first}; interested in the {product}. Wants pricing before Friday.",
        "{first} liked the demo and is looping in their finance lead.",
    ),
    "not_interested": (
        "{first} is happy with their current vendor. Revisit next quarter.",
        "No budget this year at {company}; {first} asked us to check back in the spring.",
    ),
    "callback": (
        "{first} asked for a call back next week; busy with quarter-end.",
        "Good conversation, but {first} wants to talk again after their board meeting.",
    ),
    "meeting_booked": (
        "Booked a 30-minute demo with {first} and their ops lead.",
        "Meeting booked with {first} to walk through the {product}.",
    ),
    "no_answer": (
        "No answer. Will try again tomorrow morning.",
        "Rang twice, no answer. Try {first} on email instead.",
    ),
    "voicemail": (
        "Left a voicemail for {first} about the {product}.",
        "Voicemail; mentioned the case study we sent.",
    ),
    "wrong_number": (
        "Number on file reaches a different company; need an updated contact for {first}.",
    ),
    None: (
        "{company} is evaluating three vendors; decision by end of month.",
        "{first} prefers email over phone.",
        "Met {first} at the regional trade show; follow up with the {product} details.",
        "Inbound from the pricing page; {company} has about 40 reps.",
    ),
}

CALL_SUMMARIES = {
    "interested": "{first} is interested in the {product}; sending pricing today.",
    "not_interested": "{first} is not looking to switch this year; they renewed with a competitor.",
    "callback": "{first} asked to reconnect next week once the budget is confirmed.",
    "meeting_booked": "Booked a demo with {first} and two colleagues from {company}.",
}

EMAIL_TEMPLATES = (
    (
        "Following up on our call",
        "Hi {first},\n\nThanks for your time today. As promised, here is a short summary of "
        "the {product} and what it would cost for {company}.\n\nBest,\n{me}\n{org}",
    ),
    (
        "Pricing for {company}",
        "Hi {first},\n\nAttached is the pricing we discussed for the {product}. Happy to walk "
        "through it whenever suits you.\n\nBest,\n{me}",
    ),
    (
        "A case study you might like",
        "Hi {first},\n\nA customer similar to {company} cut their ramp time by 30% with us. "
        "Worth a quick look?\n\nCheers,\n{my_first}",
    ),
    (
        "Quick question",
        "Hi {first},\n\nIs the {product} still on your list for this quarter? If the timing "
        "is off, just let me know.\n\nThanks,\n{my_first}",
    ),
)

SMS_TEMPLATES = (
    "Hi {first}, it's {my_first} from {org}. Is now still a good time for our call?",
    "Hi {first}, just sent over the pricing for {company}. Let me know if you have questions.",
    "Hi {first}, confirming our meeting tomorrow. Reply here if anything changes. {my_first}",
)


# --------------------------------------------------------------------------- org plans


@dataclass(frozen=True)
class _SpecialLead:
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
class _SpecialTask:
    """A task due today that a demo script refers to by title."""

    owner: str  # the owner's email
    lead_slug: str
    title: str
    description: str
    priority: str
    hour: int
    minute: int


@dataclass(frozen=True)
class _OrgPlan:
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
    special_leads: tuple[_SpecialLead, ...]


_ALEX, _SAM, _JORDAN, _CASEY = (u.email for u in DEMO_USERS)

NORTHWIND = _OrgPlan(
    id=NORTHWIND_ID,
    key="northwind",
    name="Northwind Traders",
    lead_count=180,
    recent_leads=9,
    owner_weights=(60, 40),
    mailbox_providers=("gmail", "outlook"),
    tags=(
        ("hot", "#e4572e"), ("enterprise", "#1f77b4"), ("smb", "#2ca02c"),
        ("renewal", "#9467bd"), ("webinar-2026", "#ff7f0e"), ("partner-referral", "#17becf"),
    ),
    sequences=(
        ("New lead nurture (5 steps)",
         "Five touches over two weeks for inbound leads: intro, case study, call, check-in, "
         "break-up email.", 5, "active"),
        ("Post-demo follow-up",
         "Recap, pricing and a decision call in the week after a demo.", 3, "active"),
        ("Re-engagement",
         "Wakes up leads that went quiet: new features, a customer story, a direct ask.",
         4, "active"),
    ),
    opportunities=40,
    stale_deals=6,
    calls=195,
    enrollments=6,
    special_leads=(
        _SpecialLead("jane-smith", "Jane Smith", "jane@acme.com", "+1-555-000-1234",
                     "Acme Corp", "Head of Operations", "new", _ALEX, 21 * 24, "website",
                     ("hot",)),
        _SpecialLead("tom-becker", "Tom Becker", "tom.becker@acme.com", "+1-555-031-4410",
                     "Acme Corp", "IT Director", "new", _SAM, 9 * 24, "linkedin"),
        _SpecialLead("priya-shah", "Priya Shah", "priya.shah@acme.com", None,
                     "Acme Corp", "Procurement Manager", "new", _ALEX, 4 * 24, "event",
                     ("enterprise",)),
        _SpecialLead("luis-ortega", "Luis Ortega", "luis.ortega@acme.com", "+1-555-031-8825",
                     "Acme Corp", "Office Manager", "new", _ALEX, 5, "website"),
        _SpecialLead("dana-whitfield", "Dana Whitfield", "dana.whitfield@acme.com",
                     "+1-555-031-2290", "Acme Corp", "CFO", "contacted", _SAM, 30 * 24,
                     "referral"),
        _SpecialLead("marcus-reed", "Marcus Reed", "marcus.reed@acme.com", "+1-555-031-7762",
                     "Acme Corp", "VP of Sales", "qualified", _ALEX, 52 * 24, "partner",
                     ("enterprise", "hot"),
                     ("Acme Corp - Team plan (50 seats)", 36500.0, "negotiation", 5)),
        _SpecialLead("chris-johnson", "Chris Johnson", "chris.johnson@initech.example",
                     "+1-555-027-3318", "Initech", "VP of Engineering", "qualified", _ALEX,
                     40 * 24, "referral", ("enterprise",),
                     ("Initech - Annual platform license", 48000.0, "proposal", 10)),
        _SpecialLead("chris-parker", "Chris Parker", "chris.parker@umbrellahealth.example",
                     "+1-555-062-9047", "Umbrella Health", "Director of Operations",
                     "contacted", _SAM, 33 * 24, "event", ("webinar-2026",)),
    ),
)

GLOBEX = _OrgPlan(
    id=GLOBEX_ID,
    key="globex",
    name="Globex Corporation",
    lead_count=40,
    recent_leads=3,
    owner_weights=(55, 45),
    mailbox_providers=("outlook", "smtp"),
    tags=(
        ("hot", "#d62728"), ("enterprise", "#1f77b4"), ("smb", "#2ca02c"),
        ("trade-show-2026", "#8c564b"), ("expansion", "#bcbd22"),
        ("partner-referral", "#17becf"),
    ),
    sequences=(
        ("Trade show follow-up (6 steps)",
         "Six touches after a trade show: thank-you, recap, demo offer, two check-ins, "
         "break-up.", 6, "active"),
        ("Post-demo follow-up",
         "Recap, pricing and a decision call in the week after a demo.", 3, "active"),
        ("Re-engagement",
         "Quarterly win-back for quiet leads; paused while the copy is rewritten.", 7, "paused"),
    ),
    opportunities=12,
    stale_deals=2,
    calls=55,
    enrollments=3,
    special_leads=(
        _SpecialLead("jane-smith", "Jane Smith", "jane.smith@vandelay.example",
                     "+1-555-044-7720", "Vandelay Industries", "Import Manager", "contacted",
                     _JORDAN, 26 * 24, "referral", ("enterprise",)),
    ),
)

ORG_PLANS = (NORTHWIND, GLOBEX)

SPECIAL_TASKS = (
    _SpecialTask(_ALEX, "jane-smith", "Follow up with Jane Smith about pricing",
                 "She asked for volume pricing for 40 seats on the pricing page.", "high", 15, 0),
    _SpecialTask(_ALEX, "chris-johnson", "Send proposal to Initech",
                 "Annual platform license; Chris wants it before their Thursday review.",
                 "high", 17, 30),
    _SpecialTask(_SAM, "chris-parker", "Call Chris Parker back about the pilot",
                 "He missed our last call; wants to talk pilot scope.", "medium", 14, 0),
    _SpecialTask(_JORDAN, "jane-smith", "Send revised quote to Jane Smith at Vandelay",
                 "Drop the onboarding fee if they sign this month.", "high", 16, 0),
)

# Per user: how many tasks of each kind (due today includes the special tasks).
TASKS_DUE_TODAY = 4
TASKS_OVERDUE = 4
TASKS_UPCOMING = 5
TASKS_UNDATED = 2
TASKS_COMPLETED = 6  # the first two of them were due today
CALLS_YESTERDAY = 5
EMAILS_PER_USER = 4  # the first two sent yesterday
SMS_PER_USER = 3  # the first one sent yesterday


# --------------------------------------------------------------------------- helpers


def _spread(rng: random.Random, mix: Sequence[tuple[T, int]], n: int) -> list[T]:
    """`n` values in the proportions of `mix`, shuffled.

    Exact shares (largest remainder) rather than independent draws, so "about 35% new" holds
    for every org size instead of only on average.
    """
    total = sum(weight for _, weight in mix)
    exact = [n * weight / total for _, weight in mix]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(mix)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: n - sum(counts)]:
        counts[i] += 1
    values = [value for (value, _), count in zip(mix, counts, strict=True) for _ in range(count)]
    rng.shuffle(values)
    return values


def _domain(company: str) -> str:
    return re.sub(r"[^a-z0-9]", "", company.lower()) + ".example"


def _first(name: str) -> str:
    return name.split()[0]


def _slug(user: DemoUser) -> str:
    """`alex` for alex@northwind.example: the part of a user's row ids that names them."""
    return user.email.split("@")[0]


class _Clock:
    """Places every timestamp relative to `now`, so the demo is always current."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.today = now.date()

    def ago(self, low: timedelta, high: timedelta) -> datetime:
        """A moment between `high` and `low` before now, to the second."""
        seconds = self.rng.randint(int(low.total_seconds()), int(high.total_seconds()))
        return self.now - timedelta(seconds=seconds)

    def between(self, start: datetime, end: datetime) -> datetime:
        """A moment in [start, end]; `start` itself if the window is empty."""
        span = max(0, int((end - start).total_seconds()))
        return start + timedelta(seconds=self.rng.randint(0, span))

    def on_day(self, days_from_today: int, hour: int, minute: int = 0) -> datetime:
        """A UTC wall-clock time on today's date shifted by `days_from_today`."""
        day = self.today + timedelta(days=days_from_today)
        return datetime.combine(day, time(hour, minute), tzinfo=UTC)

    def business_hours(self, days_from_today: int) -> datetime:
        """A random quarter hour between 13:00 and 20:45 UTC (a US working day)."""
        hour = self.rng.randint(13, 20)
        return self.on_day(days_from_today, hour, self.rng.choice((0, 15, 30, 45)))

    def yesterday(self) -> datetime:
        """A moment yesterday (UTC date) between 13:00 and 22:00."""
        return self.on_day(-1, 13) + timedelta(seconds=self.rng.randint(0, 9 * 3600))


MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


# --------------------------------------------------------------------------- the builder


class _DemoBuilder:
    """Builds every demo row in a fixed order from one random generator."""

    def __init__(self, now: datetime) -> None:
        self.rng = random.Random(SEED)
        self.clock = _Clock(self.rng, now)
        self.now = now
        self.users = {u.email: u for u in DEMO_USERS}
        self.leads: dict[str, list[Lead]] = {}  # by org id
        self.special: dict[tuple[str, str], Lead] = {}  # by (org key, slug)
        self.special_ids: set[str] = set()
        self.recent: set[str] = set()  # lead ids created in the last 24 hours
        self.stale: set[str] = set()  # lead ids of stale open deals
        self.live_deals: dict[str, list[Lead]] = {}  # by org id: leads of the other open deals
        self.mailboxes: dict[str, list[EmailAccount]] = {}  # by user id

    def org_users(self, org: _OrgPlan) -> list[DemoUser]:
        return [u for u in DEMO_USERS if u.org_id == org.id]

    def is_special(self, lead: Lead) -> bool:
        return lead.id in self.special_ids

    def owned(self, user: DemoUser, *, quiet_ok: bool = True) -> list[Lead]:
        """The user's random leads that have been around for a while: random tasks, calls
        from yesterday and sent mail go to these. Named leads are left out, so a demo about
        Jane Smith meets only the activity placed on purpose."""
        return [
            lead for lead in self.leads[user.org_id]
            if lead.owner_id == user.id
            and not self.is_special(lead)
            and lead.id not in self.recent
            and lead.created_at < self.now - 15 * DAY
            and (quiet_ok or lead.id not in self.stale)
        ]

    # -- organisations, users, tags

    def organizations(self) -> list[Base]:
        return [Organization(id=org.id, name=org.name) for org in ORG_PLANS]

    def user_rows(self) -> list[Base]:
        return [
            User(id=u.id, org_id=u.org_id, name=u.name, email=u.email,
                 phone=_USER_PHONES[u.email], api_key_hash=hash_api_key(u.key))
            for u in DEMO_USERS
        ]

    def tags(self, org: _OrgPlan) -> list[Base]:
        return [
            Tag(id=demo_id("tag", f"{org.key}:{name}"), org_id=org.id, name=name, color=color,
                created_at=self.now - (150 - i) * DAY)
            for i, (name, color) in enumerate(org.tags)
        ]

    # -- leads

    def lead_rows(self, org: _OrgPlan, phones: set[str]) -> list[Lead]:
        """The named leads, then random ones; `phones` collects numbers already in use."""
        rows = [self._special_lead(org, spec) for spec in org.special_leads]
        names = {spec.name for spec in org.special_leads}
        count = org.lead_count - len(rows)
        statuses = _spread(self.rng, LEAD_STATUS_MIX, count)
        users = self.org_users(org)
        owners = _spread(self.rng, list(zip(users, org.owner_weights, strict=True)), count)
        new_ones = [i for i, status in enumerate(statuses) if status == "new"]
        recent = set(new_ones[: org.recent_leads])
        tag_names = [name for name, _ in org.tags]
        for i in range(count):
            first, last = self._unique_name(names)
            company = self.rng.choice(COMPANIES)
            local = self.rng.choice((f"{first}.{last}", f"{first[0]}{last}")).lower()
            email = None if self.rng.random() < 0.03 else f"{local}@{_domain(company)}"
            phone = None if self.rng.random() < 0.10 else self._unique_phone(phones)
            if i in recent:
                created = self.clock.ago(20 * MINUTE, 23 * HOUR)
            else:
                created = self.clock.ago(26 * HOUR, 120 * DAY)
            updated = created if statuses[i] == "new" else self.clock.between(created, self.now)
            lead = Lead(
                id=demo_id("lead", f"{org.key}:{i + 1}"), org_id=org.id, owner_id=owners[i].id,
                name=f"{first} {last}", email=email, phone=phone, company=company,
                title=self.rng.choice(JOB_TITLES), status=statuses[i],
                source=self.rng.choice(SOURCES),
                tags=self.rng.sample(tag_names, k=self.rng.choice((0, 0, 1, 1, 2))),
                created_at=created, updated_at=updated,
            )
            if i in recent:
                self.recent.add(lead.id)
            rows.append(lead)
        self.leads[org.id] = rows
        return rows

    def _special_lead(self, org: _OrgPlan, spec: _SpecialLead) -> Lead:
        created = self.now - timedelta(hours=spec.hours_ago)
        updated = created if spec.status == "new" else created + (self.now - created) / 2
        lead = Lead(
            id=demo_id("lead", f"{org.key}:{spec.slug}"), org_id=org.id,
            owner_id=self.users[spec.owner].id, name=spec.name, email=spec.email,
            phone=spec.phone, company=spec.company, title=spec.title, status=spec.status,
            source=spec.source, tags=list(spec.tags), created_at=created, updated_at=updated,
        )
        self.special[(org.key, spec.slug)] = lead
        self.special_ids.add(lead.id)
        if spec.hours_ago < 24:
            self.recent.add(lead.id)
        return lead

    def _unique_name(self, taken: set[str]) -> tuple[str, str]:
        while True:
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            if f"{first} {last}" not in taken:
                taken.add(f"{first} {last}")
                return first, last

    def _unique_phone(self, taken: set[str]) -> str:
        """A fictional +1-555-0NN-NNNN number not used by any other lead."""
        while True:
            phone = f"+1-555-0{self.rng.randint(10, 99)}-{self.rng.randint(1000, 9999)}"
            if phone not in taken:
                taken.add(phone)
                return phone

    # -- mailboxes

    def email_accounts(self, org: _OrgPlan) -> list[Base]:
        """Two mailboxes per user: the work one (default) and a second, e.g. a shared alias."""
        rows: list[Base] = []
        for user in self.org_users(org):
            slug = _slug(user)
            domain = user.email.split("@")[1].replace(".example", "-mail.example")
            first, last = user.name.lower().split()
            work, second = org.mailbox_providers
            boxes = [
                EmailAccount(id=demo_id("email_account", f"{slug}:primary"), user_id=user.id,
                             email=user.email, display_name=user.name, provider=work,
                             is_default=True),
                EmailAccount(id=demo_id("email_account", f"{slug}:secondary"), user_id=user.id,
                             email=f"{first}.{last}@{domain}",
                             display_name=f"{user.name} ({user.org_name})", provider=second,
                             is_default=False),
            ]
            self.mailboxes[user.id] = boxes
            rows.extend(boxes)
        return rows

    # -- deals, sequences, enrollments

    def opportunities(self, org: _OrgPlan) -> list[Opportunity]:
        """Deals across all stages; the first few open ones on old leads are left stale.

        Every other open deal gets a recent call (see `calls`), so the stale ones are exactly
        those chosen here and the daily summary has a short, deliberate list to report.
        """
        rows: list[Opportunity] = []
        for spec in org.special_leads:
            if spec.deal is not None:
                lead = self.special[(org.key, spec.slug)]
                name, value, stage, close_in = spec.deal
                rows.append(self._deal(org, len(rows) + 1, lead, name, value, stage,
                                       self.clock.today + timedelta(days=close_in)))
        candidates = [
            lead for lead in self.leads[org.id]
            if lead.status in ("contacted", "qualified", "customer")
            and not self.is_special(lead) and lead.id not in self.recent
        ]
        count = org.opportunities - len(rows)
        stages = _spread(self.rng, STAGE_MIX, count)
        stale = 0
        for lead, stage in zip(self.rng.sample(candidates, count), stages, strict=True):
            value = float(self.rng.randrange(2000, 250_001, 250))
            product = self.rng.choice(PRODUCTS)
            name = f"{lead.company} - {product[0].upper()}{product[1:]}"
            if stage in OPEN_STAGES:
                no_date = self.rng.random() < 0.15
                close = None if no_date else self.clock.today + self.rng.randint(0, 90) * DAY
            else:
                close = self.clock.today - self.rng.randint(1, 60) * DAY
            deal = self._deal(org, len(rows) + 1, lead, name, value, stage, close)
            quiet_enough = lead.created_at < self.now - 30 * DAY
            if stage in OPEN_STAGES and quiet_enough and stale < org.stale_deals:
                stale += 1
                self.stale.add(lead.id)
                deal.updated_at = self.clock.ago(15 * DAY, 28 * DAY)
                deal.created_at = max(lead.created_at, deal.updated_at - 10 * DAY)
            rows.append(deal)
        leads = {lead.id: lead for lead in self.leads[org.id]}
        self.live_deals[org.id] = [
            leads[deal.lead_id] for deal in rows
            if deal.stage in OPEN_STAGES and deal.lead_id not in self.stale
        ]
        return rows

    def _deal(self, org: _OrgPlan, n: int, lead: Lead, name: str, value: float, stage: str,
              close: date | None) -> Opportunity:
        created = self.clock.between(lead.created_at, self.now - DAY)
        return Opportunity(
            id=demo_id("opportunity", f"{org.key}:{n}"), org_id=org.id, lead_id=lead.id,
            owner_id=lead.owner_id, name=name, value=value, currency="USD", stage=stage,
            expected_close_date=close, created_at=created,
            updated_at=self.clock.between(created, self.now - HOUR),
        )

    def sequences(self, org: _OrgPlan) -> list[SequenceRow]:
        return [
            SequenceRow(id=demo_id("sequence", f"{org.key}:{i + 1}"), org_id=org.id, name=name,
                        description=description, status=status, step_count=steps,
                        created_at=self.now - (140 - 10 * i) * DAY)
            for i, (name, description, steps, status) in enumerate(org.sequences)
        ]

    def enrollments(self, org: _OrgPlan, sequence: SequenceRow) -> list[Base]:
        """A few random new/contacted leads in the org's first sequence (never a named one,
        so enrolling Jane Smith or an Acme lead in a demo does not hit a duplicate)."""
        pool = [
            lead for lead in self.leads[org.id]
            if lead.status in ("new", "contacted") and not self.is_special(lead)
            and lead.id not in self.recent and lead.id not in self.stale
        ]
        return [
            Enrollment(id=demo_id("enrollment", f"{org.key}:{i + 1}"), sequence_id=sequence.id,
                       lead_id=lead.id, status="active",
                       enrolled_at=max(lead.created_at + HOUR, self.clock.ago(DAY, 20 * DAY)))
            for i, lead in enumerate(self.rng.sample(pool, org.enrollments))
        ]

    # -- tasks

    def tasks(self, user: DemoUser) -> list[Task]:
        """Due today, overdue, upcoming, undated and completed tasks for one user.

        Completed tasks include some that were due today, so a "due today" answer that
        forgets to filter on `completed` shows up in tests.
        """
        org = next(plan for plan in ORG_PLANS if plan.id == user.org_id)
        pool = self.owned(user)
        rows: list[Task] = []
        specials = [t for t in SPECIAL_TASKS if t.owner == user.email]
        for t in specials:
            lead = self.special[(org.key, t.lead_slug)]
            due = self.clock.on_day(0, t.hour, t.minute)
            rows.append(self._task(user, len(rows), t.title, lead, due, t.priority,
                                   t.description))
        due_dates = (
            [self.clock.business_hours(0) for _ in range(TASKS_DUE_TODAY - len(specials))]
            + [self.clock.business_hours(-self.rng.randint(1, 10)) for _ in range(TASKS_OVERDUE)]
            + [self.clock.business_hours(self.rng.randint(1, 14)) for _ in range(TASKS_UPCOMING)]
        )
        for due in due_dates:
            rows.append(self._random_task(user, len(rows), pool, due))
        for _ in range(TASKS_UNDATED):
            rows.append(self._task(user, len(rows), self.rng.choice(ADMIN_TASKS), None, None,
                                   "low", None))
        for i in range(TASKS_COMPLETED):
            due = self.clock.business_hours(0 if i < 2 else -self.rng.randint(1, 10))
            done = min(due, self.now) - timedelta(minutes=self.rng.randint(5, 300))
            rows.append(self._random_task(user, len(rows), pool, due, completed_at=done))
        return rows

    def _random_task(self, user: DemoUser, n: int, pool: list[Lead], due: datetime,
                     completed_at: datetime | None = None) -> Task:
        """Mostly a task about one of the user's leads; now and then an admin chore."""
        priority = self.rng.choices(PRIORITIES, PRIORITY_WEIGHTS)[0]
        description = self.rng.choice(TASK_DESCRIPTIONS) if self.rng.random() < 0.4 else None
        if self.rng.random() < 0.1:
            return self._task(user, n, self.rng.choice(ADMIN_TASKS), None, due, priority,
                              None, completed_at)
        lead = self.rng.choice(pool)
        title = self.rng.choice(TASK_TEMPLATES).format(**self._lead_words(lead))
        return self._task(user, n, title, lead, due, priority, description, completed_at)

    def _task(self, user: DemoUser, n: int, title: str, lead: Lead | None,
              due: datetime | None, priority: str, description: str | None,
              completed_at: datetime | None = None) -> Task:
        """The task row; it was created a few hours to two weeks before it fell due."""
        anchor = min(due or self.now, self.now, completed_at or self.now)
        created = anchor - timedelta(seconds=self.rng.randint(3600, 14 * 86400))
        if lead is not None:
            created = max(created, lead.created_at)
        return Task(
            id=demo_id("task", f"{_slug(user)}:{n + 1}"), org_id=user.org_id,
            owner_id=user.id, title=title, description=description,
            lead_id=lead.id if lead else None, due_date=due, priority=priority,
            completed=completed_at is not None, completed_at=completed_at,
            created_at=created, updated_at=completed_at or created,
        )

    def _lead_words(self, lead: Lead) -> dict[str, str]:
        return {
            "first": _first(lead.name), "name": lead.name,
            "company": lead.company or lead.name, "product": self.rng.choice(PRODUCTS),
        }

    # -- notes and calls

    def notes(self, org: _OrgPlan) -> list[Base]:
        """One to three notes on about half the leads, over the past 60 days."""
        users = self.org_users(org)
        rows: list[Base] = []
        for lead in self.leads[org.id]:
            if lead.id in self.recent or self.rng.random() >= 0.5:
                continue
            for _ in range(self.rng.randint(1, 3)):
                if lead.status == "new":
                    outcome = self.rng.choice((None, None, "no_answer", "voicemail"))
                else:
                    outcome = self.rng.choice((None, None, *ANSWERED, *UNANSWERED))
                text = self.rng.choice(NOTE_TEMPLATES[outcome]).format(**self._lead_words(lead))
                rows.append(Note(
                    id=demo_id("note", f"{org.key}:{len(rows) + 1}"), org_id=org.id,
                    lead_id=lead.id, author_id=self._rep_for(lead, users), content=text,
                    outcome=outcome, created_at=self._activity_time(lead, 60 * DAY),
                ))
        return rows

    def calls(self, org: _OrgPlan) -> list[Base]:
        """Dialer history over the past 30 days: calls every rep made yesterday, a recent
        call on every open deal that is not meant to be stale, then random history."""
        users = self.org_users(org)
        rows: list[Base] = []
        for user in users:
            pool = self.owned(user, quiet_ok=False)
            for _ in range(CALLS_YESTERDAY):
                rows.append(self._call(org, len(rows) + 1, self.rng.choice(pool), user.id,
                                       self.clock.yesterday()))
        for lead in self.live_deals[org.id]:
            start = max(lead.created_at + HOUR, self.now - 13 * DAY)
            rows.append(self._call(org, len(rows) + 1, lead, lead.owner_id,
                                   self.clock.between(start, self.now - HOUR)))
        pool = [lead for lead in self.leads[org.id] if lead.id not in self.recent]
        while len(rows) < org.calls:
            lead = self.rng.choice(pool)
            rows.append(self._call(org, len(rows) + 1, lead, self._rep_for(lead, users),
                                   self._activity_time(lead, 30 * DAY)))
        return rows

    def _call(self, org: _OrgPlan, n: int, lead: Lead, user_id: str,
              started: datetime) -> Call:
        inbound = lead.status != "new" and self.rng.random() < 0.15
        if inbound:
            outcome = self.rng.choice(ANSWERED)
        elif lead.status == "new":
            outcome = self.rng.choice(UNANSWERED)
        else:
            outcome = self.rng.choices(OUTBOUND_OUTCOMES, OUTBOUND_OUTCOME_WEIGHTS)[0]
        answered = outcome in ANSWERED
        summary = CALL_SUMMARIES[outcome].format(**self._lead_words(lead)) if answered else None
        return Call(
            id=demo_id("call", f"{org.key}:{n}"), org_id=org.id, lead_id=lead.id,
            user_id=user_id, direction="inbound" if inbound else "outbound",
            duration_seconds=self.rng.randint(30, 1800) if answered else 0, outcome=outcome,
            started_at=started, summary=summary,
        )

    def _rep_for(self, lead: Lead, users: list[DemoUser]) -> str:
        """Mostly the owner; sometimes a teammate covering."""
        return self.rng.choice(users).id if self.rng.random() < 0.2 else lead.owner_id

    def _activity_time(self, lead: Lead, window: timedelta) -> datetime:
        """A moment in the last `window` after the lead existed; stale leads stay quiet for
        the last 14 days."""
        start = max(lead.created_at + HOUR, self.now - window)
        end = self.now - (15 * DAY if lead.id in self.stale else 10 * MINUTE)
        return self.clock.between(start, end)

    # -- outbox history

    def emails(self, user: DemoUser) -> list[Base]:
        slug = _slug(user)
        pool = [lead for lead in self.owned(user, quiet_ok=False) if lead.email]
        boxes = self.mailboxes[user.id]
        rows: list[Base] = []
        for i in range(EMAILS_PER_USER):
            lead = self.rng.choice(pool)
            assert lead.email is not None
            box = boxes[0] if self.rng.random() < 0.75 else boxes[1]
            subject, body = self.rng.choice(EMAIL_TEMPLATES)
            words = {**self._lead_words(lead), **self._rep_words(user)}
            sent = self.clock.yesterday() if i < 2 else self.clock.ago(2 * DAY, 14 * DAY)
            rows.append(Email(
                id=demo_id("email", f"{slug}:{i + 1}"), org_id=user.org_id, user_id=user.id,
                email_account_id=box.id, from_email=box.email, to_email=lead.email,
                subject=subject.format(**words), body_text=body.format(**words),
                lead_id=lead.id, status="sent", sent_at=sent,
            ))
        return rows

    def sms(self, user: DemoUser) -> list[Base]:
        slug = _slug(user)
        pool = [lead for lead in self.owned(user, quiet_ok=False) if lead.phone]
        rows: list[Base] = []
        for i in range(SMS_PER_USER):
            lead = self.rng.choice(pool)
            assert lead.phone is not None
            words = {**self._lead_words(lead), **self._rep_words(user)}
            sent = self.clock.yesterday() if i < 1 else self.clock.ago(2 * DAY, 10 * DAY)
            rows.append(Sms(
                id=demo_id("sms", f"{slug}:{i + 1}"), org_id=user.org_id, user_id=user.id,
                lead_id=lead.id, to_phone=lead.phone,
                message=self.rng.choice(SMS_TEMPLATES).format(**words), status="sent",
                sent_at=sent,
            ))
        return rows

    def _rep_words(self, user: DemoUser) -> dict[str, str]:
        return {"me": user.name, "my_first": _first(user.name), "org": user.org_name}


# --------------------------------------------------------------------------- entry point


async def seed_demo_data(session: AsyncSession, *, now: datetime) -> None:
    """Insert the whole demo data set relative to `now` (aware UTC) and flush.

    The caller commits. Rows go in parent-first batches so databases that enforce foreign
    keys (PostgreSQL, SQLite with the pragma on) accept every insert.
    """
    if now.tzinfo is None:
        raise ValueError("seed_demo_data needs an aware datetime for `now`")
    now = now.astimezone(UTC).replace(microsecond=0)
    build = _DemoBuilder(now)

    async def insert(rows: Sequence[Base]) -> None:
        session.add_all(rows)
        await session.flush()

    await insert(build.organizations())
    await insert(build.user_rows())
    phones = {*_USER_PHONES.values(), *(s.phone for o in ORG_PLANS
                                         for s in o.special_leads if s.phone)}
    for org in ORG_PLANS:
        await insert(build.tags(org))
        await insert(build.lead_rows(org, phones))
        await insert(build.email_accounts(org))
        await insert(build.opportunities(org))
        sequences = build.sequences(org)
        await insert(sequences)
        await insert(build.enrollments(org, sequences[0]))
        await insert(build.notes(org))
        await insert(build.calls(org))
        for user in build.org_users(org):
            await insert(build.tasks(user))
            await insert(build.emails(user))
            await insert(build.sms(user))
