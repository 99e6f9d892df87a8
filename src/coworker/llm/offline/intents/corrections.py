"""Taking back or correcting the coworker's last change: "undo that", "put it back",
"sorry, 15k not 12k", "make it 20k". What was changed comes from the conversation
(`memory.last_write`), never from the words.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from coworker.llm.offline import vocab
from coworker.llm.offline.amounts import find_amounts
from coworker.llm.offline.dates import find_when, iso
from coworker.llm.offline.intents.common import I, Intent, Slots, make_intent
from coworker.llm.offline.intents.notes import CALL_REPORT
from coworker.llm.offline.phones import find_phones
from coworker.llm.offline.vocab import COMMON_WORDS

# What people say around an undo: "oops", "nvm", "wrong one", "that's wrong".
_OOPS = (
    r"(?:(?:oops|whoops|sorry|sry|typo|no|nope|wait|actually|my bad|nvm|never ?mind|ugh|hmm|"
    r"argh|shoot|crap|damn|ah|oh|that'?s wrong|thats wrong|that was wrong|my mistake|not that one|"
    r"scratch that|wrong (?:one|lead|task|deal|person|guy|record))[,!.]*\s+)"
)
_UNDO_VERB = (
    r"(?:please\s+|pls\s+|(?:can|could) (?:you|u)\s+)?"
    r"(?:undo|revert|reverse|take back|roll back|change (?:it|that) back|"
    r"(?:put|set) (?:it|that) back(?:\s+(?:how|the way)\s+it\s+was)?)"
    r"(?:\s+(?:that|this|it|the last (?:one|change)|what you (?:just )?did|the change|"
    r"my last change|(?:the|that|his|her|their|its) (?P<field>status|stage|value|amount|price|"
    r"due(?: date)?|time|close(?: date)?|closing date|title|company|phone|email|priority)"
    r"(?: (?:change|update|bit|part))?))?(?:\s*,?\s*(?:please|pls|thx|thanks))?"
)
# "undo the status change": only that field of the change is put back (the API's names)
_FIELDS = {"amount": "value", "price": "value", "due": "due_date", "due date": "due_date"}
_FIELDS |= {"time": "due_date", "close": "expected_close_date"}
_FIELDS |= {"close date": "expected_close_date", "closing date": "expected_close_date"}
UNDO = re.compile(rf"^{_OOPS}*{_UNDO_VERB}$", I)
# "put luis back", "set luis back to new", "undo noah", "revert priya pls": the change to take
# back, named; it may be one lead of several changed together ("mark priya and luis ...").
# A status said with it after an "oops" ("oops only luis - put priya back to new") is checked
# against what the record was before; said alone, it is a status change like any other.
_WHO = r"[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*)?"
_PUT_BACK = re.compile(
    rf"^{_OOPS}*(?:please\s+|pls\s+)?(?:(?:put|set|change|move|switch|flip)\s+(?P<who>{_WHO})"
    r"\s+back(?:\s+to\s+(?P<to>[a-z]+(?:\s+[a-z]+)?))?(?:\s+(?:how|the way)\s+(?:it|he|she|"
    rf"they)\s+(?:was|were))?|(?:undo|revert|reverse|roll back)\s+(?P<who2>{_WHO})(?:'s)?"
    r"(?:\s+(?:one|change|status))?)(?:\s+(?:please|pls|thx|thanks))?$",
    I,
)
_PRONOUN = re.compile(r"^(?:her|him|them|it|that|this)$", I)
# "no wait, he's still new": the status the record had before the change, said back
_STILL = re.compile(
    rf"^{_OOPS}*(?:he|she|they|it|(?P<who>{_WHO}))(?:'?s|'re|\s+is|\s+are)\s+still\s+"
    r"(?P<to>[a-z]+(?:\s+[a-z]+)?)$",
    I,
)
# "no don't do that", "scratch that", "actually leave it": said right after a change, it
# takes it back; said to a question, nothing was done and nothing is
SOFT = re.compile(
    rf"^{_OOPS}*(?:no\s+)?(?:(?:please\s+)?(?:don'?t|do not) do (?:that|it)|scratch that|"
    r"(?:just\s+)?leave it(?:\s+(?:as it was|alone|be))?|nvm|never ?mind|forget (?:it|that)|"
    r"cancel (?:that|it))$",
    I,
)
_MEANT = re.compile(
    rf"^{_OOPS}*(?:i meant|i mean|meant|it was|it'?s|should (?:be|have been)|supposed to be|"
    r"it should be)\s+(?P<meant>.+)$",
    I,
)
# "no not tom, luis": the change was made on the wrong one
_NOT_THIS = re.compile(
    r"^(?:(?:no|nope|sorry|oops|wait)[,!.]*\s+)*not\s+(?P<wrong>[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*)?)$",
    I,
)
_REQUEST_VERB = re.compile(
    r"^(?:please\s+|pls\s+)?(?:mark|set|move|email|e-mail|text|sms|add|create|remind|tag|"
    r"untag|log|update|change|delete|remove|send|schedule|call|enroll|book|put|make|bump|push|"
    r"complete|close|open|show|find|list)\b",
    I,
)
_CLAUSE = re.compile(r"\s*(?:[.;!?]+\s+|,\s*|\s+-+\s+)")


# "sorry meant qualified", "wait no, closed won", "its closed WON": the status or stage of
# the last change, corrected (which of the two, the plan reads from that change)
_WORD_FIX = re.compile(
    rf"^(?P<oops>{_OOPS}*)(?P<how>i meant|meant|i mean|should (?:be|have been)|"
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


def _named(words: str) -> bool:
    """Could these words be someone's name ("tom", "maya schmidt"), not "yet" or "sent yet"?"""
    return not any(w in COMMON_WORDS or w in _NOT_NAMES for w in words.lower().split())


_NOT_NAMES = frozenset("yet now sent done signed ready sure really quite so that this it".split())


def _take_back(text: str, said: str = "") -> Intent | None:
    """An undo said with its reasons around it: "hold on they havent signed. put it back",
    "undo that, wrong deal", "no not tom, luis. tom hasnt picked up". Every clause but the
    undo, the name meant and the wrong one must be a reason, not another request.
    `said`: the person's own words, their "sorry"/"wait" kept."""
    clauses = [c for c in _CLAUSE.split(text.strip().rstrip("?!. ")) if c]
    oops = bool(re.match(rf"^\W*{_OOPS}", (said or text) + " ", I))
    slots = Slots()
    rest: list[str] = []
    for clause in clauses:
        if "how" not in slots and (undo := UNDO.match(clause)):
            slots["how"] = "undo"
            if undo["field"]:
                field = undo["field"].lower()
                slots["field"] = _FIELDS.get(field, field)
        elif "back_to" not in slots and (still := _STILL.match(clause)):
            # "he's still new": what he was, said back; as the request itself only after
            # an "oops"/"wait" ("he's still new?" asks, and is answered)
            if not vocab.status_in(still["to"]) or (still["who"] and not _named(still["who"])):
                rest.append(clause)
                continue
            slots["back_to"] = vocab.status_in(still["to"])
            if still["who"]:
                slots.setdefault("wrong", still["who"])
        elif "how" not in slots and SOFT.match(clause):
            slots["how"] = "soft"
        elif "how" not in slots and (named := _PUT_BACK.match(clause)):
            who = re.sub(
                r"(?:'s|\s+(?:please|pls|plz|thx|thanks))$", "", named["who"] or named["who2"]
            )
            if _PRONOUN.match(who):  # "not amelia, put her back": the one named
                slots["how"] = "undo"
                slots.setdefault("wrong", who)
            elif _named(who):
                slots["how"], slots["wrong"] = "undo", who
            else:
                rest.append(clause)
                continue
            if named["to"] and vocab.status_in(named["to"]):
                slots["back_to"] = vocab.status_in(named["to"])
        elif (
            not slots and not rest and (wrong := _NOT_THIS.match(clause)) and _named(wrong["wrong"])
        ):
            slots["wrong"] = wrong["wrong"]  # "no not tom, ...": only as the first words
        elif "meant" not in slots and (meant := _MEANT.match(clause)):
            slots["meant"] = meant["meant"]
            other = re.fullmatch(r"(?P<who>.+?),?\s+not\s+(?P<wrong>.+)", meant["meant"], I)
            if other and "wrong" not in slots and _named(other["wrong"]):
                slots["meant"], slots["wrong"] = other["who"], other["wrong"]  # "luis not priya"
        else:
            rest.append(clause)
    follows = clauses[1] if len(clauses) > 1 else ""
    if "how" not in slots and "wrong" in slots and rest and rest[0] == follows:
        if len(follows.split()) <= 3 and _named(follows):
            slots["how"], slots["meant"] = "undo", rest.pop(0)  # "no not tom, luis"
    if "how" not in slots and _someone(slots.get("meant")) and not _FIELD_FIX.search(text):
        if re.search(r"\bmeant?\b", text, I):  # not "sorry should be Operations Manager"
            slots["how"] = "undo"  # "sorry i meant luis (not priya)": the same, on luis
    if "how" not in slots and "back_to" in slots and oops and len(clauses) <= 2:
        if not (said or text).rstrip().endswith("?"):
            slots["how"] = "undo"  # "no wait, he's still new" (not "wait, he's still new?")
    if "how" not in slots or any(_REQUEST_VERB.match(c) or CALL_REPORT.match(c) for c in rest):
        return None  # another request, or a call report, is not a reason for an undo
    if "back_to" in slots and len(clauses) == 1 and not oops:
        return None  # "put jane back to new" alone is a status to set, said in full
    if slots["how"] == "soft" and ("meant" in slots or "wrong" in slots):
        slots["how"] = "undo"
    soft = slots.pop("how") == "soft"
    return make_intent("undo", **slots).but(soft=soft or None)


# "typo in amelia's last name, it's okafur": a field of a record fixed, not a change taken back
_FIELD_FIX = re.compile(r"\b(?:(?:first|last|sur)\s*name|name|spell\w*|title|email|phone)\b", I)


def _someone(words: str | None) -> bool:
    """Could "i meant <words>" name a record ("luis", "the bluth one"), not a value
    ("qualified", "15k", "friday", "3pm")?"""
    if not words or len(words.split()) > 4 or re.search(r"\d|@", words):
        return False
    bare = re.sub(r"^(?:the|that|this|my)\s+|\s+(?:one|instead)$", "", words.strip(), flags=I)
    if vocab.status_in(bare) or vocab.stage_in(bare) or find_when(bare, datetime.now(UTC)):
        return False
    return bool(bare) and _named(bare)


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
    r"push (?:it|that) to|should (?:be|have been)|it should be|it'?s|its|it is|i meant|meant)\s+)?"
    r"(?P<value>.+?)(?:\s*,?\s*not\s+(?P<old>[^,]+?))?(?P<instead>\s+instead)?$",
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
    if not (marked or re.match(rf"^\W*{_OOPS}+", said + " ", I)):
        return None  # "friday" alone may ask about friday
    phrase = f"at {value}" if bare else value
    found = find_when(phrase, now)
    if len(found) != 1 or found[0].start > 3 or found[0].end < len(phrase.rstrip(" .!")):
        return None
    when = found[0]
    at = when.value.astimezone(now.tzinfo)
    slots = Slots(time_raw=m["value"].strip(), sure=when.confident)
    if when.has_date:
        slots["date"] = at.date().isoformat()
    if when.has_time:
        slots["hour"], slots["minute"] = at.hour, at.minute
    if bare:  # "make it 15": a deal's value just as well, for the plan to tell apart
        slots["value"], slots["value_raw"] = float(value), value
    return make_intent("correct_time", **slots)


def _phone_fix(text: str) -> Intent | None:
    """ "typo sorry, 555-123-9867": the phone of the lead just changed, said again."""
    m = _FIX.match(text)
    if m is None or not (m["oops"] or m["how"] or m["old"] or m["instead"]):
        return None
    value = m["value"].strip()
    phones = find_phones(value)
    if len(phones) != 1 or phones[0].start > 0 or phones[0].end < len(value):
        return None
    return make_intent("correct_value", phone=phones[0].text)


_TEXT_HOW = re.compile(
    r"^(?:make (?:it|that)|change (?:it|that) to|should (?:be|have been)|it should be)$", I
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
    text = cmd.strip().rstrip("?!. ")
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
