"""Turning "Jane", "the Acme follow-up" or "the Initech deal" into one record seen in a result.

Ids are never invented: a lead is found with search_leads (then, for typos, by each word of
the name, then by scanning the newest leads and ranking them by similarity); a task, deal or
sequence is picked from a listing. When several fit, the plan stops and asks, listing them;
the person's answer ("the one at Initech", "Chris Parker", "2") is matched against the same
options when the plan is replayed, at exactly the point where it asked.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Clock, Result
from coworker.llm.offline.engine import Batch, Call, Option, Question, Reply, Stop, many, one
from coworker.llm.offline.intents import Intent
from coworker.llm.offline.memory import Memory
from coworker.llm.offline.names import (
    is_company_match,
    narrow,
    rank,
    relevant,
)
from coworker.llm.offline.slots import LeadRef, digits, phone_search_forms
from coworker.llm.offline.text import Utterance, similarity, token_similarity
from coworker.llm.offline.vocab import COMMON_WORDS, NUMBER_WORDS

Answer = Option | str
Record = dict[str, Any]
Gen = Generator[Batch, list[Result], Any]

MAX_OPTIONS = 8
SCAN_PAGE = 20  # leads per page: a page must fit the compacted result's size cap
SCAN_PAGES = 15


@dataclass
class Ctx:
    """Everything a plan may read: the request, the clock, earlier context, the answers."""

    intent: Intent
    utterance: Utterance
    clock: Clock
    memory: Memory
    answers: dict[str, Answer] = field(default_factory=dict)


def ask(ctx: Ctx, text: str, question: Question) -> Answer:
    """The answer to `question` if the person gave it, else stop the turn and ask."""
    answer = ctx.answers.get(question.key)
    if answer is not None:
        return answer
    raise Stop(Reply(text, question, status="asked"))


def ask_text(ctx: Ctx, key: str, text: str) -> str:
    answer = ask(ctx, text, Question(key, "text"))
    return answer if isinstance(answer, str) else answer.label


def choose(ctx: Ctx, key: str, text: str, options: list[Option]) -> Record:
    answer = ask(ctx, text, Question(key, "choice", tuple(options[:MAX_OPTIONS])))
    if isinstance(answer, Option):
        return answer.record or {"id": answer.id}
    raise Stop(Reply(text, Question(key, "choice", tuple(options[:MAX_OPTIONS])), status="asked"))


# --------------------------------------------------------------------------- answers

_ORDINAL = re.compile(
    r"\b(?:(?P<word>first|second|third|fourth|fifth|sixth|seventh|eighth|1st|2nd|3rd|4th|5th|"
    r"6th|7th|8th|last|latter|former|top|bottom|one|two|three|four|five|six|seven|eight)\b|"
    r"(?:^|#|\bnumber\s*|\bno\.?\s*|\boption\s*)(?P<num>[1-9])\b)",
    re.I,
)
_YES = re.compile(
    r"^(?:yes|yeah|yep|yup|sure|correct|right|that'?s (?:her|him|them|it|the one|right|"
    r"correct)|exactly|y|ok|okay|that one|go ahead|please do|do it|indeed|affirmative|"
    r"uh huh|yes please)\b",
    re.I,
)
_ORDINAL_VALUES = {**NUMBER_WORDS, "last": -1, "latter": -1, "bottom": -1, "former": 1, "top": 1}


def match_answer(question: Question, message: str) -> Answer | None:
    """The option (or text) a reply to `question` gives, or None if it is not an answer."""
    text = message.strip()
    if not text:
        return None
    if question.kind == "text":
        return text
    options = list(question.options)
    low = text.lower().strip(" .!?")
    if len(options) == 1 and _YES.match(low):
        return options[0]
    scored: list[tuple[float, int]] = []
    words = [w for w in re.findall(r"[\w@.+-]+", low) if w not in COMMON_WORDS or w.isdigit()]
    for i, option in enumerate(options):
        record = option.record
        fields = [str(record.get(k) or "") for k in ("name", "company", "title", "email", "phone")]
        fields.append(option.label)
        hay = " ".join(fields).lower()
        if low == str(record.get("name", "")).lower():
            return option
        if not words:
            continue
        hits = 0.0
        hay_words = re.findall(r"[\w@.+-]+", hay)
        for w in words:
            if w in ("one", "the", "at", "from"):
                continue
            if len(w) < 2:
                # an initial: "Chris P"
                hits += 0.5 if any(h.startswith(w) for h in hay_words[1:]) else 0.0
                continue
            if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", hay):
                hits += 1
            elif len(w) >= 4 and any(similarity(w, h, 0.8) >= 0.8 for h in hay_words):
                hits += 0.8
            elif len(w) >= 3 and any(h.startswith(w) for h in hay_words):
                hits += 0.6
        if hits:
            scored.append((hits, i))
    if scored:
        scored.sort(reverse=True)
        if len(scored) == 1 or scored[0][0] > scored[1][0]:
            return options[scored[0][1]]
    m = _ORDINAL.search(low)
    if m and len(low.split()) <= 6:
        value = int(m["num"]) if m["num"] else _ORDINAL_VALUES.get(m["word"].lower(), 0)
        if value == -1:
            return options[-1]
        if 1 <= value <= len(options):
            return options[value - 1]
    return None


# --------------------------------------------------------------------------- leads


def lead_option(lead: Record) -> Option:
    return Option(str(lead["id"]), replies.lead_label(lead), lead)


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
    if leads or ref.is_email or ref.is_phone:
        return leads, "search"
    if ref.company:
        both = yield from one("search_leads", search=ref.company)
        found = [
            lead
            for lead in both.items("leads")
            if token_similarity(ref.text, str(lead.get("name", ""))) >= 0.7
        ]
        if found:
            return found, "search"
    words = lead_words(ref.text)
    if len(words) > 1:
        results = yield from many([Call("search_leads", {"search": w}) for w in words[:4]])
        seen: dict[str, Record] = {}
        for r in results:
            for lead in r.items("leads"):
                seen.setdefault(str(lead["id"]), lead)
        ranked = [(s, lead) for s, lead in rank(list(seen.values()), ref) if s >= 0.72]
        if ranked:
            return [lead for _, lead in ranked], "words"
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
    return [lead for _, lead in ranked], "scan"


def _the_recent_one(memory: Memory, leads: list[Record], ref: LeadRef) -> Record | None:
    """ "put schmidt back" right after Maya Schmidt was changed: the lead just talked about,
    when the words (a surname alone, not a company) fit it and it was the last one."""
    last = memory.lead
    if last is None or is_company_match(leads, ref):
        return None
    return next((lead for lead in leads if lead.get("id") == last.get("id")), None)


def find_lead(ctx: Ctx, ref: LeadRef, *, key: str = "lead", purpose: str = "") -> Gen:
    """One lead for `ref`, or stop and ask. `purpose` completes "Which lead ... ?"."""
    memory = ctx.memory
    if ref.pronoun:
        if memory.lead is not None:
            return memory.lead
        text = ask_text(ctx, key + ":name", "Which lead do you mean? Tell me their name.")
        ref = ref_from_answer(text)
    if ref.ordinal is not None:
        shown = memory.shown
        index = ref.ordinal - 1 if ref.ordinal > 0 else len(shown) - 1
        if shown and 0 <= index < len(shown):
            return shown[index]
        text = ask_text(ctx, key + ":name", "Which lead do you mean? Tell me their name.")
        ref = ref_from_answer(text)
    if ref.empty:
        text = ask_text(
            ctx,
            key + ":name",
            f"Which lead{(' ' + purpose) if purpose else ''}? Tell me their name.",
        )
        ref = ref_from_answer(text)
        if ref.empty or ref.pronoun:
            raise Stop(
                Reply("I still don't know which lead you mean. Tell me their name or company.")
            )
    leads, how = yield from search_leads(ref)
    if not leads:
        raise Stop(Reply(replies.no_lead(ref)))
    if how == "search":
        leads = narrow(leads, ref)
        if len(leads) == 1:
            return leads[0]
        recent = _the_recent_one(memory, leads, ref)
        if recent is not None:
            return recent
    else:
        ranked = rank(leads, ref)
        best = ranked[0][0]
        close = [lead for score, lead in ranked if score >= best - 0.06]
        if len(close) == 1 and best >= 0.78:
            return close[0]
        if len(close) == 1:
            options = [lead_option(close[0])]
            return choose(
                ctx,
                key,
                f"I couldn't find “{ref.describe()}”. Did you mean "
                f"**{replies.lead_label(close[0])}**?",
                options,
            )
        leads = close
    options = [lead_option(lead) for lead in leads[:MAX_OPTIONS]]
    more = len(leads) - len(options)
    company = is_company_match(leads, ref)
    lead_in = (
        f"There are {len(leads)} leads at {leads[0].get('company')}."
        if company
        else f"I found {len(leads)} leads matching “{ref.describe()}”."
    )
    text = (
        lead_in
        + f" Which one{(' ' + purpose) if purpose else ''}?\n\n"
        + replies.numbered([o.label for o in options])
    )
    if more > 0:
        text += f"\n\n(and {more} more; tell me the full name if it's not one of these)"
    return choose(ctx, key, text, options)


def ref_from_answer(text: str) -> LeadRef:
    from coworker.llm.offline.slots import lead_ref

    return lead_ref(
        re.sub(r"^(?:i mean|it'?s|its|the lead is|lead:?|for)\s+", "", text.strip(), flags=re.I)
    )
