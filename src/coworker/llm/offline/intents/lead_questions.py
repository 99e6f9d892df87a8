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
from coworker.llm.offline.intents.lead_field_names import ASKED_FIELDS, alternatives, named
from coworker.llm.offline.slots import LeadRef, lead_ref, without_pasted, without_possessive
from coworker.llm.offline.text import Utterance
from coworker.llm.offline.vocab import STATUS_WORDS, status_in

_ONE_FIELD = alternatives(ASKED_FIELDS)
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
    r"text me|dm me|(?:do|should) (?:i|we) (?:need to |have to )?(?:update|change|fix)|"
    r"is it time to update|does .{1,20} need updating)\s+)?(?:the\s+|a\s+|an\s+)?"
)
_REF = r"(?P<r>[\w@.+'’ -]+?)"
_POSSESSIVE = r"(?:'s|’s|s'|'|’)?(?:\s*[-–:,]\s*(?=\S))?"
_AT = r"(?:\s+(?:at|@|from|with)\s+(?P<at>[\w&.' -]+?))?"
_FIELD_QUESTIONS = (
    # "email addr for hannah phillips", "number for tom at acme"
    re.compile(rf"^{_ASK}{_FIELDS}\s+(?:for|of|on)\s+{_REF}$", I),
    # "janes #", "whats luis ortegas cell", "marcus reed phone + email", "whats her email"
    re.compile(rf"^{_ASK}{_REF}{_POSSESSIVE}\s*(?:current\s+|new\s+|latest\s+)?{_FIELDS}{_AT}$", I),
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
            rf"^(?:what|which)\s+(?:company|org|organi[sz]ation)\s+(?:is|does)\s+{_REF}"
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


_ONLY_FIELDS = re.compile(rf"^\s*{_FIELDS}\s*[?.!]*\s*$", I)


def only_fields(text: str) -> bool:
    """Is `text` nothing but field names ("email", "title and company")? Then it ends a
    question ("luis ortega phone and email"), and is not a request of its own."""
    return bool(_ONLY_FIELDS.match(text))


def _fields_of(text: str) -> tuple[str, ...]:
    found = [ASKED_FIELDS[m.group(0).lower()] for m in re.finditer(_ONE_FIELD, text, I)]
    return tuple(dict.fromkeys(found))


def field_question_request(u: Utterance, cmd: str) -> Intent | None:
    """ "what's Jane's email?", "janes #", "marcus reed phone + email", "toms title at acme",
    "what does dana do", "where does mei work", "is marcus qualified yet"."""
    return _field_question(cmd) or pasted_question_request(u, cmd)


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
    m = _FIELD_QUESTIONS[0].match(text)
    if m and not re.fullmatch(r"e-?mail", m["f"].strip(), I):
        return _asking(m["r"], _fields_of(m["f"]), None)
    if re.match(r"(?:send|shoot|text|dm|email)\s+me\b", text, I):  # "send me dana's email"
        m = _FIELD_QUESTIONS[1].match(text)
        if m:
            return _asking(m["r"], _fields_of(m["f"]), m["at"])
    return None


# Shorthand a question ends with that says nothing about what is asked.
_TAIL = re.compile(
    r"(?:\s+(?:rn|right now|real quick|quick|asap|again|pls|plz|please|thx|thanks|ty|atm|"
    r"at the moment|currently|on file|in the crm|in crm))+$",
    I,
)


def _field_question(cmd: str) -> Intent | None:
    text = _TAIL.sub("", TRAILER.sub("", cmd.strip()).strip(" ?!.")).strip(" ?!.")
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
    if ref.empty:
        return None
    return make_intent(
        "find_leads",
        ref=ref,
        query=ref.text or None,
        details=True,
        field=fields[0],
        fields=fields if len(fields) > 1 else None,
        is_status=status,
    )
