"""Which leads a person's words point at: whole words, exact names, companies, similarity.

The CRM's search matches any substring of a name, email, company or phone, so "dana" also
finds everyone at greenfielDANAlytics.example. These helpers keep the leads the words were
meant for, tell a company ("Acme") from a person ("Jane"), and rank near-misses for typos.

`best_matches` is the typed form: word by word with `rapidfuzz` (a typo, a transposition, a
first or last name alone, an initial, "jane @ acme"), and one rule, `winner`, for when the
words point at one candidate and when the person should be asked which one they meant.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein

from coworker.llm.offline.slots import LeadRef
from coworker.llm.offline.text import similarity, token_similarity

Record = dict[str, Any]
# A title's words as people shorten them: "vp of eng", "head of ops".
TITLE_WORDS = {
    "vp": "vice president",
    "eng": "engineering",
    "ops": "operations",
    "mktg": "marketing",
    "cfo": "chief financial officer",
    "ceo": "chief executive officer",
    "cto": "chief technology officer",
    "coo": "chief operating officer",
}


# Someone named by their role rather than their name ("follow up w the vp of sales"): a
# person, but which one the words alone don't say.
ROLE_REFERENCE = re.compile(
    r"\bthe\s+(?:(?:vp|svp|evp|cfo|ceo|cto|coo|cmo|cro|founder|owner|buyer|champion|"
    r"decision[- ]maker|contact|guy|lady|head of \w+|\w+ (?:director|manager|lead)|"
    r"[\w&.'-]+ (?:person|guy|gal|lady|contact|rep|folks|people|ppl|woman|man|dude)))\b",
    re.I,
)


# The words that only say "someone" after a role: "the procurement person", "the IT guy".
ROLE_NOUNS = frozenset("person guy gal lady woman man dude contact rep folks people ppl".split())


def name_key(text: str) -> str:
    return re.sub(r"[^a-z0-9@+]+", " ", text.lower()).strip()


def whole_word(needle: str, hay: str) -> bool:
    return bool(re.search(rf"(?<![a-z0-9]){re.escape(needle)}(?![a-z0-9])", hay))


def relevant(leads: list[Record], ref: LeadRef) -> list[Record]:
    """Drop leads that matched only inside another word ("dana" in greenfielDANAlytics.com).

    The CRM's search is a substring match over name, email, company and phone; a person
    means the name or the company. When nothing matches as a word, keep everything.
    """
    if ref.is_email or ref.is_phone or not ref.text:
        return leads
    key = name_key(ref.text)
    kept = [
        lead
        for lead in leads
        if whole_word(key, name_key(str(lead.get("name", ""))))
        or whole_word(key, name_key(str(lead.get("company") or "")))
        or name_key(str(lead.get("name", ""))).startswith(key)
    ]
    return kept or leads


def said_as_word(lead: Record, ref: LeadRef) -> bool:
    """Whether a word of `ref` is a word of the lead's name, company or title, or opens one
    ("gab" for Gabriel; "the acme guy"), rather than every one sitting inside another word
    ("oh" in Johnson): only then are they read as meaning that lead without asking."""
    if ref.is_email or ref.is_phone or not ref.text:
        return True
    fields = " ".join(str(lead.get(f) or "") for f in ("name", "company", "title"))
    have = name_key(fields).split()
    # "danas", "noah millers": a possessive typed without its apostrophe names the word too
    return any(
        h.startswith(w) or (w.endswith("s") and h == w[:-1])
        for w in name_key(ref.text).split()
        for h in have
    )


def narrow(leads: list[Record], ref: LeadRef) -> list[Record]:
    """Keep the leads the words really point at (a whole-word or exact match, the company)."""
    if ref.company:
        company = name_key(ref.company)
        by_company = [
            lead
            for lead in leads
            if company in name_key(str(lead.get("company") or ""))
            or similarity(company, name_key(str(lead.get("company") or ""))) >= 0.75
        ]
        if by_company:
            leads = by_company
    if len(leads) <= 1:
        return leads
    key = name_key(ref.text)
    exact = [lead for lead in leads if name_key(str(lead.get("name", ""))) == key]
    if exact:
        return exact
    if ref.is_email:
        exact = [lead for lead in leads if str(lead.get("email", "")).lower() == key]
        if exact:
            return exact
    whole = [lead for lead in leads if whole_word(key, name_key(str(lead.get("name", ""))))]
    if whole:
        return whole
    return leads


def rank(leads: list[Record], ref: LeadRef) -> list[tuple[float, Record]]:
    query = name_key(ref.text)
    ranked = []
    for lead in leads:
        name = name_key(str(lead.get("name", "")))
        company = name_key(str(lead.get("company") or ""))
        email = str(lead.get("email") or "").lower().split("@")[0].replace(".", " ")
        score = max(
            token_similarity(query, name),
            similarity(query, name, 0.5),
            0.95 * similarity(query, company, 0.5),
            0.9 * token_similarity(query, company) if company else 0.0,
            0.85 * token_similarity(query, email) if email else 0.0,
        )
        if ref.company and company:
            score = 0.8 * score + 0.2 * similarity(name_key(ref.company), company)
        ranked.append((round(score, 4), lead))
    ranked.sort(key=lambda pair: (-pair[0], str(pair[1].get("name", ""))))
    return ranked


def is_company_match(leads: list[Record], ref: LeadRef) -> bool:
    """Did the words name a company (every lead found works there) rather than a person?"""
    key = name_key(ref.text)
    if not key or len(leads) < 2:
        return False
    return all(key in name_key(str(lead.get("company") or "")) for lead in leads) and not any(
        whole_word(key, name_key(str(lead.get("name", "")))) for lead in leads
    )


# The "one winner or ask" rule, in one place: the best must score at least CONFIDENT and lead
# the next by MARGIN (0..100); "jane" with two Janes is a question, "jane smtih" is not.
CONFIDENT = 85.0
MARGIN = 8.0
FLOOR = 50.0  # below this a candidate is not worth offering at all
_COMPANY_SPLIT = re.compile(r"\s*(?:@|\bat\b|\bfrom\b)\s*(?=[^\d\s])", re.I)


@dataclass(frozen=True)
class Candidate:
    """Someone (or a company) the words might mean; `key` is the caller's id for it."""

    key: str
    name: str
    company: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    score: float  # 0..100
    field: str  # what matched best: "name", "company" or "email"
    confident: bool  # the one winner (`winner`'s rule); False for every other match


def candidates_of(leads: Sequence[Record]) -> list[Candidate]:
    """The CRM's lead records as candidates (`key` is the lead's id)."""
    return [
        Candidate(
            str(lead.get("id", "")),
            str(lead.get("name") or ""),
            str(lead.get("company") or "") or None,
            str(lead.get("email") or "") or None,
        )
        for lead in leads
    ]


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", text.lower()) if w]


@lru_cache(maxsize=65_536)
def _word_score(query: str, word: str) -> float:
    """Cached: a conversation ranks the same names again on every turn."""
    if query == word:
        return 100.0
    if word.startswith(query):
        return 95.0 if len(query) >= 3 else (85.0 if len(query) == 1 else 80.0)
    if len(query) >= 4 and len(word) >= 4:
        slips = DamerauLevenshtein.distance(query, word)
        if slips == 1:
            return 90.0  # one slip of the fingers: "smtih", "jnae", "jane" for "janet"
        if slips == 2 and min(len(query), len(word)) >= 7:
            return 82.0
    return float(fuzz.ratio(query, word)) * 0.8


def _field_score(query: list[str], target: str) -> float:
    """Every query word must be found; a target with words left over scores a little less."""
    words = _words(target)
    if not query or not words:
        return 0.0
    grid = [[_word_score(q, w) for w in words] for q in query]
    per_query = [max(row) for row in grid]
    covered = sum(1 for j in range(len(words)) if any(row[j] >= 80 for row in grid)) / len(words)
    score = 0.9 * (sum(per_query) / len(per_query)) + 10 * covered
    if min(per_query) < 60 or score >= 90:
        return score
    return max(score, 0.9 * fuzz.token_set_ratio(" ".join(query), " ".join(words)))


def _score(person: list[str], company: list[str], c: Candidate) -> tuple[float, str]:
    email = (c.email or "").split("@")[0]
    scores = [
        (_field_score(person, c.name), "name"),
        (0.95 * _field_score(person, c.company or ""), "company"),
        (0.9 * _field_score(person, email), "email"),
    ]
    best, field = max(scores, key=lambda pair: pair[0])
    if company:
        at = _field_score(company, c.company or "")
        best = 0.7 * best + 0.3 * at if at >= 70 else 0.5 * best
    return round(best, 2), field


def best_matches(query: str, candidates: Sequence[Candidate], *, limit: int = 5) -> list[Match]:
    """The candidates `query` may mean, best first; the first is `confident` if it wins alone.

    `query` is a name as typed: "jane smtih", "smith", "jane s", "jane @ acme", "acme".
    """
    parts = _COMPANY_SPLIT.split(query.strip(), maxsplit=1)
    person = _words(parts[0])
    company = _words(parts[1]) if len(parts) > 1 else []
    if not person and company:
        person, company = company, []
    ranked = sorted(
        ((*_score(person, company, c), c) for c in candidates),
        key=lambda row: (-row[0], row[2].name.lower()),
    )
    kept = [Match(c, score, field, False) for score, field, c in ranked if score >= FLOOR]
    matches = kept[:limit]
    top = winner(matches)
    if top is None:
        return matches
    return [Match(top.candidate, top.score, top.field, True), *matches[1:]]


def winner(matches: Sequence[Match]) -> Match | None:
    """The one match to act on without asking, or None: ask the person which one."""
    if not matches or matches[0].score < CONFIDENT:
        return None
    if len(matches) > 1 and matches[0].score - matches[1].score < MARGIN:
        return None
    return matches[0]


# "not parker, the other one", "isn't nathan", "other than jane smith", "instead of the one at
# initech": the person rules someone out. The words after the marker, up to a pause.
_NEGATION = re.compile(
    r"\b(?:not|isn'?t|wasn'?t|other than|except(?: for)?|instead of|rather than)\s+"
    r"(?:(?:the|that|this|one|ones?|guy|lady|person|lead|contact)\s+)*"
    r"(?:(?:at|from|@|in)\s+)?(?P<words>[^,.;:!?()\n]+)",
    re.I,
)
_NEGATION_END = re.compile(
    r"\b(?:but|i|i'?m|im|it'?s|its|the|that|this|he|she|they|her|his|him|rather|instead|"
    r"and|or|meant|mean|want|wanted|pls|please|one|yet|anymore)\b",
    re.I,
)


def negated_names(message: str) -> list[list[str]]:
    """The names the person ruled out in `message`, each as its words ("not jane smith" ->
    [["jane", "smith"]]). Words that cannot be part of a name are left out, so "not sure"
    or "not yet" rule out nobody."""
    from coworker.llm.offline.vocab import COMMON_WORDS

    found: list[list[str]] = []
    for m in _NEGATION.finditer(message):
        words = _NEGATION_END.split(m["words"], maxsplit=1)[0]
        kept = [
            w
            for w in _words(words)[:3]
            if len(w) >= 2 and w not in COMMON_WORDS and not w.isdigit()
        ]
        if kept:
            found.append(kept)
    return found


def is_ruled_out(lead: Record, ruled_out: Sequence[Sequence[str]]) -> bool:
    """Does one of the names the person ruled out (`negated_names`) describe this lead: every
    word of it in the lead's name or company (a typo of one letter forgiven)?"""
    hay = _words(f"{lead.get('name') or ''} {lead.get('company') or ''}")
    return any(
        all(any(_word_score(w, h) >= 90 and len(h) >= len(w) - 1 for h in hay) for w in words)
        for words in ruled_out
        if words
    )


def without_ruled_out(leads: list[Record], message: str) -> list[Record]:
    """`leads` less the ones `message` rules out ("not parker")."""
    ruled_out = negated_names(message)
    if not ruled_out:
        return leads
    return [lead for lead in leads if not is_ruled_out(lead, ruled_out)]


def by_company_and_role(leads: Sequence[Record], words: Sequence[str]) -> list[Record]:
    """ "acme cfo", "the umbrella chris", "vp eng at initech": the leads at the company some of
    the words name whose first name, surname or title the other words give (every one of
    them). Empty when the words are not of that shape."""
    low = [w.lower() for w in words]
    if any(w not in ROLE_NOUNS for w in low):  # "the procurement person": "person" says no more
        low = [w for w in low if w not in ROLE_NOUNS]
    companies = [
        w for w in low if any(whole_word(w, name_key(str(x.get("company") or ""))) for x in leads)
    ]
    rest = [w for w in low if w not in companies]
    if not companies or not rest:
        return []

    def fits(lead: Record) -> bool:
        company = name_key(str(lead.get("company") or ""))
        who = _words(f"{lead.get('name') or ''} {lead.get('title') or ''}")
        return all(whole_word(w, company) for w in companies) and all(
            any(h == w or (len(w) >= 3 and h.startswith(w)) for h in who) for w in rest
        )

    return [lead for lead in leads if fits(lead)]


def words_named(lead: Record, words: Sequence[str], *, like: float = 90.0) -> frozenset[str]:
    """The `words` that are words of the lead's name, as typed or with one slip ("philips");
    with a lower `like`, also the ones that merely look like one ("garza" for Garcia)."""
    name = _words(str(lead.get("name") or ""))
    return frozenset(w for w in words if any(_word_score(w.lower(), n) >= like for n in name))


def by_title(leads: Sequence[Record], text: str) -> list[Record]:
    """ "their procurement manager" among the leads just shown: the ones whose title has every
    word (a word may be shortened: "vp eng"); none when a word names one of them instead."""
    from coworker.llm.offline.vocab import COMMON_WORDS

    said = [w for w in _words(text) if w not in ("the", "their", "our", "his", "her")]
    words = [w for w in said if w not in COMMON_WORDS] or said  # "it": the department
    if not words or any(words_named(lead, words) for lead in leads):
        return []

    def has(lead: Record, w: str) -> bool:
        title = _words(str(lead.get("title") or ""))
        full = _words(" ".join(TITLE_WORDS.get(t, t) for t in title))
        return any(t == w or (len(w) >= 3 and t.startswith(w)) for t in title + full) or (
            w in TITLE_WORDS and all(x in full for x in TITLE_WORDS[w].split())
        )

    return [lead for lead in leads if all(has(lead, w) for w in words)]
