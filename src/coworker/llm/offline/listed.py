"""What the coworker's last reply listed or named, and "the one at Wonka", "the Bluth one".

A rep reads a list ("show me my hot leads", "what's due today") and answers it by pointing:
"make a task to call the one at wonka", "the jane one is done", "move it to negotiation".
Those words mean a record of that reply, not a search of the whole CRM: the records are read
from the episode's tool results and kept only when the reply shows them (a lead's name, a
task's title, a deal's name in the reply's text), so a page scanned but not shown is never
"the one". A pointer that fits several records of the list asks; one that fits none is
looked up as usual (and asks there when the CRM has several).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from coworker.llm.offline.conversation import Episode
from coworker.llm.offline.text import similarity

Record = dict[str, Any]

_LEAD_RESULTS = ("search_leads", "get_lead", "create_lead", "update_lead")


@dataclass
class Listed:
    """The leads, tasks and deals one reply showed, in the order it showed them."""

    leads: list[Record] = field(default_factory=list)
    tasks: list[Record] = field(default_factory=list)
    deals: list[Record] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.leads or self.tasks or self.deals)


def _shown(text: str, label: str) -> int:
    """Where the reply shows `label` (-1: not shown)."""
    return text.find(label) if label else -1


def _in_order(text: str, records: dict[str, Record], key: str) -> list[Record]:
    placed = [(_shown(text, str(r.get(key) or "")), r) for r in records.values()]
    return [r for at, r in sorted(placed, key=lambda p: p[0]) if at >= 0]


def listed_in(episode: Episode) -> Listed:
    """The records `episode`'s reply shows (nothing while it has no reply)."""
    text = episode.final_text
    if not text:
        return Listed()
    leads: dict[str, Record] = {}
    tasks: dict[str, Record] = {}
    deals: dict[str, Record] = {}
    for step in episode.steps:
        for result in step.results:
            if not result.ok:
                continue
            if result.name in _LEAD_RESULTS:
                found = result.items("leads") or [r for r in [result.record("lead")] if r]
                leads |= {str(r["id"]): r for r in found if r.get("id")}
            elif result.name == "list_tasks":
                tasks |= {str(t["id"]): t for t in result.items("tasks") if t.get("id")}
            elif result.name == "list_opportunities":
                deals |= {str(d["id"]): d for d in result.items("opportunities") if d.get("id")}
    return Listed(
        _in_order(text, leads, "name"),
        _in_order(text, tasks, "title"),
        _in_order(text, deals, "name"),
    )


# --------------------------------------------------------------------------- the pointer

_NOT_A_KEY = frozenset(
    """
first second third fourth fifth last other same right wrong new old next previous top bottom
only one that this which each every any some latest newest oldest earlier later final big
""".split()
)
_KEY = r"[a-z0-9][\w&.'-]*(?:\s+[a-z0-9][\w&.'-]*){0,2}?"
# "the one at wonka", "the guy from initech", "the lead w/ the bluth email"
_ONE_AT = re.compile(
    r"\bthe\s+(?:one|lead|person|contact|guy|gal|lady|woman|man|dude)\s+(?:at|from|@|with|w/|"
    r"w)\s+(?:the\s+)?(?P<key>" + _KEY + r")(?=\s*$|\s*[,.;:!?)]|\s+(?:to|on|in|into|as|is|for|"
    r"and|about|re|tomorrow|tmrw|tmr|tomorow|today|tonight|next|this|by|at|asap|now|pls|"
    r"please|a|an)\b)",
    re.I,
)
# "the bluth one", "the jane smith one", "the cedar ridge one"
_X_ONE = re.compile(
    r"\bthe\s+(?P<key>" + _KEY + r")\s+one\b(?![-\w])(?!\s+(?:at|from|with)\b)", re.I
)


@dataclass(frozen=True)
class Pointer:
    """ "the one at wonka": `key` the words that pick the record, `said` the words as said."""

    key: str
    said: str


def pointer(text: str) -> Pointer | None:
    """The "the one at X" / "the X one" in `text`, if any (never "the first one": an
    ordinal is a place in the list, read elsewhere)."""
    for pattern in (_ONE_AT, _X_ONE):
        m = pattern.search(text)
        if not m:
            continue
        key = m["key"].strip(" .,'")
        words = key.lower().split()
        if not words or all(w in _NOT_A_KEY for w in words) or words[0] in _NOT_A_KEY:
            continue
        return Pointer(key, m.group(0))
    return None


def _word_fits(word: str, hay: list[str]) -> bool:
    """ "dup" fits "duplicate", "brightline" fits "brightline", "wonka" a typo of it."""
    joined = [a + b for a, b in zip(hay, hay[1:], strict=False)]  # "cleanup": "clean up"
    for h in [*hay, *joined]:
        if word == h or (len(word) >= 3 and h.startswith(word)):
            return True
        if len(word) >= 4 and similarity(word, h, 0.84) >= 0.84:
            return True
    return False


def words_of(*texts: str) -> list[str]:
    return [w for t in texts for w in re.findall(r"[a-z0-9]+", t.lower())]


def fits(key: str, *texts: str) -> bool:
    """Whether every word of `key` is in `texts` (a name, a company, a title)."""
    hay = words_of(*texts)
    wanted = [w for w in words_of(key) if w not in ("the", "a", "an", "of", "and")]
    return bool(wanted) and all(_word_fits(w, hay) for w in wanted)


def leads_fitting(leads: list[Record], key: str) -> list[Record]:
    return [
        lead
        for lead in leads
        if fits(key, str(lead.get("name") or ""), str(lead.get("company") or ""))
    ]


def tasks_fitting(tasks: list[Record], key: str, leads: dict[str, Record]) -> list[Record]:
    out = []
    for task in tasks:
        lead = leads.get(str(task.get("lead_id") or "")) or {}
        about = (str(lead.get("name") or ""), str(lead.get("company") or ""))
        if fits(key, str(task.get("title") or ""), *about):
            out.append(task)
    return out


def deals_fitting(deals: list[Record], key: str, leads: dict[str, Record]) -> list[Record]:
    out = []
    for deal in deals:
        lead = leads.get(str(deal.get("lead_id") or "")) or {}
        if fits(key, str(deal.get("name") or ""), str(lead.get("name") or "")):
            out.append(deal)
    return out


# "the bigger one", "the smaller brightline one": a deal of the list picked by its value.
_BIGGER = frozenset("bigger biggest larger largest".split())
_SMALLER = frozenset("smaller smallest cheaper cheapest".split())


def sized(key: str) -> bool:
    """Whether `key` picks by size ("bigger", "the smallest"), whatever else it says."""
    return any(w in _BIGGER or w in _SMALLER for w in words_of(key))


def _value(deal: Record) -> float | None:
    try:
        return float(deal["value"])
    except (KeyError, TypeError, ValueError):
        return None


def deals_pointed(deals: list[Record], key: str, leads: dict[str, Record]) -> list[Record]:
    """The listed deals `key` points at: by the words of their name or lead ("the sms credits
    one"), and by value when it says "bigger" / "smallest" (every deal left must have one;
    equal values fit both, so the caller asks)."""
    words = words_of(key)
    rest = " ".join(w for w in words if w not in _BIGGER and w not in _SMALLER)
    if not sized(key):
        return deals_fitting(deals, key, leads)
    pool = deals_fitting(deals, rest, leads) if rest else list(deals)
    values = [_value(d) for d in pool]
    known = [v for v in values if v is not None]
    if len(pool) < 2 or len(known) != len(pool):
        return []  # "the bigger one" of one deal, or of deals with no value: not read
    best = max(known) if any(w in _BIGGER for w in words) else min(known)
    return [d for d, v in zip(pool, values, strict=True) if v == best]
