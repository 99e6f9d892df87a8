"""Tasks: create (title, due phrase, priority, the lead mentioned), complete, reschedule."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from coworker.llm.offline import vocab
from coworker.llm.offline.dates import find_due, strip_due
from coworker.llm.offline.intents.common import DEAL_WORDS, TASK_WORDS, I, Intent, make_intent
from coworker.llm.offline.shorthand import normalise
from coworker.llm.offline.slots import (
    LeadRef,
    lead_ref,
    looks_like_name_word,
    name_prefix,
)
from coworker.llm.offline.text import KEYWORDS, Utterance, capitalise


def clean_task_phrase(text: str) -> str:
    text = re.sub(rf"\b(?:the|my|a|an|that|this)\b|\b{TASK_WORDS}\b|\bone\b", " ", text, flags=I)
    return re.sub(r"\s+", " ", text).strip(" .,:;!?'\"")


def complete_request(u: Utterance, cmd: str) -> Intent | None:
    if re.search(r"\b(?:deals?|opportunit(?:y|ies)|opps?)\b", cmd, I):
        return None
    patterns = (
        r"^(?:done|finished|completed|complete)\s*[:\-]+\s*(?P<x>.+)$",
        r"^(?:i'?m |i am |we'?re |we are )?(?:all |now )?(?:done|finished|through) with (?P<x>.+)$",
        r"^(?:(?:i|we) (?:have |'ve )?(?:just )?(?:did|done)|"
        r"(?:i |we )?(?:have |'ve )?(?:just )?(?:finished|completed|knocked out|"
        r"wrapped up|handled|took care of|sorted|ticked off|checked off))\s+(?P<x>.+)$",
        r"^(?:mark|set|flag|tick|check|cross|close)\s+(?P<x>.+?)\s+(?:as\s+|to\s+)?(?:done|"
        r"complete|"
        r"completed|finished|off|closed)$",
        r"^(?:complete|finish|close out|close|tick off|check off|cross off|resolve|"
        r"clear)\s+(?P<x>.+)$",
        r"^(?P<x>.+?)\s+(?:is |are |was |has been )?(?:all )?(?:done|complete|completed|finished|"
        r"sorted|taken care of|handled)$",
    )
    for pattern in patterns:
        m = re.match(pattern, cmd, I)
        if m:
            x = m["x"].strip()
            if re.match(r"^(?:i|we|you|they)\b", x, I):
                return None
            if re.search(
                r"\b(?:call|chat|talk|conversation|meeting)\s+with\b", x, I
            ) and vocab.outcome_in(x.lower()):
                return None
            phrase = clean_task_phrase(x)
            pronoun = phrase.lower() in ("", "it", "that", "this", "same", "last", "that one")
            return make_intent("complete_task", phrase=None if pronoun else phrase)
    return None


def priority_of(text: str) -> tuple[str | None, str]:
    hit = vocab.priority_in(text.lower())
    if not hit:
        return None, text
    value, m = hit
    if value in ("high", "low", "medium") and re.fullmatch(
        r"\b(?:high|low|medium|normal)\b", m.group(0)
    ):
        # a bare "high"/"low" only counts next to priority-ish words or at the very end
        if not re.search(
            rf"{m.group(0)}\s*(?:prio|priority)|(?:priority|prio)\s*:?\s*{m.group(0)}|"
            rf"{m.group(0)}\s*$",
            text.lower(),
        ):
            return None, text
    cut = text[: m.start()] + text[m.end() :]
    cut = re.sub(
        r"(?:,\s*|\s+)(?:and\s+)?(?:make it|mark it|set|as|with|at|it'?s|priority|prio)?\s*$",
        "",
        cut.rstrip(" ,;-!"),
        flags=I,
    )
    cut = re.sub(
        r"\b(?:make it|mark it as|set it to|set it as|mark as|as a|as an|with)\s*(?=,|$)",
        "",
        cut,
        flags=I,
    )
    return value, re.sub(r"\s{2,}", " ", cut).strip(" ,;-")


TASK_LEAD = re.compile(
    r"(?=\b(?:with|w/?|call|ring|phone|email|text|ping|meet|meeting with|visit|chase|nudge|to|for|"
    r"contact|remind|about|send|give|show|tell|ask|invite|thank|brief|introduce|pay|see|book|"
    r"update|help|train|onboard|from)\s+(?P<n>[A-Za-z][\w'.-]*(?:\s+[A-Za-z][\w'.-]*){0,2}))",
    I,
)


def task_lead(title: str) -> LeadRef | None:
    """The lead a task title mentions ("Call Jane", "Send proposal to Initech"), if any."""
    mixed = title[1:] != title[1:].lower()
    for m in TASK_LEAD.finditer(title):
        name, _ = name_prefix(m["n"], max_words=2)
        name = re.sub(r"(?:'s|s')$", "", name)
        first = name.split()[0] if name else ""
        if not first:
            continue
        if first.lower() in ("her", "him", "them"):
            return LeadRef(pronoun=True)
        if mixed and not first[:1].isupper():
            continue
        low = first.lower()
        if not looks_like_name_word(low) or low in KEYWORDS or low in vocab.TASK_WORDS:
            continue
        words = [
            w
            for w in name.split()
            if w.lower() not in vocab.TASK_WORDS and looks_like_name_word(w.lower())
        ]
        return lead_ref(" ".join(words[: len(name.split())]) if words else name)
    return None


def task_slots(text: str, now: datetime) -> dict[str, Any]:
    due = find_due(text, now)
    title = strip_due(text, due) if due else text
    priority, title = priority_of(title)
    title = re.sub(r"^(?:to|that|about|of|:|-)\s+", "", title.strip(), flags=I)
    title = (
        re.sub(r"^the\s+(?=\w)", "", title, flags=I)
        if re.match(r"^the\s+\S+\s+\S+", title, I)
        else title
    )
    title = re.sub(r"\s+(?:for me|please|pls)$", "", title, flags=I).strip(" ,;:-.")
    title = (
        re.sub(r"\bme\b", "", title, flags=I)
        if re.match(r"^(?:call|email|text|ping)\s+me\b", title, I)
        else title
    )
    return {
        "title": capitalise(title)[:300] if title else None,
        "due": due.iso() if due else None,
        "priority": priority,
        "ref": task_lead(title) if title else None,
    }


def create_task_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    prefix_priority = None
    lead_in = re.match(
        r"^(?P<p>urgent|important|asap|high priority|low priority|top priority)"
        r"\s*[:!,-]+\s*(?P<rest>.+)$",
        cmd,
        I | re.S,
    )
    if lead_in:
        prefix_priority = "low" if lead_in["p"].lower().startswith("low") else "high"
        cmd = lead_in["rest"]
    if re.match(r"^open\s+(?:tasks|todos|to dos|reminders|action items)\b", cmd, I):
        return None  # "open tasks for jane" asks for her open tasks; it opens none
    if re.fullmatch(r"(?:remind me|set a reminder|new reminder|add a reminder|reminder)", cmd, I):
        return make_intent("create_task")
    m = re.match(
        r"^remind\s+(?:me|us)\s+(?:to\s+|about\s+|that\s+|of\s+|i need to\s+)?(?P<x>.+)$",
        cmd,
        I | re.S,
    )
    if not m:
        m = re.match(
            rf"^(?:create|add|make|set|new|put in|schedule|open|set up|log|give me|i need)\s+"
            rf"(?:me\s+|myself\s+)?(?:a\s+|an\s+|the\s+|another\s+)?(?:new\s+)?(?:(?P<prio>high|"
            rf"low|medium|"
            rf"urgent)[- ]?(?:priority)?\s+)?(?:follow up\s+)?{TASK_WORDS}\b\s*(?:to|for|:|-|"
            rf"called|"
            rf"named|titled|that says|saying|about|so i|so that i)?\s*(?P<x>.*)$",
            cmd,
            I | re.S,
        )
    if not m:
        m = re.match(rf"^(?:new\s+)?{TASK_WORDS}\s*[:\-]\s*(?P<x>.+)$", cmd, I | re.S)
    if not m:
        m = re.match(
            rf"^(?:add|put)\s+(?P<x>.+?)\s+(?:to|on)\s+(?:my\s+|the\s+)?(?:{TASK_WORDS}|"
            r"to do)\s*(?:list)?(?P<when>\s+(?:for|by|on|due)\s+.+)?$",
            cmd,
            I,
        )
    if not m:
        m = re.match(
            r"^(?P<x>(?:follow up|check in|circle back|touch base|chase|nudge|ping)\b.*)$",
            cmd,
            I | re.S,
        )
        if m and re.match(r"^follow up\s*$", m["x"], I):
            m = None
    shorthand = False
    if not m and re.match(
        r"^(?:follow up|check in|circle back|touch base)\s+(?:with|about)\s+\S",
        normalise(cmd).text,
        I,
    ):
        # "fu w/ luis tmrw 3pm": understood through its shorthand, but the task keeps the
        # person's own words; reading shorthand is less sure, so the write asks first.
        m, shorthand = re.match(r"^(?P<x>.+)$", cmd, re.S), True
    if not m:
        due = find_due(cmd, now)
        if due and re.match(
            r"^(?:call|ring|phone|meet|visit|send|prepare|prep|book|schedule|"
            r"set up|arrange|review|finish|draft|update|demo|present|pitch|"
            r"reach out|follow|check|confirm|get|do|write|submit|sign)\b",
            cmd,
            I,
        ):
            m = re.match(r"^(?P<x>.+)$", cmd, re.S)
    if not m:
        return None
    text = m["x"].strip().strip("'\"").strip()
    when = m.groupdict().get("when")
    if when:
        text = f"{text} {when.strip()}"
    who_first = re.match(
        r"^(?:for\s+)?(?P<who>[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)?)\s*:\s*(?P<t>.+)$", text, re.S
    )
    slots = task_slots(who_first["t"] if who_first else text.strip("'\" "), now)
    if who_first and not slots.get("ref"):
        slots["ref"] = lead_ref(who_first["who"])
    if not slots["title"]:
        slots["title"] = None
    prio = m.groupdict().get("prio")
    if not slots["priority"] and (prio or prefix_priority):
        slots["priority"] = prefix_priority or (
            "high" if prio and prio.lower() == "urgent" else (prio or "").lower()
        )
    return make_intent("create_task", **slots, shorthand=shorthand or None)


def task_update_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    m = re.match(
        r"^(?:move|push|reschedule|postpone|delay|bump|shift|change|set|update|defer|bring forward|"
        r"pull forward|pull in|snooze|make)\s+(?:the\s+)?(?:due date (?:of|for|on)\s+|deadline "
        r"(?:of|for|on)\s+)?(?P<x>.+?)\s+(?:to|until|till|for|by|on|back to|"
        r"out to)\s+(?P<when>.+)$",
        cmd,
        I,
    )
    if m:
        due = find_due(m["when"], now)
        if due and not re.search(rf"\b{DEAL_WORDS}\b", m["x"], I):
            return make_intent(
                "update_task", phrase=clean_task_phrase(m["x"]) or None, due=due.iso()
            )
    m = re.match(
        r"^(?:make|set|mark|change|bump|raise|lower|flag)\s+(?P<x>.+?)\s+(?:to\s+|as\s+)?(?:a\s+)?"
        r"(?P<p>high|low|medium|urgent|normal|top)(?:\s+priority|\s+prio)?$",
        cmd,
        I,
    )
    if m and re.search(rf"\b{TASK_WORDS}\b|follow up|\bcall\b|proposal|\bdemo\b", m["x"], I):
        value = {"urgent": "high", "top": "high", "normal": "medium"}.get(
            m["p"].lower(), m["p"].lower()
        )
        return make_intent("update_task", phrase=clean_task_phrase(m["x"]) or None, priority=value)
    return None
