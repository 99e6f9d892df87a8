"""Reading a message: cleaned text, lowercase words, small typos in keywords fixed.

The interpreter keys on words ("email", "overdue", "qualified"), so a typo in one of them
would make a clear request unreadable. Tokens one slip of the fingers from a keyword (a
missing, extra or swapped letter; two for long words) are replaced by it, using a deletion
index (SymSpell-style) so the lookup costs microseconds. A wrong letter is not treated as a
slip: that is how one real word becomes another ("talks"/"tasks", "Jane"/"June"). Real words
near keywords, common words, and capitalised words in a mixed-case message (names) are left
alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

MAX_ANALYSED_CHARS = 4000

KEYWORDS = frozenset(
    """
email emails emailed texts texted message messages notes tasks reminder reminders remind
deals opportunity opportunities pipeline leads contact contacts prospect prospects sequence
sequences campaign campaigns cadence nurture labels create delete remove update change
qualified unqualified contacted customer customers interested voicemail answer answered
prospecting qualification proposal negotiation overdue today tomorrow tonight monday tuesday
wednesday thursday friday saturday sunday january february march april august september
october november december morning afternoon evening priority urgent important complete
completed finished finish schedule reschedule meeting history calls search enroll enrol
subject saying details status stage value mailbox mailboxes account accounts anyone summary
overview plate agenda phone number company title following follow upcoming today's
yesterday people someone everyone show please thanks hello called spoke talked pricing
marked disqualify qualify mention pipeline reschedule task note deal lead text help
done mark tags list show find send sent
""".split()
)

_PHRASES = (
    (re.compile(r"\be-?mail", re.I), "email"),
    (re.compile(r"\bfollow[- ]?ups?\b", re.I), "follow up"),
    (re.compile(r"\bto-?dos?\b", re.I), "todo"),
    (re.compile(r"\bvoice[- ]mail", re.I), "voicemail"),
    (re.compile(r"\bcall-back\b", re.I), "callback"),
    (re.compile(r"\btxt\b", re.I), "text"),
    (re.compile(r"\bw/(?=\s)", re.I), "with"),
    (re.compile(r"\s&\s"), " and "),
    (re.compile(r"\boppt?y\b|\bopps?\b", re.I), "deal"),
)
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": " - ",
        "\u00a0": " ",
        "\u2026": "...",
    }
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z']*")
_WORD = re.compile(r"[a-z0-9][a-z0-9'.@+-]*[a-z0-9]|[a-z0-9]")
_CONTRACTIONS = frozenset(
    "what's that's it's he's she's there's who's where's how's let's here's".split()
)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _build_index() -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for word in KEYWORDS:
        if len(word) < 4:
            continue
        for key in {word, *_deletes(word)}:
            index.setdefault(key, set()).add(word)
    return index


_INDEX = _build_index()


# Real words one typing slip away from a keyword: never "corrected" ("contract" is not a
# misspelt "contact", "remainder" not "reminder").
PROTECTED = frozenset(
    """
contract contracts contracted context compete competed lease leases finnish pleads ideals
remainder remainders market markets talks place little charge remote tests dials loads
votes opening greeting paying walked stats cremate dales toady recalled stage stages
contacts emailing texting tasking calling dealing leading noted
""".split()
)


_INFLECTIONS = frozenset({"s", "es", "d", "ed", "er", "ers", "ing", "ly"})


def edit_distance(a: str, b: str) -> int:
    """Typing-slip distance: a missing, extra or swapped letter costs 1, a wrong letter 2.

    Substitutions are what turn one real word into another ("talks" -> "tasks"), so they are
    made expensive; slips of the fingers are mostly the other three.
    """
    if a == b:
        return 0
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 2
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


@lru_cache(maxsize=4096)
def correct(word: str) -> str:
    """The keyword `word` was probably meant to be, or `word` itself."""
    if len(word) < 4 or word in KEYWORDS or word in PROTECTED or not word.isalpha():
        return word
    from coworker.llm.offline.vocab import COMMON_WORDS

    if word in COMMON_WORDS:
        return word
    candidates: set[str] = set()
    for key in {word, *_deletes(word)}:
        candidates |= _INDEX.get(key, set())
    best, best_distance = word, 3
    limit = 1 if len(word) <= 7 else 2
    for candidate in sorted(candidates):
        longer, shorter = (word, candidate) if len(word) > len(candidate) else (candidate, word)
        if longer.startswith(shorter) and longer[len(shorter) :] in _INFLECTIONS:
            continue  # "label" is not a misspelt "labels"
        distance = edit_distance(word, candidate)
        if distance <= limit and distance < best_distance:
            best, best_distance = candidate, distance
    return best


def clean(raw: str) -> str:
    """Unicode-normalised text with straight quotes and single spaces."""
    text = unicodedata.normalize("NFKC", raw).translate(_QUOTES)
    text = "".join(ch if ch.isprintable() or ch == "\n" else " " for ch in text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _fix_typos(text: str, mixed_case: bool, offset: int) -> str:
    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if mixed_case and word[0].isupper() and offset + m.start() > 0:
            return word  # a capitalised word mid-sentence is most likely a name
        fixed = correct(word.lower())
        if fixed == word.lower():
            return word
        return fixed.capitalize() if word[0].isupper() else fixed

    return _TOKEN.sub(fix, text)


def words_of(low: str) -> tuple[str, ...]:
    """Lowercase word tokens: apostrophes dropped, possessive 's removed ("jane's" -> "jane")."""
    out = []
    for token in _WORD.findall(low):
        token = token.strip(".'")
        if not token:
            continue
        if token.endswith("'s") and token not in _CONTRACTIONS:
            token = token[:-2]
        out.append(token.replace("'", ""))
    return tuple(out)


def _read_plainly(text: str) -> str:
    """Phrases unified and keyword typos fixed, except in values typed verbatim (an email
    address, URL, phone or quote: "initech-mail.example" is not a misspelt "email")."""
    from coworker.llm.offline.verbatim import pieces

    mixed_case = text != text.lower() and text != text.upper()
    out: list[str] = []
    offset = 0
    for piece, free in pieces(text):
        if free:
            for pattern, replacement in _PHRASES:
                piece = pattern.sub(replacement, piece)
            piece = _fix_typos(piece, mixed_case, offset)
        out.append(piece)
        offset += len(piece)
    return "".join(out)


@dataclass(frozen=True)
class Utterance:
    """One message as the interpreter reads it."""

    raw: str  # cleaned, whole message (bodies and notes come from here)
    text: str  # the analysed part (capped), with keyword typos fixed, case kept
    low: str  # `text` in lowercase, same length
    words: tuple[str, ...] = field(default=())
    wordset: frozenset[str] = field(default=frozenset())
    written: str = ""  # the message exactly as typed: what is sent keeps its dashes and quotes

    @classmethod
    def of(cls, message: str) -> Utterance:
        raw = clean(message)
        text = raw[:MAX_ANALYSED_CHARS]
        text = _read_plainly(text)
        low = text.lower()
        if len(low) != len(text):
            text = low
        words = words_of(low)
        return cls(raw, text, low, words, frozenset(words), message.strip())

    def has(self, *words: str) -> bool:
        return any(w in self.wordset for w in words)


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """0..1, how alike two short strings are (case-insensitive).

    Below `floor` the exact value does not matter to the caller and 0 comes back early: the
    length and letter-count bounds are cheap, the full comparison is not.
    """
    a, b = a.lower(), b.lower()
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return _similarity(a, b, floor)


@lru_cache(maxsize=65_536)
def _similarity(a: str, b: str, floor: float) -> float:
    """Cached: a replayed plan ranks the same names again on every turn of a conversation."""
    if floor and 2 * min(len(a), len(b)) / (len(a) + len(b)) < floor:
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if floor and matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()


def clear_text_caches() -> None:
    """Forget cached corrections and similarities (benchmarks measure the cold path)."""
    correct.cache_clear()
    _similarity.cache_clear()


def token_similarity(query: str, target: str, floor: float = 0.5) -> float:
    """How well the words of `query` are covered by the words of `target` (typos allowed).

    Each query word takes its best match among the target's words; the result is the mean,
    so "jane smtih" against "Jane Smith" scores high and "jane" against "Jane Smith" too.
    """
    q_words = [w for w in re.split(r"[^a-z0-9@.+]+", query.lower()) if w]
    t_words = [w for w in re.split(r"[^a-z0-9@.+]+", target.lower()) if w]
    if not q_words or not t_words:
        return 0.0
    total = 0.0
    for q in q_words:
        best = 0.0
        for t in t_words:
            if q == t:
                best = 1.0
                break
            score = similarity(q, t, floor)
            if t.startswith(q) and len(q) >= 3:
                score = max(score, 0.9)
            best = max(best, score)
        total += best
    return total / len(q_words)


def capitalise(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


_SMALL_WORDS = frozenset("of and the for at in to on a an &".split())
_ACRONYMS = frozenset("ceo cto cfo coo cio cmo cro cso cpo vp svp evp avp it hr qa ui ux".split())


def titled(text: str) -> str:
    """A company or job title typed all in lowercase, in its usual case ("head of ops" ->
    "Head of Ops", "vp of sales" -> "VP of Sales"); anything typed with capitals is kept."""
    text = text.strip()
    if text != text.lower():
        return capitalise(text)
    words = text.split()
    return " ".join(
        w.upper() if w in _ACRONYMS else w if i and w in _SMALL_WORDS else capitalise(w)
        for i, w in enumerate(words)
    )


def sentence(text: str) -> str:
    """Capitalised, with a full stop unless it already ends in punctuation."""
    text = capitalise(text.strip().strip(","))
    if text and text[-1] not in ".!?)\"'":
        text += "."
    return text
