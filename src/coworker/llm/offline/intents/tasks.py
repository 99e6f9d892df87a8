"""Tasks: create (title, due phrase, priority, the lead mentioned) and complete; a change to a
task already made (reschedule, priority) is `task_updates.py`."""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline import vocab
from coworker.llm.offline.dates import find_due, find_when, strip_due
from coworker.llm.offline.intents.common import (
    TASK_WORDS,
    TRAILER,
    I,
    Intent,
    Slots,
    make_intent,
)
from coworker.llm.offline.intents.task_due import task_due
from coworker.llm.offline.intents.task_named import named_in_parentheses
from coworker.llm.offline.intents.task_owed import owed_task
from coworker.llm.offline.intents.task_priority import priority_of
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
    # "the olivia fu": a task's title says "Follow up"
    text = re.sub(r"(?<![\w/])(?:fu|f/u|fup|followup)(?![\w/])", "follow up", text, flags=I)
    return re.sub(r"\s+", " ", text).strip(" .,:;!?'\"")


TASK_LEAD = re.compile(
    r"(?=\b(?:with|w/?|(?:call|ring|phone)(?:[- ]back)?|try|email|text|ping|meet|meeting with|"
    r"visit|chase|nudge|to|for|"
    r"contact|remind|about|send|give|show|tell|ask|invite|thank|brief|introduce|pay|see|book|"
    r"update|help|train|onboard|from)\s+(?P<n>[A-Za-z][\w'.-]*(?:\s+[A-Za-z][\w'.-]*){0,2}))",
    I,
)


# "call the initech person", "email the acme guy": someone at a company, who must be found
_SOMEONE_AT = re.compile(
    r"\bthe\s+(?P<co>[\w&.'-]+(?:\s+[\w&.'-]+)?)\s+(?:person|guy|gal|lady|contact|rep|"
    r"folks|people|ppl|team|woman|man|dude)\b",
    re.I,
)


def someone_at(title: str) -> re.Match[str] | None:
    """ "the initech person" in a task's title: someone at a company, not yet a lead."""
    return _SOMEONE_AT.search(title)


def task_lead(title: str) -> LeadRef | None:
    """The lead a task title mentions ("Call Jane", "Send proposal to Initech"), if any."""
    from coworker.llm.offline.listed import pointer

    pointed = pointer(title)  # "call the one at wonka": a lead the last reply showed
    if pointed is not None:
        return LeadRef(pointed.key, listed=True)
    named = named_in_parentheses(title)  # "prep demo for initech (gabriel allen)"
    if named is not None:
        return named
    someone = _SOMEONE_AT.search(title)
    if someone is not None:  # never an unlinked task: the company's lead, or the question
        return lead_ref(someone["co"])
    # Names written with capitals elsewhere ("Call Jane re pricing") make a lower-case word
    # no name; an acronym ("the IT review", "Q1") says nothing of how names are written.
    mixed = any(w[:1].isupper() and not w.isupper() for w in re.findall(r"\w+", title)[1:])
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


_NEW_ONE = re.compile(
    r"^(?:make|add|create|set up|open|put in)\s+(?:me\s+)?(?:a\s+)?(?:new|another)\s+one\s+"
    # "a new one for end of next week to see if she signed": its day, then what to do
    r"(?:(?:(?:for|on|due)\s+|(?=(?:in\s+)?(?:a|an|one|two|three|\d+)\s+(?:days?|weeks?|wks?|"
    r"months?)\b))(?P<when>[^,;]+?)\s+)?to\s+(?P<x>\w.*)$",
    I | re.S,
)


def task_slots(text: str, now: datetime) -> Slots:
    due, unsure, past = task_due(text, now)
    title = strip_due(text, due) if due else text
    if past:
        unsure = True
        title = re.sub(r"\s{2,}", " ", title.replace(past.group(0), " ")).strip()
    priority, title = priority_of(title)
    title = TRAILER.sub("", title)  # "..., thanks!": chatter, not the task
    title = re.sub(r"^(?:(?:for )?(?:me )?to|that|about|of|:|-)\s+", "", title.strip(), flags=I)
    title = (
        re.sub(r"^the\s+(?=\w)", "", title, flags=I)
        if re.match(r"^the\s+\S+\s+\S+", title, I)
        else title
    )
    title = re.sub(r"\s+(?:for me|please|pls|instead)$", "", title, flags=I).strip(" ,;:-.")
    title = (
        re.sub(r"\bme\b", "", title, flags=I)
        if re.match(r"^(?:call|email|text|ping)\s+me\b", title, I)
        else title
    )
    return Slots(
        title=capitalise(title)[:300] if title else None,
        due=due.iso() if due else None,
        # "on the 12th" (which month?), "next friday" (which week?): shown before it is set
        due_unsure=True if unsure else None,
        past=past.group(0) if past else None,  # "yday": said, and no day a task is due on
        priority=priority,
        ref=task_lead(title) if title else None,
    )


# "high prio task: send hannah the questionnaire", "urgent - call marcus": the priority said
# first; with the word "task" the rest is the task itself.
_PRIORITY_FIRST = re.compile(
    rf"^(?P<p>urgent|important|asap|(?:high|low|top)(?:est)?[- ]?(?:priority|prio)|"
    rf"(?:priority|prio)[- ](?:high|low))(?:\s+(?P<task>{TASK_WORDS}))?\s*[:!,-]+\s*(?P<rest>.+)$",
    I | re.S,
)
# "jane smith - follow up", "marcus: call back": the lead, then what to do with them.
_LEAD_FIRST = re.compile(
    r"^(?P<who>[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*)?)\s*(?:-+|:)\s*(?P<rest>(?:follow[- ]?up|fu|"
    r"f/u|check in|call|ring|send|chase|nudge|ping|book|schedule|confirm|demo)\b.+)$",
    I | re.S,
)
# What kind of task a noun phrase names before "task": "a fu task", "a follow-up task", and
# the words after it that stay in the title ("fu task on mia": "fu on mia").
_KIND_SEPS = ("for", "with", "w/", "about", "on", "re")
_KIND = r"(?P<kind>follow[- ]?up|fu|f/u|fup|check[- ]in|call|email|demo)"
# "task to send chris the contract monday", "reminder to call jane": the noun first, then what
# to do. One task, "to" + a verb: "tasks for jane" is a list.
_NOUN_FIRST = re.compile(
    r"^(?:(?:a|an|new|another|quick)\s+)*(?:follow[- ]?up\s+)?(?:task|to-?do|reminder)\s+"
    r"(?:to|that i need to|so i)\s+(?P<x>[a-z].+)$",
    I | re.S,
)


# "fu task for isabella tmrw 11am", "need a followup task on mia fri": a kind of task said
# with no verb before it. One task (the noun singular, no "my"): "my fu tasks" is a list.
_KIND_FIRST = re.compile(
    rf"^(?:(?:i\s+)?need\s+)?(?:(?:a|an|new|another|quick)\s+)*{_KIND}\s+(?:task|tsk|to-?do|"
    r"reminder)(?!s)\b\s*(?P<sep>for|with|w/|on|about|re|:|-+)?\s*(?P<x>.*\S.*)$",
    I | re.S,
)
_A_KIND = re.compile(
    r"^(?:create|add|make|set|schedule|set up|put in)\s+(?:me\s+)?(?:a|an|another)\s+"
    # "set a call w her tmrw 9am": a call is something to do, so a task (never a call placed)
    r"(?P<kind>follow[- ]?up|fu|f/u|fup|check[- ]in|call[- ]?back|ring[- ]?back|call)\s*"
    r"(?P<sep>with|w/|w|for|re|about|on)?\s*(?P<x>.*)$",
    I | re.S,
)
# "put a task on my list to review the contract in 3 wks", "put a task in to send liam the
# proposal", "put a task on me to call her back": a task on the person's own list, then what.
_ON_LIST = re.compile(
    r"^(?:add|put|stick|throw|pop|drop|slap|get)\s+(?:(?:a|an|another|new|quick)\s+)?"
    r"(?:(?:follow[- ]?up|fu|f/u)\s+)?(?:(?:task|to-?do|reminder|item)?\s*(?:on|to|onto|in)\s+"
    r"(?:my|the)\s+(?:(?:task|to-?do|to do)\s+)?(?:list|plate|queue)\b|(?:task|to-?do|reminder)"
    r"\s+(?:in(?:\s+for\s+(?:me|myself|us))?|on\s+(?:me|myself))(?=\s*(?:to\b|:|-)))[\s,]*"
    r"(?:to\b|:|-+)?\s*(?P<x>\S.*)$",
    I | re.S,
)

# "task for priya shah fri: send the deck", "reminder for tom - chase the po before tues",
# "task for maya to send the nda":
# whom for (and maybe when), then what. Only the name goes to the lead lookup.
_FOR_WHOM = re.compile(
    rf"^(?:(?:add|create|make|set(?: up)?|put in)\s+)?(?:(?:a|an|new|another|quick)\s+)*"
    rf"(?:{_KIND}\s+)?(?:task|to-?do|reminder)\s+"
    r"(?:for|w/?|with)\s+(?P<who>[^:\n]+?)\s*(?::|\s-+|\s+to(?=\s+[a-z]))\s*(?P<t>\S.*)$",
    I | re.S,
)
# "marcus reed wed 4pm - call re pricing", "mei hayes thurs 3pm: demo prep": the lead and
# when, then what.
_WHO_WHEN = re.compile(r"^(?P<who>[^:\n]+?)\s*(?::|\s-+)\s*(?P<t>\S.*)$", re.S)


def _whom(left: str, now: datetime, *, dated: bool) -> tuple[str, str] | None:
    """ "priya shah fri" -> ("priya shah", "fri"): a name of one to three words and the date
    phrase after it (required when `dated`), or None when `left` is anything else."""
    who, when = left.strip(" ,"), ""
    found = find_when(who, now)
    if found:
        last = found[-1]
        if len(found) > 1 or last.end < len(who):
            return None
        who, when = who[: last.start].strip(" ,"), last.text
    words = who.split()
    if not words and when and not dated:  # "a task for fri: clean up my list": when alone
        return "", when
    if (dated and not when) or not 1 <= len(words) <= 3:
        return None
    if any(not looks_like_name_word(w.lower()) or w.lower() in KEYWORDS for w in words):
        return None
    return who, when


def _task_for(cmd: str, now: datetime) -> Intent | None:
    """A task said as whom for, then what (`_FOR_WHOM`, `_WHO_WHEN`): the name is the
    lead, the rest (and the date said with the name) the task. The bare "X wed 4pm - ..."
    has no task word, so the write shows what was understood first."""
    m = _FOR_WHOM.match(cmd)
    bare = m is None
    m = m or _WHO_WHEN.match(cmd)
    split = _whom(m["who"], now, dated=bare) if m else None
    if m is None or split is None:
        return None
    who, when = split
    slots = task_slots(f"{m['t'].strip()} {when}".strip(), now)
    if not slots.get("title"):
        return None
    if who:
        slots["ref"] = lead_ref(who)
    return make_intent("create_task", **_named_once(slots)).but(shorthand=True if bare else None)


def _kind_lead(rest: str, now: datetime) -> LeadRef | None:
    """Whom a "fu task" is with when the name follows the noun ("fu task on hannah tmrw",
    "fu task - priya shah - 4pm"): the name words before the date, if they read as a name."""
    rest = re.sub(r"^[\s:-]+", "", rest)
    found = find_when(rest, now)
    who = rest[: found[0].start] if found else rest
    who = who.strip(" ,:;-")
    the = re.match(r"^the\s+(?P<c>.+?)\s+(?P<n>\S+)$", who, I)
    if the:  # "fu task for the umbrella chris": Chris, at Umbrella
        return LeadRef(the["n"], company=the["c"]) if looks_like_name_word(the["n"]) else None
    words = who.split()
    if not 1 <= len(words) <= 3:
        return None
    if any(not looks_like_name_word(w.lower()) or w.lower() in KEYWORDS for w in words):
        return None
    return lead_ref(who)


def create_task_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    prefix_priority = None
    first = next(iter(find_when(cmd, now)), None)
    if first is not None and first.start == 0 and re.match(r"[\s,:;-]+[a-z]", cmd[first.end :], I):
        # "tmrw 10am call w jane": the date goes last, where the rules look for it
        cmd = f"{cmd[first.end :].lstrip(' ,:;-')} {first.text}"
    lead_in = _PRIORITY_FIRST.match(cmd)
    if lead_in:
        prefix_priority = "low" if lead_in["p"].lower().startswith("low") else "high"
        cmd = lead_in["rest"]
    named = None if lead_in is None or not lead_in["task"] else re.match(r"^(?P<x>.+)$", cmd, re.S)
    if re.match(r"^open\s+(?:tasks|todos|to dos|reminders|action items)\b", cmd, I):
        return None  # "open tasks for jane" asks for her open tasks; it opens none
    said_for = _task_for(cmd, now)
    if said_for is not None:
        if prefix_priority and not said_for.slots.get("priority"):
            return said_for.but("create_task", priority=prefix_priority)
        return said_for
    if re.fullmatch(r"(?:remind me|set a reminder|new reminder|add a reminder|reminder)", cmd, I):
        return make_intent("create_task")
    m = named or re.match(
        r"^remind\s+(?:me|us)\s+(?:to\s+|about\s+|that\s+|of\s+|i need to\s+)?(?P<x>.+)$",
        cmd,
        I | re.S,
    )
    if m and re.match(r"(?:what|when|who|whose|which|where|why|how|if|whether)\b", m["x"], I):
        return None  # "remind me what luis's title is": a question, not a reminder
    if not m:
        m = _NOUN_FIRST.match(cmd) or _ON_LIST.match(cmd)
    if not m:
        m = re.match(
            r"^(?:create|add|make|set|new|put(?: in)?|schedule|open|set up|log|give me|gimme|"
            r"get me|(?:i )?need(?= an? | another ))\s+"
            rf"(?:me\s+|myself\s+)?(?:a\s+|an\s+|the\s+|another\s+)?(?:new\s+)?(?:(?P<prio>high|"
            rf"low|medium|"
            rf"urgent)[- ]?(?:priority|prio)?\s+)?(?:{_KIND}\s+)?{TASK_WORDS}\b\s*(?P<sep>to|for|"
            rf"with|w/|:|-|called|"
            rf"named|titled|that says|saying|about|so i|so that i)?\s*(?P<x>.*)$",
            cmd,
            I | re.S,
        )
    if not m:  # "… and make a new one to check in with him": only a task is "to" do
        m = _NEW_ONE.match(cmd)
    if not m:  # "set a fu for thurs", "add a follow up w marcus": the kind is the task
        m = _A_KIND.match(cmd)
    if not m:
        m = _KIND_FIRST.match(cmd)
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
    lead_first = None
    if not m and re.match(
        r"^(?:follow up|check in|circle back|touch base)\s+(?:with|about|w|re|for|to)\s+\S",
        normalise(cmd).text,
        I,
    ):
        # "fu w/ luis tmrw 3pm": understood through its shorthand, but the task keeps the
        # person's own words; reading shorthand is less sure, so the write asks first.
        m, shorthand = re.match(r"^(?P<x>.+)$", cmd, re.S), True
    if not m:
        due = find_due(cmd, now)
        m = re.match(
            r"^(?:(?:i\s+)?(?:need|have|got)\s+to\s+|must\s+)?(?P<x>(?:call|ring|phone|meet|visit|"
            r"send|prepare|prep|book|schedule|set up|arrange|review|finish|draft|update|demo|"
            r"present|pitch|reach out|follow|check|confirm|get|do|write|submit|sign|chase|"
            r"nudge|ping|invite|share)\b.+)$",
            cmd,
            I | re.S,
        )
        owed = None if m else owed_task(cmd)
        m, shorthand = (owed[0], owed[1]) if owed else (m, shorthand)
        m = m if due else None
        lead_first = None if m or not due else _LEAD_FIRST.match(cmd)
        if lead_first:  # "jane smith - fu tmrw 10am": the whole line is the title
            m = re.match(r"^(?P<x>.+)$", cmd, re.S)
            shorthand = bool(re.match(r"(?:fu|f/u|fup)\b", lead_first["rest"], I))
    if not m:
        return None
    text = m["x"].strip().strip("'\"").strip()
    kind = m.groupdict().get("kind")
    if kind:  # "a fu task w/ jane": the task is to follow up with Jane, in the person's words
        sep = {"w": "w/"}.get((m["sep"] or "").lower(), m["sep"] or "")  # "a fu w jane"
        sep = sep if sep.lower() in _KIND_SEPS else ""
        text = " ".join(w for w in (kind, sep, text) if w)
        shorthand = shorthand or kind.lower() in ("fu", "f/u", "fup")
    when = m.groupdict().get("when")
    if when:
        text = f"{text} {when.strip()}"
    who_first = re.match(
        r"^(?:for\s+)?(?P<who>[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)?)\s*:\s*(?P<t>.+)$", text, re.S
    )
    if not who_first and (m.groupdict().get("sep") or "").lower() == "for":
        # "a task for marcus - prep the qbr deck": whom for, then what
        who_first = re.match(
            r"^(?P<who>[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*)?)\s*(?::|\s-+)\s*(?P<t>.+)$",
            text,
            I | re.S,
        )
    slots = task_slots(who_first["t"] if who_first else text.strip("'\" "), now)
    if who_first and not slots.get("ref"):
        slots["ref"] = lead_ref(who_first["who"])
    if lead_first and not slots.get("ref"):
        slots["ref"] = lead_ref(lead_first["who"])
    if kind and not slots.get("ref"):
        slots["ref"] = _kind_lead(m["x"], now)
    if not slots["title"]:
        slots["title"] = None
    prio = m.groupdict().get("prio")
    if not slots["priority"] and (prio or prefix_priority):
        slots["priority"] = prefix_priority or (
            "high" if prio and prio.lower() == "urgent" else (prio or "").lower()
        )
    return make_intent("create_task", **_named_once(slots)).but(shorthand=shorthand or None)


def _named_once(slots: Slots) -> Slots:
    """ "Try tom becker again with tom becker" (a later request's "him" named, then linked):
    the lead named once in the title."""
    ref, title = slots.get("ref"), slots.get("title")
    if isinstance(ref, LeadRef) and ref.text and isinstance(title, str):
        tail = f" with {ref.text}"
        if title.lower().endswith(tail.lower()) and ref.text.lower() in title[: -len(tail)].lower():
            return {**slots, "title": title[: -len(tail)]}
    return slots
