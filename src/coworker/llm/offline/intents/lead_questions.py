"""Asking for a lead's field: "what's Jane's email?", "janes #", "marcus reed phone +
email", "toms title at acme", "what does dana do", "is marcus qualified yet".

Only reads: the answer is a lookup of the lead with the fields asked for. A question after
text the person pasted is read from their own words only, never from the paste.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import (
    TRAILER,
    I,
    Intent,
    make_intent,
    strip_preamble,
)
from coworker.llm.offline.intents.lead_field_names import (
    ASKED_ALSO,
    ASKED_FIELDS,
    alternatives,
    named,
)
from coworker.llm.offline.slots import LeadRef, lead_ref, without_pasted, without_possessive
from coworker.llm.offline.text import Utterance
from coworker.llm.offline.vocab import STATUS_WORDS, status_in

_ASKABLE = {**ASKED_FIELDS, **ASKED_ALSO}
_ONE_FIELD = alternatives(_ASKABLE)
# "phone + email", "email and phone", "title/company": several fields in one question.
_AND_FIELD = rf"(?:\s*(?:\+|&|,|/|\band\b|\bn\b|\bor\b)\s*{_ONE_FIELD})"
_FIELDS = (
    rf"(?:(?:best|main|direct|work|office|personal|primary|usual)\s+)?"
    rf"(?P<f>{_ONE_FIELD}{_AND_FIELD}*)"
)
_ASK = (
    r"(?:(?:what'?s|whats|wats|what is|what are|what r|give me|gimme|get me|tell me|send me|"
    r"find me|find|show me|pull up|look up|lookup|i need|need|do you have|do u have|do we have|"
    r"have we got|have you got|got|can i get|can i have|can u get|grab|check|know|shoot me|"
    r"text me|dm me|is there|are there|"
    r"(?:do|should) (?:i|we) (?:need to |have to )?(?:update|change|fix)|"
    r"is it time to update|does .{1,20} need updating)\s+)?(?:the\s+|a\s+|an\s+|any\s+)?"
)
_REF = r"(?P<r>[\w@.+'’ -]+?)"
_POSSESSIVE = r"(?:'s|’s|s'|'|’)?(?:\s*[-–:,]\s*(?=\S))?"
_AT = r"(?:\s+(?:at|@|from|with)\s+(?P<at>[\w&.' -]+?))?"
# Where a value is kept, said between the field and whose it is ("email on file for mason").
_KEPT = r"(?:\s+(?:on file|listed|saved|stored|in the crm|in crm|in the system))?"
_WE_HAVE = r"(?:do|does|did)\s+(?:we|you|u|i)\s+(?:have|got)|(?:we|you|u|i)\s*(?:'ve|ve|have)\s+got"
# "email addr for hannah phillips", "number for tom at acme", "an email on file for mason"
_FOR_WHOM = re.compile(rf"^{_ASK}{_FIELDS}{_KEPT}\s+(?:for|of|on)\s+{_REF}$", I)
# "janes #", "whats luis ortegas cell", "marcus reed phone + email", "whats her email"
_WHOSE = re.compile(
    rf"^{_ASK}{_REF}{_POSSESSIVE}\s*(?:current\s+|new\s+|latest\s+)?{_FIELDS}{_AT}$", I
)
_FIELD_QUESTIONS = (
    _FOR_WHOM,
    # "what email do we have on file for mason torres", "which # do u have for tom"
    re.compile(rf"^(?:what|which)\s+{_FIELDS}\s+(?:{_WE_HAVE}){_KEPT}\s+(?:for|on)\s+{_REF}$", I),
    # "does priya shah have an email", "does jane have a cell on file"
    re.compile(
        rf"^(?:does|do|did|has)\s+{_REF}\s+(?:have|has|got)\s+(?:an?\s+|any\s+|the\s+)?"
        rf"(?:(?:current|working|valid|direct|work)\s+)?{_FIELDS}{_KEPT}$",
        I,
    ),
    _WHOSE,
    # "what email does jane have", "which number is tom on"
    re.compile(
        rf"^(?:what|which)\s+{_FIELDS}\s+(?:does|is|do)\s+{_REF}\s*(?:have|use|on|at|work at|"
        rf"with|in|got)?$",
        I,
    ),
)
# Questions that name no field word but ask for one.
_IMPLIED_FIELD = (
    (
        re.compile(
            rf"^what\s+(?:does|do|is)\s+{_REF}\s+do(?:ing)?(?:\s+(?:there|now|exactly|"
            rf"for (?:a living|work)))?{_AT}$",
            I,
        ),
        "title",
    ),
    (
        re.compile(
            rf"^how\s+(?:do|can|should)\s+(?:i|we|u)\s+(?:reach|contact|get (?:a )?hold of|"
            rf"get in touch with|get ahold of)\s+{_REF}{_AT}$",
            I,
        ),
        "phone+email",
    ),
    (
        re.compile(
            rf"^where\s+(?:does|do|is|'s)\s+{_REF}\s+(?:work|working|based|employed)"
            rf"(?:\s+(?:now|these days|again))?$",
            I,
        ),
        "company",
    ),
    (
        re.compile(
            rf"^who\s+(?:does|is)\s+{_REF}\s+(?:work|working)\s+(?:for|at|with)"
            rf"(?:\s+(?:now|these days|again))?$",
            I,
        ),
        "company",
    ),
    (
        re.compile(
            rf"^(?:what|which)\s+(?:company|co|org|organi[sz]ation)\s+(?:is|does)\s+{_REF}"
            rf"\s+(?:at|with|from|in|work (?:for|at))$",
            I,
        ),
        "company",
    ),
)
# "what stage is his deal in", "where's marcus's deal at", "chris johnsons opp stage": a
# lead's deals (a company's deal, "the initech deal", is the deal rules' to find).
_DEAL = r"(?:'s|’s|s'|')?\s+(?:deal|opp|opportunity)"
_DEAL_QUESTIONS = (
    re.compile(
        rf"^(?:what|which)\s+stage\s+(?:is|'s|s)\s+(?!the\s){_REF}{_DEAL}\s*"
        rf"(?:(?:actually|currently|really|now|at the moment)\s*)*(?:in|at)?$",
        I,
    ),
    re.compile(
        rf"^(?:where|how)\s*(?:is|'s|s)\s+(?!the\s){_REF}{_DEAL}(?:\s+(?:at|going|now))*$", I
    ),
    re.compile(rf"^{_ASK}(?!the\s){_REF}{_DEAL}\s+(?:stage|status)$", I),
)
_STATUS_NAMES = "|".join(pattern for pattern, _ in STATUS_WORDS)
# "is marcus qualified yet", "r any of them customers": a yes/no question on the status.
_IS_STATUS = re.compile(
    rf"^(?:is|are|r|has|have)\s+{_REF}\s+(?:been\s+|still\s+|already\s+|a\s+|an\s+)*"
    rf"(?P<s>{_STATUS_NAMES})(?:\s+(?:yet|already|now|still|or not|at this point))?$",
    I,
)
# "should i mark hugo hayes as customer?", "do i need to move jane to contacted", "is it time
# to mark chris a customer", "should dana be marked qualified": asking advice about a status
# change is a question, never the change. It is answered with the status as it is.
_CHANGE = r"(?:mark|move|set|change|switch|update|make|put|bump|flag|qualify|upgrade)"
_SHOULD_STATUS = re.compile(
    rf"^(?:(?:do\s+(?:you|u)\s+think\s+|would\s+it\s+make\s+sense\s+(?:if|that)\s+)?"
    rf"(?:should|shd|shld|must|do|does)\s+(?:i|we|u)\s+(?:really\s+|also\s+|still\s+)*(?:need\s+to\s+|"
    rf"have\s+to\s+|go\s+ahead\s+and\s+)?|is\s+it\s+time\s+(?:to|that\s+(?:i|we))\s+|"
    rf"(?:is\s+it\s+)?worth\s+|time\s+to\s+)(?:{_CHANGE}(?:ing)?)\s+{_REF}\s+(?:as\s+|to\s+|"
    rf"into\s+|over\s+to\s+)?(?:an?\s+)?(?P<s>{_STATUS_NAMES})"
    rf"(?:\s+(?:yet|now|already|or not|at this point|then))*$|"
    rf"^(?:should|shd|shld)\s+(?P<r2>[\w@.+'’ -]+?)\s+be\s+"
    rf"(?:marked|moved|set|changed|made|flagged|bumped)\s+"
    rf"(?:as\s+|to\s+)?(?:an?\s+)?(?P<s2>{_STATUS_NAMES})(?:\s+(?:yet|now|already|or not))*$",
    I,
)


def should_request(u: Utterance, cmd: str) -> Intent | None:
    """ "should i mark hugo hayes as customer?": the lead's status, and nothing changed. Read
    before every rule that acts, since the words of the change are all there."""
    text = _TAIL.sub("", TRAILER.sub("", cmd.strip()).strip(" ?!.")).strip(" ?!.")
    m = _SHOULD_STATUS.match(text)
    if not m:
        return None
    return _asking(m["r"] or m["r2"], ("status",), None)


_ONLY_FIELDS = re.compile(rf"^\s*{_FIELDS}\s*[?.!]*\s*$", I)


def only_fields(text: str) -> bool:
    """Is `text` nothing but field names ("email", "title and company")? Then it ends a
    question ("luis ortega phone and email"), and is not a request of its own."""
    return bool(_ONLY_FIELDS.match(text))


def _fields_of(text: str) -> tuple[str, ...]:
    found = [_ASKABLE[m.group(0).lower()] for m in re.finditer(_ONE_FIELD, text, I)]
    return tuple(dict.fromkeys(found))


def field_question_request(u: Utterance, cmd: str) -> Intent | None:
    """ "what's Jane's email?", "janes #", "marcus reed phone + email", "toms title at acme",
    "what does dana do", "where does mei work", "is marcus qualified yet"."""
    return _questions_on_one(cmd) or _field_question(cmd) or pasted_question_request(u, cmd)


# Where one question about a lead ends and the next begins: "lucas coleman - whats his
# title again, and which co is he at", "hugo hayes: email? and whats his number".
_NEXT_QUESTION = re.compile(
    r"\s*(?:[,;?]\s*(?:and\s+|&\s*|\+\s*|also\s+|plus\s+)?|\s+[-–—:]\s+|:\s+|"
    r"\s+(?:and|&|\+|plus|n)\s+(?=(?:what'?s?|which|where'?s?|who'?s?|how|is|does|do)\b))\s*",
    I,
)
_HIS = re.compile(r"\b(?:his|her|their)\b", I)
_HE = re.compile(r"\b(?:he|she|they|him|them)\b", I)


def _questions_on_one(cmd: str) -> Intent | None:
    """Several questions about one lead in one message, answered together: "whats dana's
    title and where does she work", "lucas coleman - whats his title again, and which co is
    he at". Every part must be a question about the same person (a pronoun in a later part
    is the person named first), or nothing is read: no question is dropped unanswered."""
    text = TRAILER.sub("", cmd.strip()).strip(" ?!.")
    parts = [p for p in _NEXT_QUESTION.split(text) if p and p.strip(" ?!.")]
    if len(parts) < 2:
        return None
    who = ""
    if named(parts[0]) and not _HIS.fullmatch(parts[0]) and not _HE.fullmatch(parts[0]):
        who, parts = parts[0], parts[1:]  # "lucas coleman - …": whom the questions are about
    fields: list[str] = []
    first: Intent | None = None
    for part in parts:
        part = part.strip(" ?!.")
        if who:
            part = _HE.sub(who, _HIS.sub(f"{who}'s", part))
        asked = _fields_of(part) if only_fields(part) and who else None
        if asked:
            fields.extend(asked)
            continue
        found = _field_question(part)
        ref = found.slots.get("ref") if found is not None else None
        if (
            found is None
            or ref is None
            or found.slots.get("is_status")
            or not found.slots.get("details")
        ):
            return None
        if first is None:
            first = found
            who = who or ref.text
        elif (first.slots.get("ref") or LeadRef()).text.lower() != ref.text.lower():
            return None  # two people: not one lead's questions
        fields.extend(found.slots.get("fields") or (found.slots.get("field") or "notes",))
    if not who:
        return None
    return _asking(who, tuple(dict.fromkeys(fields)), None)


def pasted_question_request(u: Utterance, cmd: str) -> Intent | None:
    """A question about a lead after something pasted or quoted ("fwd: \"enroll everyone\"
    ignore that, just tell me toms title"): the person's own words are read, one clause at a
    time from the last, and what was pasted is never read as a request. Read before any rule
    that acts, since the paste is where the words those rules look for usually are."""
    own = without_pasted(cmd)
    clauses = re.split(r"\s*(?:…|[.;!?]\s|,|\s--?\s|:\s)\s*", own)
    if own == cmd:
        # Nothing pasted: only "…, is luis qualified now?" is read here, a question whose
        # status word an earlier rule would otherwise take for "mark him qualified".
        last = strip_preamble(clauses[-1].strip(" -–—:;,."))
        if len(clauses) < 2 or _WRITE_VERB.search(own) or not _IS_STATUS.match(last):
            return None
        return _field_question(last)
    # "chris johnson's signature says '…'. what stage is his deal in": "his" is Chris.
    source = _SOURCE.search(own.split("…", 1)[0])
    who = (source["n"] or source["n2"] or source["n3"]) if source else ""
    for clause in reversed(clauses):
        clause = strip_preamble(clause.strip(" -–—:;,."))
        if who and named(who):
            clause = re.sub(r"\b(?:his|her|their)\b", who + "'s", clause, count=1, flags=I)
        found = _field_question(clause)
        if found is not None:
            return found
    return None


# Whose words were pasted: "chris johnson's signature says", "fwd from tom", "dana wrote".
_SOURCE = re.compile(
    r"^(?P<n>[\w.-]+(?:\s+[\w.-]+)?)(?:'s|’s)\s+\w+|"
    r"\b(?:from|by)\s+(?P<n2>[\w.-]+(?:\s+[\w.-]+)?)\s*:|"
    r"^(?P<n3>[\w.-]+(?:\s+[\w.-]+)?)\s+(?:says|said|wrote|sent|texted|emailed)\b",
    I,
)


_WRITE_VERB = re.compile(
    r"\b(?:mark|set|change|update|move|make|flag|put|switch|bump|qualify|disqualify|log|add|"
    r"create|remind|email|text|send|tag|delete|enroll)\b",
    I,
)


def field_of_request(u: Utterance, cmd: str) -> Intent | None:
    """ "email addr for hannah phillips", "phone # of tom", "send me danas email": asked
    before any sending rule reads them as an email to write. "email for jane" stays theirs."""
    text = TRAILER.sub("", cmd.strip()).strip(" ?!.")
    m = _FOR_WHOM.match(text)
    if m and not re.fullmatch(r"e-?mail", m["f"].strip(), I):
        return _asking(m["r"], _fields_of(m["f"]), None)
    if re.match(r"(?:send|shoot|text|dm|email)\s+me\b", text, I):  # "send me dana's email"
        m = _WHOSE.match(text)
        if m:
            return _asking(m["r"], _fields_of(m["f"]), m["at"])
    return None


# Said inside a question and nothing about what it asks.
_HEDGE = re.compile(r"\b(?P<who>we|you|u|i)\s+(?:even|actually|really|still)\b", I)
# Shorthand a question ends with that says nothing about what is asked.
_TAIL = re.compile(
    r"(?:\s+(?:rn|right now|real quick|quick|asap|again|pls|plz|please|thx|thanks|ty|atm|"
    r"at the moment|currently|on file|in the crm|in crm))+$",
    I,
)


def _field_question(cmd: str) -> Intent | None:
    text = _TAIL.sub("", TRAILER.sub("", cmd.strip()).strip(" ?!.")).strip(" ?!.")
    text = _HEDGE.sub(r"\g<who>", text)  # "do we even have a number for priya"
    for pattern in _FIELD_QUESTIONS:
        m = pattern.match(text)
        if m:
            return _asking(m["r"], _fields_of(m["f"]), m.groupdict().get("at"))
    for pattern, field_name in _IMPLIED_FIELD:
        m = pattern.match(text)
        if m:
            return _asking(m["r"], tuple(field_name.split("+")), m.groupdict().get("at"))
    for pattern in _DEAL_QUESTIONS:
        m = pattern.match(text)
        if m:
            return _asking(m["r"], ("deals",), None)
    m = _IS_STATUS.match(text)
    if m:
        return _asking(m["r"], ("status",), None, status_in(m["s"].lower()))
    return None


def _asking(
    who: str, fields: tuple[str, ...], at: str | None, status: str | None = None
) -> Intent | None:
    who = re.sub(r"(?:'s|’s|')$", "", who.strip())
    ref = lead_ref(who)
    plain = without_possessive(who)
    if plain and ref.text and not lead_ref(plain).text:  # "the second ones email"
        ref = lead_ref(plain)
    if not fields or not (ref.pronoun or ref.ordinal is not None or named(ref.text)):
        return None
    if at and not ref.company and ref.text:
        ref = LeadRef(ref.text, company=at.strip())
    if ref.empty or fields == ("notes",):
        return None  # "janes notes" alone: the notes listing's to read
    if "notes" in fields:  # "janes number + latest note": the whole record carries both
        return make_intent("find_leads", ref=ref, query=ref.text or None, details=True)
    return make_intent(
        "find_leads",
        ref=ref,
        query=ref.text or None,
        details=True,
        field=fields[0],
        fields=fields if len(fields) > 1 else None,
        is_status=status,
    )
