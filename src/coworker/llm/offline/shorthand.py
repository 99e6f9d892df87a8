"""Salespeople's shorthand and slips, expanded for reading, with a map back to their words.

"fu w/ jane re: pricing tmrw pls" is a whole request to a colleague. The interpreter reads
the expanded form ("follow up with jane about pricing tomorrow please"), but anything that is
stored or sent must keep the person's exact words: a task title, a note, an email body. So
`normalise` never hands out the expanded text as a value: it keeps, for every piece it
changed, the span of the original it came from, and a caller cuts values from the original
(`Normalised.original_text`, `Normalised.to_original`).

What is expanded lives in `SHORTHAND` (one word or token each) and the keyword typo fixer
(`text.correct`); the date, amount and phone extractors read the original text themselves
and know their own abbreviations ("tmrw", "wks", "18.5k").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from coworker.llm.offline.text import correct
from coworker.llm.offline.verbatim import verbatim_spans

# Shorthand → what it stands for. Only tokens that mean one thing in a sales request:
# "mon"/"sat"/"sun"/"wed" are real words too and stay as written ("sat down with jane").
SHORTHAND: dict[str, str] = {
    "fu": "follow up",
    "f/u": "follow up",
    "fup": "follow up",
    "w/": "with",
    "w/o": "without",
    "re:": "about",
    "re": "about",
    "abt": "about",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmw": "tomorrow",
    "tmro": "tomorrow",
    "tomoz": "tomorrow",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "tdy": "today",
    "2day": "today",
    "yday": "yesterday",
    "yest": "yesterday",
    "rn": "right now",
    "asap": "as soon as possible",
    "wk": "week",
    "wks": "weeks",
    "mos": "months",
    "hr": "hour",
    "hrs": "hours",
    "yr": "year",
    "yrs": "years",
    "qtr": "quarter",
    "nxt": "next",
    "tues": "tuesday",
    "weds": "wednesday",
    "thurs": "thursday",
    "thur": "thursday",
    "acct": "account",
    "accts": "accounts",
    "opp": "deal",
    "opps": "deals",
    "oppty": "deal",
    "opptys": "deals",
    "opty": "deal",
    "pls": "please",
    "plz": "please",
    "pl": "please",
    "thx": "thanks",
    "tks": "thanks",
    "ty": "thank you",
    "u": "you",
    "ur": "your",
    "r": "are",
    "b4": "before",
    "bc": "because",
    "b/c": "because",
    "cuz": "because",
    "ppl": "people",
    "mtg": "meeting",
    "mtgs": "meetings",
    "appt": "appointment",
    "msg": "message",
    "msgs": "messages",
    "txt": "text",
    "vm": "voicemail",
    "vms": "voicemails",
    "lmk": "let me know",
    "cust": "customer",
    "custs": "customers",
    "amt": "amount",
    "approx": "approximately",
    "info": "information",
    "convo": "conversation",
    "prop": "proposal",
    "nvm": "never mind",
}

# Tokens with a slash, a colon or a digit, which the word pattern below would split.
_SPECIAL = sorted((k for k in SHORTHAND if not k.isalpha()), key=len, reverse=True)
_TOKENS = re.compile(
    r"(?P<special>(?<![\w/])(?:" + "|".join(re.escape(k) for k in _SPECIAL) + r")(?![\w/]))"
    r"|(?P<word>(?<![\w'@.-])[A-Za-z][A-Za-z']*(?![\w/@-]|\.\w))"
    r"|(?P<space>[ \t\r\n\f\v\u00a0]{2,}|[\t\r\f\v\u00a0])"
    r"|(?P<other>[^\x00-\x7f])",
    re.I,
)
_PUNCTUATION = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


@dataclass(frozen=True)
class Change:
    """One piece of the original that reads differently in the normalised text."""

    start: int  # span in the original text
    end: int
    norm_start: int  # span in the normalised text
    norm_end: int
    original: str
    replacement: str


@dataclass(frozen=True)
class Normalised:
    """The text as the interpreter reads it, and the way back to the person's own words."""

    original: str
    text: str
    changes: tuple[Change, ...]

    @property
    def low(self) -> str:
        return self.text.lower()

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span a normalised span came from (a changed piece maps whole)."""
        return self._position(start, left=True), self._position(end, left=False)

    def original_text(self, start: int, end: int) -> str:
        """What the person wrote for the normalised span `[start, end)`."""
        a, b = self.to_original(start, end)
        return self.original[a:b]

    def _position(self, pos: int, *, left: bool) -> int:
        shift = 0
        for change in self.changes:
            if pos <= change.norm_start:
                break
            if pos < change.norm_end or (pos == change.norm_end and not left):
                # Inside a changed piece (or at its end): the whole original piece.
                return change.start if left else change.end
            shift = change.end - change.norm_end
        return min(max(pos + shift, 0), len(self.original))


def _replacement(kind: str, token: str, mixed_case: bool, at: int) -> str | None:
    if kind == "space":
        return " "
    if kind == "other":
        fixed = unicodedata.normalize("NFKC", token).translate(_PUNCTUATION)
        return fixed if fixed != token else None
    low = token.lower()
    expanded = SHORTHAND.get(low)
    if expanded is not None:
        if low in ("u", "r", "re") and token != low:
            return None  # "U" the letter, "R&D", "RE" as a name: only lowercase is shorthand
        return expanded
    if kind != "word" or (mixed_case and token[0].isupper() and at > 0):
        return None  # a capitalised word mid-sentence is most likely a name
    fixed = correct(low)
    return fixed if fixed != low else None


@lru_cache(maxsize=1024)
def normalise(text: str) -> Normalised:
    """Expand shorthand and fix keyword typos; cached, since a turn reads its text often."""
    mixed_case = text != text.lower() and text != text.upper()
    changes: list[Change] = []
    out: list[str] = []
    last = 0
    length = 0
    kept = verbatim_spans(text)
    for m in _TOKENS.finditer(text):
        kind = m.lastgroup or ""
        if kind in ("word", "special") and any(a <= m.start() < b for a, b in kept):
            continue  # a word of an email, URL, phone or quote: a value, kept as typed
        token = m.group(0)
        new = _replacement(kind, token, mixed_case, m.start())
        if new is None:
            continue
        out.append(text[last : m.start()])
        length += m.start() - last
        changes.append(Change(m.start(), m.end(), length, length + len(new), token, new))
        out.append(new)
        length += len(new)
        last = m.end()
    out.append(text[last:])
    return Normalised(text, "".join(out), tuple(changes))
