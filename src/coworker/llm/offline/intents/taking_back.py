"""Taking back the coworker's last change: "undo that", "put it back", "scratch that, undo
the tariq one", "no not tom, luis", "undo that, wrong lead. i meant priya". The reader finds
how (undo or a soft "don't do that"), which record was wrong and which was meant; the plan
(`plans.corrections.undo`) reads what was changed from the conversation, never from the words.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from coworker.llm.offline import vocab
from coworker.llm.offline.dates import find_when
from coworker.llm.offline.intents.common import I, Intent, Slots, make_intent
from coworker.llm.offline.intents.notes import CALL_REPORT
from coworker.llm.offline.intents.oops import CLAUSE as _CLAUSE
from coworker.llm.offline.intents.oops import OOPS as _OOPS
from coworker.llm.offline.intents.oops import REQUEST_VERB as _REQUEST_VERB
from coworker.llm.offline.intents.oops import SHOULD_BE
from coworker.llm.offline.intents.oops import named as _named

_UNDO_VERB = (
    r"(?:please\s+|pls\s+|(?:can|could) (?:you|u)\s+)?"
    r"(?:undo|revert|reverse|take back|roll back|change (?:it|that) back|"
    r"(?:put|set) (?:it|that) back(?:\s+(?:how|the way|where)\s+it\s+was)?)"
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
    r"(?:\s+one)?\s+back(?:\s+to\s+(?P<to>[a-z]+(?:\s+[a-z]+)?))?(?:\s+(?:how|the way|where)\s+"
    rf"(?:it|he|she|they)\s+(?:was|were))?|(?:undo|revert|reverse|roll back)\s+(?P<who2>{_WHO})"
    r"(?:'s)?(?:\s+(?:one|change|status))?)(?:\s+(?:please|pls|thx|thanks))?$",
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
# "i meant luis", "that was meant for elena", "should've been for tariq", "it was supposed
# to be ella": the record (or value) meant; "for" is the change's target, not part of a name
_MEANT = re.compile(
    rf"^{_OOPS}*(?:(?:that|this|it)\s+(?:was\s+|is\s+)?(?=meant|supposed|should))?"
    rf"(?:i meant|i mean|meant(?:\s+for)?|it was|it'?s|{SHOULD_BE}(?:\s+for)?|"
    r"supposed to be(?:\s+for)?|it should be)\s+"
    # "i meant to pull it from chris johnson": the same change, on the one named
    r"(?:to\s+(?:do|pull|take|put|add|move|change|set|tag|remove|drop)\s+(?:it|that|this)\s+"
    r"(?:from|off(?:\s+of)?|for|on|to)\s+)?(?P<meant>.+)$",
    I,
)
# "wrong person, yuki lindqvist": the one meant, said alone after the wrong-record words
_WRONG_ONE = re.compile(
    rf"^{_OOPS}*wrong\s+(?:one|lead|person|guy|record|contact)$",
    I,
)
# "no not tom, luis": the change was made on the wrong one
_NOT_THIS = re.compile(
    r"^(?:(?:no|nope|sorry|oops|wait)[,!.]*\s+)*not\s+(?:that\s+|the\s+)?(?P<wrong>[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*)?)$",
    I,
)

# "wait wrong hannah": the change was made on another of that name
_WRONG_NAME = re.compile(
    rf"^{_OOPS}*(?:that'?s\s+(?:the\s+)?)?wrong\s+(?P<wrong>[a-z][\w'.-]*)$",
    I,
)
# "the one at maple grove", "the greenfield one", "i meant the one from initech": the one meant,
# told apart from the wrong one by the company
_THE_ONE = re.compile(
    rf"^{_OOPS}*(?:i meant\s+|i mean\s+|meant\s+|its\s+|it'?s\s+)?(?:the one (?:at|from|with|in)\s+"
    r"(?P<at>[a-z][\w&'.-]*(?:\s+[a-z][\w&'.-]*){0,3})|the other (?P<other>[a-z][\w'.-]*"
    r"(?:\s+(?!one\b)[a-z][\w'.-]*)?)(?: one)?|"
    r"the (?P<co>[a-z][\w&'.-]*(?:\s+[a-z][\w&'.-]*){0,2}) one|"
    # "the procurement person at acme", "the cfo from initech": a lead by title and company
    r"the (?P<role>[a-z][\w&'.-]*(?:\s+[a-z][\w&'.-]*){0,3}?)\s+(?:at|from|@)\s+"
    r"(?P<of>[a-z][\w&'.-]*(?:\s+[a-z][\w&'.-]*){0,2}))$",
    I,
)
_NOT_SOMEONE = frozenset(
    "one lead task deal person guy record thing contact number time day".split()
)


def take_back(text: str, said: str = "") -> Intent | None:
    """An undo said with its reasons around it: "hold on they havent signed. put it back",
    "undo that, wrong deal", "no not tom, luis. tom hasnt picked up". Every clause but the
    undo, the name meant and the wrong one must be a reason, not another request.
    `said`: the person's own words, their "sorry"/"wait" kept."""
    clauses = [c for c in _CLAUSE.split(text.strip().rstrip("?!. ")) if c]
    oops = bool(re.match(rf"^\W*{_OOPS}", (said or text) + " ", I))
    slots = Slots()
    rest: list[str] = []
    described = False  # the one meant said by title and company ("the cfo at acme")
    other_clause = ""  # where "the other chris" was said: a name after it says which
    for clause in clauses:
        if slots.get("how") != "undo" and (undo := UNDO.match(clause)):  # "scratch that, undo …"
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
        elif (wrong_name := _WRONG_NAME.match(clause)) and "wrong" not in slots:
            if wrong_name["wrong"].lower() in _NOT_SOMEONE or not _named(wrong_name["wrong"]):
                rest.append(clause)
                continue
            slots["wrong"] = wrong_name["wrong"]  # "wrong hannah"
        elif "meant" not in slots and (one := _THE_ONE.match(clause)):
            if one["other"]:  # "ugh no, the other chris": not the one just changed
                slots["meant"], slots["wrong"] = f"the other {one['other']}", one["other"]
                other_clause = clause
            elif one["role"]:
                role = re.sub(r"\s+of\s+", " ", one["role"], flags=I)  # "vp of sales": its words
                slots["meant"], described = f"{role} at {one['of']}", True
            else:
                slots["meant"] = f"the one at {one['at']}" if one["at"] else f"the {one['co']} one"
        elif slots.get("how") != "undo" and (named := _PUT_BACK.match(clause)):
            who = re.sub(
                r"(?:'s|\s+(?:please|pls|plz|thx|thanks))$", "", named["who"] or named["who2"]
            )
            who = re.sub(r"^(?:the|that|this)\s+(?=\S)", "", who, flags=I)  # "the tariq one"
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
        elif ((not slots and not rest) or (set(slots) <= {"meant"} and "wrong" not in slots)) and (
            (wrong := _NOT_THIS.match(clause))
            and (_named(wrong["wrong"]) or _PRONOUN.match(wrong["wrong"]))
        ):  # "not him": the one just changed
            # "no not tom, ...": as the first words, or after the one meant ("i meant the
            # initech proposal, not jane")
            slots["wrong"] = wrong["wrong"]
        elif "meant" not in slots and (meant := _MEANT.match(clause)):
            slots["meant"] = meant["meant"]
            other = re.fullmatch(r"(?P<who>.+?),?\s+not\s+(?P<wrong>.+)", meant["meant"], I)
            if other and "wrong" not in slots and _named(other["wrong"]):
                slots["meant"], slots["wrong"] = other["who"], other["wrong"]  # "luis not priya"
        else:
            rest.append(clause)
    follows = clauses[1] if len(clauses) > 1 else ""
    after = clauses[clauses.index(other_clause) + 1 :] if other_clause else []
    if other_clause and rest and after and after[0] == rest[0]:
        name = re.sub(r"'s$", "", rest[0], flags=I)  # "the other brightline one, noah miller's"
        if (
            len(name.split()) <= 3
            and _named(name)
            and not re.fullmatch(rf"{_OOPS}+", name + " ", I)
        ):
            slots["meant"] = rest.pop(0)
    if "how" not in slots and not slots and len(rest) == 2 and _WRONG_ONE.match(rest[0]):
        if rest[1] == follows and len(follows.split()) <= 3 and _named(follows):
            slots["how"], slots["meant"] = "undo", follows  # "wrong person, yuki lindqvist"
            rest = []
    if "how" not in slots and "wrong" in slots and rest and rest[0] == follows:
        if len(follows.split()) <= 3 and _named(follows):
            slots["how"], slots["meant"] = "undo", rest.pop(0)  # "no not tom, luis"
    said_meant = slots.get("meant")
    if "how" not in slots and _someone(said_meant, loose=described) and not _FIELD_FIX.search(text):
        # not "sorry should be Operations Manager"; "sorry i meant luis (not priya)"
        if re.search(r"\bmeant?\b|\bwrong\b|should(?: have|'?ve) been|supposed to", text, I):
            slots["how"] = "undo"
    if "how" not in slots and "wrong" in slots and _someone(said_meant, loose=True):
        slots["how"] = "undo"  # "wrong hannah, the one at maple grove", "i meant X, not jane"
    if "how" not in slots and "back_to" in slots and oops and len(clauses) <= 2:
        if not (said or text).rstrip().endswith("?"):
            slots["how"] = "undo"  # "no wait, he's still new" (not "wait, he's still new?")
    if slots.get("how") == "soft" and "meant" not in slots and _said_wrong(clauses):
        slots.pop("wrong", None)  # "scratch that, wrong olivia": the soft take-back, as said
    if "how" not in slots or any(_REQUEST_VERB.match(c) or CALL_REPORT.match(c) for c in rest):
        return None  # another request, or a call report, is not a reason for an undo
    if not oops and _spelled_alike(str(slots.get("meant") or ""), str(slots.get("wrong") or "")):
        return None  # "its noah gonzales not gonzalez": a name's spelling, not another lead
    if "back_to" in slots and len(clauses) == 1 and not oops:
        return None  # "put jane back to new" alone is a status to set, said in full
    if slots["how"] == "soft" and ("meant" in slots or "wrong" in slots):
        slots["how"] = "undo"
    soft = slots.pop("how") == "soft"
    return make_intent("undo", **slots).but(soft=soft or None)


# "typo in amelia's last name, it's okafur": a field of a record fixed, not a change taken back
_FIELD_FIX = re.compile(r"\b(?:(?:first|last|sur)\s*name|name|spell\w*|title|email|phone)\b", I)


def _said_wrong(clauses: list[str]) -> bool:
    """Was the wrong record said only as "wrong <name>" (not "put <name> back")?"""
    return any(_WRONG_NAME.match(c) for c in clauses)


def _someone(words: str | None, *, loose: bool = False) -> bool:
    """Could "i meant <words>" name a record ("luis", "the bluth one"), not a value
    ("qualified", "15k", "friday", "3pm")?"""
    if not words or len(words.split()) > (6 if loose else 4) or re.search(r"\d|@", words):
        return False
    bare = re.sub(
        r"^(?:the|that|this|my)\s+|\s+(?:one|instead|deal|opp|opportunity)$",
        "",
        words.strip(),
        flags=I,
    )
    word = vocab.status_in(bare) or vocab.stage_in(bare)
    if loose:  # "the initech proposal" names a task; "proposal" alone is a stage
        word = word if word and word.replace("_", " ") == bare.lower() else None
    if word or find_when(bare, datetime.now(UTC)):
        return False
    return bool(bare) and (loose or _named(bare))  # loose: "the initech proposal" too


def _spelled_alike(meant: str, wrong: str) -> bool:
    """Two spellings of one name ("gonzales"/"gonzalez", "abby"/"abigail"): a word of each
    that differ but begin alike."""
    return any(
        a != b and len(a) >= 3 and len(b) >= 3 and a[:2] == b[:2]
        for a in meant.lower().split()
        for b in wrong.lower().split()
    )
