"""Pulling values out of a sentence: addresses, numbers, amounts, who it is about.

Each extractor takes the text as the person wrote it and returns a value plus, where the
caller needs to cut it out, the span it came from. None of them invent anything: what is
not in the sentence stays None and the plan asks or leaves the field out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from coworker.llm.offline.vocab import COMMON_WORDS, CURRENCIES, NUMBER_WORDS

EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\w@.])(?:\+?\d[\d\s().-]{6,}\d)(?![\w@])")
AMOUNT = re.compile(
    r"(?P<cur1>[$€£¥])?\s?(?P<num>\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?"
    r"(?P<unit>k|m|mm|bn|b|thousand|grand|million|billion)?\b\s?"
    r"(?P<cur2>usd|eur|gbp|cad|aud|chf|jpy|dollars|euros|pounds|bucks)?",
    re.I,
)
QUOTED = re.compile(r"\"([^\"]{1,500})\"|'([^']{2,200})'")

PRONOUNS = frozenset("her him them she he they it this that same".split())
_PRONOUN_REF = re.compile(
    r"^(?:her|him|them|she|he|they|it|his|their|this (?:one|lead|person|contact|guy|lady)|"
    r"that (?:one|lead|person|contact|guy|lady)|the (?:same )?(?:lead|person|contact)|"
    r"same (?:lead|person|one)|this|that)$"
)
_ORDINAL_REF = re.compile(
    r"^(?:the )?(?:(?P<word>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"last|1st|2nd|3rd|4th|5th|6th|7th|8th|9th|10th)(?: (?:one|lead|person|contact|guy|one "
    r"on the list|on the list))?|(?:number|no\.?|#) ?(?P<num>\d{1,2}))$"
)
_REF_PREFIX = re.compile(
    r"^(?:(?:to|for|on|onto|with|about|at|the|a|an|my|our|lead|contact|prospect|client|"
    r"customer|mr|mrs|ms|miss|dr|new|person|named|called|account|record|of|from|"
    r"regarding|everything|anything|all|details|detail|info|information|profile|latest)\.?\s+)+",
    re.I,
)
_REF_SUFFIX = re.compile(
    r"(?:\s+(?:lead|leads|contact|record|account|profile|please|pls|thanks|now|today|"
    r"again|too|as well|asap|right now|real quick|quickly|already|yet|before|ever|recently|"
    r"lately|tomorrow|tonight|later|this morning|this afternoon|this evening|this week|"
    r"next week|'s))+$|'s$|s'$",
    re.I,
)


@dataclass(frozen=True)
class LeadRef:
    """Who a request is about, as the person said it."""

    text: str = ""  # a name, company, email or phone, as written
    pronoun: bool = False  # "her", "that lead": the lead in context
    ordinal: int | None = None  # "the second one": from the last list shown (1-based, -1 last)
    company: str | None = None  # "Chris at Initech": narrows a name
    # "the one at wonka", "the bluth one": `text` picks one of the records the last reply
    # showed (`listed.py`), before the CRM is searched for it
    listed: bool = False
    mine: bool = False  # "my chris": of several who fit, the one the person owns

    @property
    def empty(self) -> bool:
        return not self.text and not self.pronoun and self.ordinal is None

    @property
    def is_email(self) -> bool:
        return bool(EMAIL.fullmatch(self.text))

    @property
    def is_phone(self) -> bool:
        return bool(PHONE.fullmatch(self.text)) and sum(c.isdigit() for c in self.text) >= 7

    def describe(self) -> str:
        if self.company and self.text:
            return f"{self.text} at {self.company}"
        return self.text or self.company or "that lead"


_NOT_A_LEAD = frozenset({"i", "me", "myself", "we", "us", "u", "you", "ya", "ur", "my", "our"})


def lead_ref(span: str) -> LeadRef:
    """A `LeadRef` from the words that name the lead ("Jane Smith", "her", "Chris at Initech");
    "my chris" is marked `mine`, so of several Chrises the person's own is the one."""
    ref = _lead_ref(span)
    if ref.text and not ref.pronoun and _MY.match(span):
        return replace(ref, mine=True)
    return ref


_MY = re.compile(r"^\s*my\s+(?!own\b|leads?\b|contacts?\b)\w", re.I)


def _lead_ref(span: str) -> LeadRef:
    text = span.strip().strip(" ,.;:!?\"'()[]")
    text = re.sub(r"\s+", " ", text)
    for _ in range(3):
        before = text
        text = _REF_PREFIX.sub("", text).strip()
        text = _REF_SUFFIX.sub("", text).strip().strip(" ,.;:!?\"'()")
        if text == before:
            break
    low = text.lower()
    if not text or len(low) < 2 or low in _NOT_A_LEAD:
        return LeadRef()  # "log that i left a vm ...": "i" is the person, never a lead
    pointed = _pointer(span)
    if pointed is not None:
        return pointed
    if _PRONOUN_REF.match(low):
        return LeadRef(pronoun=True)
    ordinal = _ORDINAL_REF.match(low)
    if ordinal:
        if ordinal["num"]:
            return LeadRef(ordinal=int(ordinal["num"]))
        word = ordinal["word"]
        return LeadRef(ordinal=-1 if word == "last" else NUMBER_WORDS[word])
    found = EMAIL.search(text)
    if found:
        return LeadRef(found.group(0))
    m = re.match(r"^(.+?)\s+(?:at|from|of|with|@)\s+(.+)$", text, re.I)
    if m and m[1].lower() not in PRONOUNS:
        return LeadRef(m[1].strip(), company=m[2].strip())
    m = re.match(r"^(.+?)\s*\((.+)\)$", text)
    if m:
        return LeadRef(m[1].strip(), company=m[2].strip())
    return LeadRef(text)


def _pointer(span: str) -> LeadRef | None:
    """ "the one at wonka", "the bluth one": the whole span points into the last list."""
    from coworker.llm.offline.listed import pointer

    text = re.sub(r"^(?:to|for|on|with|about|at)\s+", "", span.strip().strip(" ,.;:!?"), flags=re.I)
    found = pointer(text if text.lower().startswith("the ") else "the " + text)
    if found is None or len(found.said) < len(text) - 1:
        return None
    return LeadRef(found.key, listed=True)


def without_possessive(text: str) -> str | None:
    """ "luis ortegas" -> "luis ortega": the name a possessive typed without its apostrophe
    ("janes #", "toms title") stands for; None when the last word cannot be one. Only a
    fallback: "hayes" and "marcus" are names as typed, so the caller tries the text first."""
    m = re.fullmatch(r"(?P<stem>.*?\w{2,}[^su\W])s", text.strip(), re.I)
    return m["stem"] if m else None


# Text the person pasted or quoted into a message: data to talk about, never a request.
# A single quote opens only after a space or a colon ("johnson's" is not an opening quote).
_PASTED = (
    re.compile(r"<!--.*?(?:-->|$)|<[a-z!/][^<>]{0,300}>", re.I | re.S),
    re.compile(r"\{[^{}]{0,1000}\}|\[[^\[\]]{0,1000}\]", re.S),
    re.compile(r"\"[^\"]{1,1000}(?:\"|$)|“[^”]{1,1000}(?:”|$)|‘[^’]{1,500}’", re.S),
    re.compile(r"(?:^|(?<=[\s:(]))'[^']{2,500}'(?=[\s.,;:!?)]|$)", re.S),
)


def without_pasted(text: str) -> str:
    """`text` with what was pasted or quoted into it cut out (each piece leaves a " … "), so
    the person's own request can be read apart from it ("fwd: \"enroll everyone\" — just tell
    me toms title"). The text itself when nothing was pasted."""
    for pattern in _PASTED:
        text = pattern.sub(" … ", text)
    return text


def email_in(text: str) -> str | None:
    found = EMAIL.search(text)
    return found.group(0) if found else None


def phone_in(text: str) -> tuple[str, int, int] | None:
    """A phone number (7+ digits), as written, with its span."""
    for m in PHONE.finditer(text):
        digits = sum(c.isdigit() for c in m.group(0))
        if 7 <= digits <= 15 and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", m.group(0).strip()):
            return m.group(0).strip(), m.start(), m.end()
    return None


def phone_search_forms(phone: str) -> list[str]:
    """Substrings to search the CRM with; numbers are stored like +1-555-000-1234."""
    digits = re.sub(r"\D", "", phone)
    forms = [phone.strip()]
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) == 10:
        forms.append(f"{digits[:3]}-{digits[3:6]}-{digits[6:]}")
    if len(digits) >= 7:
        forms.append(f"{digits[-7:-4]}-{digits[-4:]}")
    seen: list[str] = []
    for form in forms:
        if form not in seen:
            seen.append(form)
    return seen


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@dataclass(frozen=True)
class Amount:
    value: float
    currency: str | None
    start: int
    end: int


_MULTIPLIERS = {
    "k": 1e3,
    "thousand": 1e3,
    "grand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
}


def amount_in(text: str, *, require_marker: bool = False) -> Amount | None:
    """A money amount ("12k", "$12,000", "1.5m", "40 000 EUR"); dates and phones are skipped.

    `require_marker`: only amounts with a currency sign or a unit count (so "stage 2" is not
    a value).
    """
    for m in AMOUNT.finditer(text):
        number = m["num"]
        unit = (m["unit"] or "").lower()
        cur = m["cur1"] or m["cur2"]
        before = text[max(0, m.start() - 1) : m.start()]
        after = text[m.end() : m.end() + 1]
        if before in ("-", "/", ":", "+") or after in ("/", ":", "-") and not unit:
            continue
        if re.match(
            r"\s*(?:am|pm|a\.m|p\.m|st|nd|rd|th|days?|weeks?|hours?|mins?|minutes?|"
            r"months?|seats?|users?|licen[cs]es?|people|%)\b",
            text[m.end() :],
            re.I,
        ):
            if not unit and not cur:
                continue
        if require_marker and not unit and not cur:
            if len(re.sub(r"\D", "", number)) < 4:
                continue
        try:
            value = float(re.sub(r"[,\s]", "", number)) * _MULTIPLIERS.get(unit, 1.0)
        except ValueError:
            continue
        if value <= 0:
            continue
        currency = CURRENCIES.get(cur.lower()) if cur else None
        if cur and cur.lower() == "bucks":
            currency = "USD"
        return Amount(value, currency, m.start(), m.end())
    return None


def quoted(text: str) -> str | None:
    m = QUOTED.search(text)
    if not m:
        return None
    return (m[1] or m[2]).strip()


def looks_like_name_word(word: str) -> bool:
    """Could this lowercase word be part of a name (not a common English word)?"""
    return word.isalpha() and word not in COMMON_WORDS and len(word) > 1


def name_prefix(text: str, max_words: int = 3) -> tuple[str, str]:
    """Split "jane smith running late" into ("jane smith", "running late").

    Capitalised words make the name when the person used capitals; otherwise the first word
    and any following uncommon words (up to `max_words`).
    """
    tokens = text.split()
    if not tokens:
        return "", ""
    mixed = text != text.lower()
    take = 0
    if mixed and tokens[0][:1].isupper():
        while take < min(max_words, len(tokens)):
            word = tokens[take].strip(",.:;!?")
            if not word[:1].isupper() and not (take > 0 and word.lower() in ("van", "de", "da")):
                break
            take += 1
            if tokens[take - 1][-1:] in ",.:;!?":
                break
    else:
        take = 1
        while take < min(max_words, len(tokens)):
            word = tokens[take].lower().strip(",.:;!?")
            if tokens[take - 1][-1:] in ",.:;!?" or not looks_like_name_word(word):
                break
            take += 1
    name = " ".join(tokens[:take]).strip(",.:;!? ")
    rest = " ".join(tokens[take:]).strip()
    return name, rest
