"""Taking back or correcting the coworker's last change: "undo that", "put it back",
"sorry, 15k not 12k", "make it 20k". What was changed comes from the conversation
(`memory.last_write`), never from the words.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline import vocab
from coworker.llm.offline.amounts import find_amounts
from coworker.llm.offline.dates import find_when, iso
from coworker.llm.offline.intents.common import I, Intent, Slots, calm, make_intent
from coworker.llm.offline.intents.oops import CLAUSE as _CLAUSE
from coworker.llm.offline.intents.oops import OOPS as _OOPS
from coworker.llm.offline.intents.oops import REQUEST_VERB as _REQUEST_VERB
from coworker.llm.offline.intents.oops import SHOULD_BE as _SHOULD_BE
from coworker.llm.offline.intents.taking_back import take_back as _take_back
from coworker.llm.offline.phones import find_phones

# "sorry meant qualified", "wait no, closed won", "its closed WON": the status or stage of
# the last change, corrected (which of the two, the plan reads from that change)
_WORD_FIX = re.compile(
    rf"^(?P<oops>{_OOPS}*)(?P<how>i meant|meant|i mean|{_SHOULD_BE}|"
    r"make (?:it|that|him|her|them)|change (?:it|that) to|it'?s|its|it is)?\s*"
    r"(?P<word>[a-z][a-z ]{2,24}?)(?:\s*,?\s*not\s+[a-z][a-z ]{2,24})?(?:\s+instead)?$",
    I,
)


def _word_fix(text: str) -> Intent | None:
    clauses = [c for c in _CLAUSE.split(text.strip().rstrip("?!. ")) if c]
    if not clauses or len(clauses) > 4:
        return None
    m = _WORD_FIX.match(clauses[-1])
    if m is None or len(m["word"].split()) > 3:
        return None
    word = m["word"].strip().lower()
    if not (vocab.status_in(word) or vocab.stage_in(word)) or word in ("new deal", "lead"):
        return None
    marked = bool(m["oops"] or m["how"] or " not " in f" {clauses[-1].lower()} ")
    marked = marked or any(re.fullmatch(rf"{_OOPS}*", c + " ", I) for c in clauses[:-1])
    if not marked or any(_REQUEST_VERB.match(c) for c in clauses[:-1]):
        return None
    return make_intent("correct_value", word=word, value_raw=m["word"].strip())


def _without_reason(text: str) -> str:
    """ "no wait, 51k. typo": the correction without the short reason after it."""
    clauses = _CLAUSE.split(text)
    while len(clauses) > 1 and re.fullmatch(
        r"(?:(?:a|my|sorry|oops|my bad|typo|sry|whoops|misread|mistyped|fat fingers?|"
        r"wrong|bad|number|#)\s*){1,3}",
        clauses[-1].strip(),
        I,
    ):
        clauses.pop()
    return text if len(clauses) == len(_CLAUSE.split(text)) else _rejoin(text, len(clauses))


def _rejoin(text: str, keep: int) -> str:
    """`text` up to the end of its `keep`-th clause, its own separators kept."""
    cuts = list(_CLAUSE.finditer(text))
    return text[: cuts[keep - 1].start()] if keep - 1 < len(cuts) else text


# "actually reopen that task" right after it was marked done: taking that back, and only that.
REOPEN = re.compile(
    rf"^{_OOPS}*(?:please\s+|pls\s+)?(?:reopen|re-open|un-?complete|unmark|mark)\s+"
    r"(?:that|this|the|it)(?:\s+(?:task|one))?(?:\s+(?:as\s+)?(?:not done|undone|open|"
    r"incomplete))?(?:\s+again)?(?:\s*,?\s*(?:please|pls))?$",
    I,
)
AMOUNT_FIX = re.compile(
    r"^(?:(?:sorry|no|oops|actually|wait|my bad)[,!.]?\s+)*(?:i meant\s+|it'?s\s+|it should be\s+|"
    r"make (?:it|that)\s+|should be\s+)?(?P<new>[$€£]?\d[\d.,]*\s*(?:k|m|grand)?)"
    r"(?:\s*,?\s*not\s+(?P<old>[$€£]?\d[\d.,]*\s*(?:k|m|grand)?))?$",
    I,
)


# "make that 4pm", "sorry, 4:30 not 3": a time of day with its am/pm or its minutes.
TIME_FIX = re.compile(
    r"^(?:(?:sorry|no|oops|actually|wait|my bad)[,!.]?\s+)*(?:make (?:it|that)\s+|"
    r"change (?:it|that) to\s+|move (?:it|that) to\s+|i meant\s+|it'?s\s+|should be\s+)?(?:at\s+)?"
    r"(?P<h>\d{1,2})(?:(?::(?P<m>\d{2}))\s*(?P<ap1>am|pm)?|\s*(?P<ap2>am|pm))"
    r"(?:\s*,?\s*not\s+(?:at\s+)?\d{1,2}(?::\d{2})?\s*(?:am|pm)?)?$",
    I,
)


def _time_fix(text: str) -> Intent | None:
    m = TIME_FIX.match(text)
    if not m or not (
        re.match(r"^(?:sorry|no|oops|actually|wait|make|change|move|i meant)", text, I)
        or "not" in text.lower()
    ):
        return None
    hour, minute = int(m["h"]), int(m["m"] or 0)
    half = (m["ap1"] or m["ap2"] or "").lower()
    if hour > 23 or minute > 59 or (half and not 1 <= hour <= 12):
        return None
    if half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    return make_intent("correct_time", hour=hour, minute=minute, time_raw=m.group(0))


# "make it wed instead", "typo sorry, 555-123-9867", "4:30 not 3": one value, corrected
_FIX = re.compile(
    rf"^(?P<oops>{_OOPS}*)(?:(?P<how>make (?:it|that)|change (?:it|that) to|move (?:it|that) to|"
    rf"push (?:it|that) to|{_SHOULD_BE}|it should be|it'?s|its|it is|i meant|meant)\s+)?"
    r"(?P<value>.+?)(?:\s*,?\s*not\s+(?P<old>[^,]+?))?(?P<instead>\s+instead)?$",
    I,
)


# "5 days", "a week", "2 wks": a span said alone as a change, counted from now as "in ..."
_SPAN = re.compile(
    r"(?:\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:days?|weeks?|wks?|months?|mos?)",
    I,
)


def _moment_fix(text: str, now: datetime, said: str) -> Intent | None:
    """A day or a time alone, said as a change ("make it wed instead", "3:30", "make it 2
    instead"): the due moment of the task just written. A bare number is an hour only when
    it was said as a change ("make it 2"), read as a working hour (1 to 6 is the afternoon)."""
    m = _FIX.match(text)
    if m is None:
        return None
    value = re.sub(r"^(?:at|on|for|to)\s+", "", m["value"].strip(), flags=I)
    # "thurs same time": the day changes, the time stays as it was
    value = re.sub(r"[\s,]+(?:at\s+)?(?:the\s+)?same (?:time|hour)$", "", value, flags=I)
    bare = re.fullmatch(r"\d{1,2}", value)
    # said as a change: "actually thurs" (its "actually" in the person's words only)
    marked = bool(m["oops"] or m["how"] or m["instead"] or m["old"])
    marked = marked or bool(re.match(rf"^\W*{_OOPS}+", said + " ", I))
    if bare and not marked:
        return None  # "15" alone is no day
    phrase = f"at {value}" if bare else value
    if marked and _SPAN.fullmatch(value):  # "make that 5 days": as many days from now
        phrase = f"in {value}"
    found = find_when(phrase, now)
    if len(found) != 1 or found[0].start > 3 or found[0].end < len(phrase.rstrip(" .!")):
        return None
    when = found[0]
    if not marked and (not when.has_date or m["value"] != text.strip() or "?" in said):
        return None  # "3pm" alone: an hour of what?
    at = when.value.astimezone(now.tzinfo)
    # "end of next week" alone: the due date of a task just made with none (else asked
    # what it is about); `due` is the moment as read, for a task that has no time to keep
    slots = Slots(time_raw=m["value"].strip(), sure=when.confident, due=iso(at))
    if not marked:
        slots["bare"] = True
    if when.has_date:
        slots["date"] = at.date().isoformat()
    if when.has_time:
        slots["hour"], slots["minute"] = at.hour, at.minute
    if bare:  # "make it 15": a deal's value just as well, for the plan to tell apart
        slots["value"], slots["value_raw"] = float(value), value
    return make_intent("correct_time", **slots)


# "typo, should end in 8862", "oops last 4 should be 4417": the phone just set, its end fixed
_PHONE_END = re.compile(
    rf"^{_OOPS}*(?:(?:it|the number|the phone|the #)\s+)?(?:(?:should|shd)\s+end\s+(?:in|with)|"
    r"ends?\s+(?:in|with)|(?:the\s+)?last\s+(?:\d|two|three|four|five|six)\s*(?:digits?\s+)?"
    rf"(?:{_SHOULD_BE}|are|is|=|r))\s+(?P<end>\d{{2,6}})(?:\s*,?\s*not\s+\d{{2,6}})?$",
    I,
)


def _phone_fix(text: str) -> Intent | None:
    """ "typo sorry, 555-123-9867": the phone of the lead just changed, said again; or only
    its last digits ("should end in 8862"), the rest of it taken from that change."""
    end = _PHONE_END.match(text)
    if end is not None:
        return make_intent("correct_value", phone_end=end["end"])
    m = _FIX.match(text)
    if m is None or not (m["oops"] or m["how"] or m["old"] or m["instead"]):
        return None
    value = m["value"].strip()
    phones = find_phones(value)
    if len(phones) != 1 or phones[0].start > 0 or phones[0].end < len(value):
        return None
    return make_intent("correct_value", phone=phones[0].text)


_TEXT_HOW = re.compile(
    rf"^(?:make (?:it|that)|change (?:it|that) to|{_SHOULD_BE}|it should be)$", I
)
_NOT_TEXT = re.compile(
    r"\b(?:priority|urgent|task|reminder|note|deal|opp|email|text|sms|call|lead|tag|"
    r"sequence|done|complete|tomorrow|tmrw|today|week|k)\b|^(?:a|an|the|my|it|that|him|her)\b|\d",
    I,
)


def text_fix_request(text: str) -> Intent | None:
    """ "oops make it SVP of Sales" right after a title change: that field's new words.
    Read late in the cascade (only what no other reader takes), and the plan applies it
    only to the lead field just changed, asked first."""
    m = _FIX.match(text.strip().rstrip("!. "))
    if m is None or not m["how"] or not _TEXT_HOW.match(m["how"]) or m["old"]:
        return None
    value = m["value"].strip().strip("\"'“”")
    if not value or len(value.split()) > 6 or _NOT_TEXT.search(value):
        return None
    return make_intent("correct_value", text=value)


def amend(intent: Intent, fix: Intent) -> Intent | None:
    """A request not yet done, with the person's correction of one of its values ("make that
    4pm" while "follow up with Luis tomorrow at 3pm?" waits): None when it has no such value."""
    if fix.kind == "correct_time" and intent.slots.get("due"):
        return intent.but(due=moved_due(str(intent.slots.get("due")), fix), amended=True)
    word = fix.slots.get("word") if fix.kind == "correct_value" else None
    for slot, read in (("status", vocab.status_in), ("stage", vocab.stage_in)):
        if word and intent.slots.get(slot) is not None and read(str(word)):
            fixed = read(str(word))
            if slot == "status":
                return intent.but(status=fixed, amended=True)
            return intent.but(stage=fixed, amended=True)
    if fix.kind == "correct_value" and intent.slots.get("value") is not None:
        value, raw = fix.slots.get("value"), fix.slots.get("value_raw")
        return intent.but(value=value, value_raw=raw, amended=True)
    return None


def moved_due(due: str, fix: Intent) -> str:
    """`due` (ISO) with the day and/or the time of day `fix` names; the rest kept."""
    moved = datetime.fromisoformat(due)
    if fix.slots.get("date"):
        day = datetime.fromisoformat(str(fix.slots.get("date"))).date()
        moved = moved.replace(year=day.year, month=day.month, day=day.day)
    hour = fix.slots.get("hour")
    if hour is not None:
        moved = moved.replace(hour=hour, minute=fix.slots.get("minute") or 0, second=0)
    return iso(moved)


def correction_request(cmd: str, now: datetime, said: str = "") -> Intent | None:
    """`said`: the person's own words, before their "sorry"/"actually" was dropped."""
    # "sorry meant contacted 🤦": an emoji said first or last is only tone
    cmd, said = calm(cmd), calm(said)
    # "make that 1pm actually": the "actually" said last is the tone, as said first
    text = re.sub(r"[\s,]+actually$", "", cmd.strip().rstrip("?!. "), flags=I)
    undo = _take_back(text, said)
    if undo is not None:
        return undo
    if REOPEN.match(text) and re.search(
        r"\b(?:reopen|re-open|un-?complete|unmark|not done|undone|open|incomplete)\b", text, I
    ):
        return make_intent("undo", only="reopen")
    text = _without_reason(text)
    moved = _moment_fix(text, now, said or cmd) or _time_fix(text)
    if moved is not None:
        return moved
    fixed = _word_fix(text) or _phone_fix(text)
    if fixed is not None:
        return fixed
    fix = AMOUNT_FIX.match(text)
    if fix and (fix["old"] or re.match(r"^(?:sorry|no|oops|actually|make|i meant)", text, I)):
        amounts = find_amounts(fix["new"])
        if amounts:
            return make_intent("correct_value", value=amounts[0].value, value_raw=amounts[0].text)
    return None
