"""Finding the leads a name may mean, the way a person would search the CRM.

The words as given first, then each word alone (for typos and descriptions such as "the acme
cfo"), then a scan of the newest leads ranked by similarity. It only gathers candidates;
choosing one of them, or asking which, is `resolve.find_lead`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.engine import Batch, Call, Reply, Stop, many, one
from coworker.llm.offline.names import (
    by_company_and_role,
    name_key,
    narrow,
    rank,
    relevant,
    words_named,
)
from coworker.llm.offline.slots import LeadRef, digits, phone_search_forms, without_possessive
from coworker.llm.offline.text import token_similarity
from coworker.llm.offline.vocab import COMMON_WORDS

Record = dict[str, Any]
Gen = Generator[Batch, list[Result], Any]

SCAN_PAGE = 20  # leads per page: a page must fit the compacted result's size cap
SCAN_PAGES = 15


def search_terms(ref: LeadRef) -> list[str]:
    if ref.is_phone:
        return phone_search_forms(ref.text)
    return [ref.text]


def lead_words(text: str) -> list[str]:
    return [
        w
        for w in re.findall(r"[A-Za-z0-9@.+'-]+", text)
        if len(w) >= 3 and w.lower() not in COMMON_WORDS
    ]


# A name, then a pause and words about it: "chris, dupe", "maya - dupe entry".
_AFTERTHOUGHT = re.compile(r"\s*(?:[,;]|\s-+\s|\s[–—]\s)\s*")


def search_leads(ref: LeadRef) -> Gen:
    """Search the way a person would: the words as given, then each word, then a scan.

    Returns (leads, how): how is "search", "words" or "scan"; leads are the candidates.
    """
    terms = search_terms(ref)
    result: Result = yield from one("search_leads", search=terms[0])
    leads = result.items("leads")
    if result.is_error:
        raise Stop(Reply(replies.failure(result)))
    leads = relevant(leads, ref)
    for term in terms[1:]:
        if leads:
            break
        result = yield from one("search_leads", search=term)
        leads = result.items("leads")
        if ref.is_phone:
            wanted = digits(ref.text)[-7:]
            leads = [lead for lead in leads if digits(str(lead.get("phone", ""))).endswith(wanted)]
    plain = None if leads or ref.is_email or ref.is_phone else without_possessive(ref.text)
    if plain:  # "janes #", "toms title": a possessive typed without its apostrophe
        result = yield from one("search_leads", search=plain)
        leads = narrow(relevant(result.items("leads"), LeadRef(plain)), LeadRef(plain))
    if leads or ref.is_email or ref.is_phone:
        return leads, "search"
    head = _AFTERTHOUGHT.split(ref.text, maxsplit=1)[0]
    if head != ref.text and not ref.company:  # "chris, dupe", "maya - dupe entry"
        result = yield from one("search_leads", search=head)
        leads = narrow(relevant(result.items("leads"), LeadRef(head)), LeadRef(head))
        if leads:
            return leads, "search"
    if ref.company:
        both = yield from one("search_leads", search=ref.company)
        found = [
            lead
            for lead in both.items("leads")
            if token_similarity(ref.text, str(lead.get("name", ""))) >= 0.7
        ]
        if found:  # "tom beker at acme": a likeness, as below
            return found, "words"
        at = lead_words(ref.company)
        described = by_company_and_role(both.items("leads"), [*lead_words(ref.text), *at])
        if described:  # "the procurement person at acme": the title, at that company
            return described, "search"
    words = lead_words(ref.text)
    if len(words) > 1:
        results = yield from many([Call("search_leads", {"search": w}) for w in words[:4]])
        seen: dict[str, Record] = {}
        for r in results:
            for lead in r.items("leads"):
                seen.setdefault(str(lead["id"]), lead)
        described = by_company_and_role(list(seen.values()), words)
        if described:  # "the acme cfo", "the umbrella chris"
            return described, "search"
        ranked = [(s, lead) for s, lead in rank(list(seen.values()), ref) if s >= 0.72]
        spelt = as_spelt([lead for _, lead in ranked], list(seen.values()), ref)
        if spelt is not None:
            return spelt, "words"
        if ranked:
            found = [lead for _, lead in ranked]
            same = name_hits(found[0], ref)  # "chris, dupe": every Chris, not one
            found += [
                lead
                for lead in seen.values()
                if same and lead not in found and name_hits(lead, ref) == same
            ]
            return found, "words"
    # Typos in every word: scan the newest leads and rank them by similarity.
    first = yield from one("search_leads", limit=SCAN_PAGE, page=1)
    scanned: list[Record] = first.items("leads")
    total = int((first.data or {}).get("total") or 0)
    pages = min(SCAN_PAGES, -(-total // SCAN_PAGE))
    if pages > 1:
        rest = yield from many(
            [
                Call("search_leads", {"limit": SCAN_PAGE, "page": page})
                for page in range(2, pages + 1)
            ]
        )
        for r in rest:
            scanned.extend(r.items("leads"))
    ranked = [(s, lead) for s, lead in rank(scanned, ref) if s >= 0.6]
    found = [lead for _, lead in ranked]
    return as_spelt(found, scanned, ref) or found, "scan"


def as_spelt(found: list[Record], pool: list[Record], ref: LeadRef) -> list[Record] | None:
    """The leads with a name word the person typed exactly, when the likeliest of `found`
    has none: a name spelt out is never taken for a likeness ("rang dana back" may mean Dana
    Whitfield, never Daniel Jackson). Those with the most such words; None to keep `found`.
    The caller still asks before acting on one found this way."""
    words = [name_key(w) for w in lead_words(ref.text.lower())]
    if not words or (found and words_named(found[0], words, like=100.0)):
        return None
    hits = [(len(words_named(lead, words, like=100.0)), lead) for lead in pool]
    most = max((n for n, _ in hits), default=0)
    return [lead for n, lead in hits if n == most] if most else None


def name_hits(lead: Record, ref: LeadRef) -> frozenset[str]:
    """The words of `ref` that are whole words of the lead's name."""
    # 56: a word about as alike as "garza" and "garcia" (a misspelt surname) still counts,
    # so Olivia Garcia stays the one likely lead; "dupe" is like no one's name.
    return words_named(lead, [name_key(w) for w in lead_words(ref.text.lower())], like=56.0)
