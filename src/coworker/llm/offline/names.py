"""Which leads a person's words point at: whole words, exact names, companies, similarity.

The CRM's search matches any substring of a name, email, company or phone, so "dana" also
finds everyone at greenfielDANAlytics.example. These helpers keep the leads the words were
meant for, tell a company ("Acme") from a person ("Jane"), and rank near-misses for typos.
"""

from __future__ import annotations

import re
from typing import Any

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
