"""News about a lead, passed on the way reps pass it on: "fyi nora left initech, shes at
hooli now", "david got promoted, hes coo now", "freya signed!! mark her as a customer",
"hannah watson -> qualified"; and a lead named by their company only ("the acme guy").

Only the shapes: the field and status readers (`lead_updates.py`, `leads.py`) use them, so a
change is still read, shown and asked exactly as theirs are. A statement (a promotion, a
new company) is shown and asked before it is written; only a request says to write it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from coworker.llm.offline.intents.common import DEAL_WORDS, I
from coworker.llm.offline.intents.lead_field_names import FIELD, named
from coworker.llm.offline.slots import LeadRef, lead_ref
from coworker.llm.offline.vocab import STATUS_PATTERNS, first_value

# What opens news rather than a request: "fyi", "heads up", "btw", "update:".
_NEWS_OPENING = re.compile(
    r"^(?:(?:fyi|fwiw|btw|jsyk|psa|heads[ -]?up|just so (?:you|u) know|quick update|"
    r"(?:update|news)(?=\s*[,:;!-])|good news|great news|bad news|big news)\b[\s,:;!.-]*)+",
    I,
)


# "lars wood unqualified pls, no budget": a name, then the status it is to have (never "new",
# which says too much else: "jane new job"), perhaps a "pls" and a reason. Asked, not news
# to log: the note reader leaves it, the status reader reads it.
STATUS_STATED = re.compile(
    r"^(?P<who>[a-z][\w.'-]*(?:\s+[a-z][\w.'-]*)?)\s+(?:now\s+|is\s+now\s+)?"
    r"(?P<st>unqualified|disqualified|qualified|contacted|customer)"
    r"(?:\s+(?:now|pls|please|plz))*(?P<why>\s*[,;.-]\s*[^,;]+)?[.!]*$",
    I,
)
# A reason that reports a call ("jane contacted, left vm") makes the message a call note.
_CALL_REPORT = re.compile(
    r"\b(?:vm|voicemail|called|call|spoke|talked|chatted|left|met|meeting|mtg|emailed|texted)\b",
    I,
)


_NOT_WHO = (
    r"i|we|you|they|he|she|it|mark|set|make|not|never|is|are|was|were|be|been|did|does|do|"
    r"has|have|had|should|can|could|will|would|now|still|the|a|an|all|every|any|my|our"
)


def status_stated(cmd: str) -> re.Match[str] | None:
    """ "lars wood unqualified pls, no budget": the lead and the status asked for."""
    stated = STATUS_STATED.match(cmd.strip())
    if stated is None or _CALL_REPORT.search(cmd):
        return None
    if cmd.rstrip().endswith("?") or any(
        re.fullmatch(_NOT_WHO, word, I) for word in stated["who"].split()
    ):
        return None  # "is priya contacted?" asks; "maya is unqualified" is read elsewhere
    return stated


def without_news_opening(cmd: str) -> str:
    """ "fyi nora murphy left initech" -> "nora murphy left initech"; a bare "update" opens
    news only with a stop after it ("update: nora left initech", not "update tom's title")."""
    rest = _NEWS_OPENING.sub("", cmd.strip())
    return rest if rest and rest != cmd.strip() else cmd


# "the acme guy", "the initech person", "the riverbend contact": someone at a company.
_SOMEONE = (
    r"(?:guy|gal|girl|dude|lady|woman|man|person|fella|folks?|contact|lead|rep|one|someone|"
    r"somebody)"
)
_SOMEONE_AFTER = re.compile(rf"^(?P<co>.+?)\s+{_SOMEONE}$", I)
_NOT_COMPANY = re.compile(
    r"^(?:new|other|last|first|second|third|same|right|wrong|that|this|main|my|our|old|"
    r"only|next|previous|\w+'s)$",
    I,
)


def by_company(ref: LeadRef) -> LeadRef:
    """ "the acme guy" is one of the leads at Acme: the company names them, so the lead is
    found (and asked for, when there are several) among its leads, never guessed from a
    name like "guy"."""
    text = ref.text or ""
    if ref.company and re.fullmatch(_SOMEONE, text, I):
        return lead_ref(ref.company)
    after = _SOMEONE_AFTER.match(text)
    if ref.company is None and after and not _NOT_COMPANY.match(after["co"]):
        return lead_ref(after["co"])
    return ref


_STATUS_WORDS = r"(?:new|contacted|qualified|unqualified|disqualified|customer|client|dq'?d|dq)"
# "hannah watson -> qualified", "X → contacted", "X => customer", "X --> dq"
ARROW_STATUS = re.compile(
    r"^(?!(?:what|how|why|when|who|whom|which|should|shall|can|could|would|will|if|did|does|do|"
    r"is|are|was|were)\b)"
    rf"(?P<ref>[^\s:,>→⇒?]+(?:\s+[^\s:,>→⇒?]+){{0,4}}?)\s*(?:-+>|=+>|→|⇒|➡️?|>>?)\s*(?:status\s*:?\s*)?(?:a\s+|an\s+)?"
    rf"(?P<st>{_STATUS_WORDS})(?:\s+(?:now|pls|please|status|lead))*$",
    I,
)

# A statement, then the change asked in so many words: "freya signed!! mark her as a
# customer", "david closed! mark as customer", "mateo signed, mark him customer".
_THEN_MARK = re.compile(
    r"^(?P<head>.+?)\s*(?:[,;!]+|\s-+|\.)\s*(?:(?:so|pls|please|go ahead and|can you|could "
    r"you|can u|just)\s+)*(?:(?:mark|set|make|move|flag|change|switch|put|update)\s+"
    r"(?:(?:her|him|them|that lead|the lead)\s+)?(?:(?:status\s+)?(?:as|to)\s+)?|"
    # "hannah signed last wk, shes a customer now": the status, said as news of her
    r"(?:she|he|they)(?:'s|’s|s|\s+is|'re|\s+are)\s+(?:now\s+|officially\s+)?)(?:a\s+|an\s+)?"
    rf"(?P<st>{_STATUS_WORDS})(?:\s+(?:now|pls|please|thanks|thx|too|status))*[.!]*$",
    I,
)


# "freya replied to my email", "mateo just said yes": who, then what they did.
_WHO_DID = re.compile(
    r"^(?P<who>[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*){0,2}?)\s+(?:just\s+|finally\s+|already\s+)?"
    r"(?:[a-z]+ed|is|was|has|had|got|said|says|wants|came|went|took|gave|paid|bought|sent|signs|"
    r"agrees|wrote|rang|spoke|told|confirms|accepts)\b(?:\s+\S+){0,8}$",
    I,
)


def marked_after_news(cmd: str) -> bool:
    """ "freya signed!! mark her as a customer": news, then the change it calls for."""
    return bool(_THEN_MARK.match(cmd.strip()))


def then_mark(cmd: str, status_of: Callable[[str], LeadRef | None]) -> tuple[LeadRef, str] | None:
    """The lead and status of "<who> <did something>, mark her as <status>": the lead the
    statement names (read as a status by `status_of` when it is one: "freya perez signed"),
    and the status the request asks for."""
    m = _THEN_MARK.match(cmd.strip())
    if not m or re.search(rf"\b{DEAL_WORDS}\b", cmd, I):
        return None
    hit = first_value(STATUS_PATTERNS, m["st"].lower())
    if hit is None:
        return None
    ref = status_of(m["head"])
    who = _WHO_DID.match(m["head"].strip())
    if ref is None and who and named(who["who"]):  # "freya replied to my email"
        ref = lead_ref(who["who"])
    if ref is None or ref.empty:
        return None
    return by_company(ref), hit[0]


_NOW = r"(?:\s+(?:now|these days|nowadays|as of (?:today|this week|monday)))"
_SHE_IS = r"(?:(?:she|he|they)(?:'s|’s|s|\s+is|'re|’re|\s+are)\s+)"
# Each: the sentence, the field it changes when it names none, and whether it is only a
# statement (shown and asked before it is written). A title said after a promotion must read
# as one (`NEWS_TITLES`).
NEWS_UPDATES: tuple[tuple[re.Pattern[str], str | None, bool], ...] = (
    # "daniel jackson at riverbend - his email is x", "tom becker, his new cell: 555 …"
    (
        re.compile(
            r"^(?P<ref>.+?)\s*(?:[,;:]|\s-+|\s–)\s*(?:his|her|their)\s+"
            rf"(?P<new>new\s+|correct\s+|updated\s+|actual\s+)?{FIELD}\s*(?P<sep>is|=|:|-+>?)?\s*"
            r"(?:now\s+)?(?P<value>.+?)(?:\s+now)?$",
            I,
        ),
        None,
        False,
    ),
    # "david lopez got promoted, hes coo now", "nora was promoted - she's head of ops now",
    # "gabriel just got promoted, now ceo", "tom got promoted! new title is vp sales"
    (
        re.compile(
            r"^(?P<ref>.+?)\s+(?:got|was|has been|just got|just|'s been|finally got|finally)\s+"
            r"promoted(?:\s+(?:today|yesterday|last week|finally|lol))*\s*(?:[,;:!.]+|\s-+|"
            rf"\s+and)\s*(?:so\s+)?(?:{_SHE_IS}|now\s+)?(?:now\s+)?(?:the\s+new\s+|the\s+|a\s+|"
            r"an\s+|our\s+|their\s+)?(?:new\s+(?:title|role)\s*(?:is|:|=)?\s+)?"
            rf"(?P<value>.+?){_NOW}?$",
            I,
        ),
        "title",
        True,
    ),
    # "nora murphy is at hooli now", "mia's over at initech these days"
    (
        re.compile(
            r"^(?P<ref>.+?)(?:\s+is|'s|’s|\s+s)\s+(?:over\s+at|working\s+(?:at|for)|at)\s+"
            r"(?!(?:the|a|an|my|our|his|her|their|lunch|home|work)\b)"
            rf"(?P<value>[\w&.' -]+?){_NOW}$",
            I,
        ),
        "company",
        True,
    ),
)
NEWS_TITLES = frozenset({NEWS_UPDATES[1][0]})

POSS = r"(?:'s|’s|s'|')"
# A value handed over rather than asked to be set; each as in `NEWS_UPDATES`.
GIVEN_VALUES: tuple[tuple[re.Pattern[str], str | None, bool], ...] = (
    # "got a number for lars moreau finally: (312) 555-0190", "have a new email for tom - x"
    (
        re.compile(
            r"^(?:(?:i\s+)?(?:just\s+|finally\s+)?(?:got|have|found|dug up|tracked down)|"
            r"here'?s|heres|here is)\s+(?:a|an|the|her|his|their)\s+(?:new\s+|updated\s+|"
            rf"correct\s+|direct\s+|real\s+)?{FIELD}\s+(?:for|of)\s+(?P<ref>.+?)"
            r"(?:\s+(?:finally|at last|now))?\s*(?:[:=,]|\s-+|\s–|\bis\b)\s*(?P<value>.+)$",
            I,
        ),
        None,
        False,
    ),
    # "here's lars moreau's cell: 555 ...", "add ingrid's cell - 555 ...": the lead first
    (
        re.compile(
            rf"^(?:here'?s|heres|here is|got|add|save|store)\s+(?P<ref>.+?){POSS}\s+"
            rf"(?:new\s+|updated\s+|correct\s+|direct\s+)?{FIELD}\s*(?:[:=,]|\s-+|\bis\b)\s*"
            r"(?P<value>.+)$",
            I,
        ),
        None,
        False,
    ),
)
# A number or an address as the person types one, before what it is ("add 415 555 0199 as
# her cell"): only such a value reads here, so "add jane as a lead" never does.
_A_VALUE = r"(?P<value>\+?\(?\d[\d ().-]{6,}\d|[\w.+-]+@[\w.-]+\.\w+)"
GIVEN_VALUES += (
    # "add 415 555 0199 as her cell", "save tb@x.io as tom becker's email"
    (
        re.compile(
            rf"^(?:add|save|put|store|use|put in)\s+{_A_VALUE}\s+(?:as|for)\s+(?P<ref>.+?){POSS}?"
            rf"\s+(?:new\s+|main\s+|direct\s+|work\s+|primary\s+)?{FIELD}(?:\s+now)?$",
            I,
        ),
        None,
        False,
    ),
    # "luis ortega's email changed, its lortega@acmecorp.com now", "jane's # changed: 555 …"
    (
        re.compile(
            rf"^(?P<ref>.+?){POSS}?\s+{FIELD}\s+(?:has\s+|just\s+)?(?:changed|is different|"
            r"is new|got changed|got updated|updated)\s*(?:[,;:.]+\s*|\s-+\s*|\s+)"
            r"(?:(?:it'?s|its|it is|the new one is|new one is|new one'?s|now it'?s|now its|to|now)"
            rf"\s+)?(?:now\s+)?{_A_VALUE}(?:\s+now)?$",
            I,
        ),
        None,
        False,
    ),
)
# A change heard rather than known: "i think tom got promoted", "apparently jane left".
HEARSAY = re.compile(
    r"^(?:i think|i guess|i believe|i heard|heard|apparently|maybe|probably|not sure|rumor is|"
    r"word is|supposedly|pretty sure)\b",
    I,
)


def at_company_now(text: str) -> bool:
    """ "fyi chris parker's at pied piper now": a move said as plain news, with no hedge and
    no question; the plan writes it at once only when the CRM already knows that company."""
    said = without_news_opening(text).strip().rstrip(".! ")
    return bool(NEWS_UPDATES[2][0].match(said)) and not HEARSAY.match(said) and "?" not in said
