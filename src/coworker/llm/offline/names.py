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
