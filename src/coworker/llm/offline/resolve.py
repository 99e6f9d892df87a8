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
    name_key,
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


def find_lead(ctx: Ctx, ref: LeadRef, *, key: str = "lead", purpose: str = "") -> Gen:
    """One lead for `ref`, or stop and ask. `purpose` completes "Which lead ... ?"."""
    memory = ctx.memory
    if ref.pronoun:
        if memory.lead is not None:
            return memory.lead
        text = ask_text(ctx, key + ":name", "Which lead do you mean? Tell me their name.")
        ref = _ref_from_answer(text)
    if ref.ordinal is not None:
        shown = memory.shown
        index = ref.ordinal - 1 if ref.ordinal > 0 else len(shown) - 1
        if shown and 0 <= index < len(shown):
            return shown[index]
        text = ask_text(ctx, key + ":name", "Which lead do you mean? Tell me their name.")
        ref = _ref_from_answer(text)
    if ref.empty:
        text = ask_text(
            ctx,
            key + ":name",
            f"Which lead{(' ' + purpose) if purpose else ''}? Tell me their name.",
        )
        ref = _ref_from_answer(text)
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


def _ref_from_answer(text: str) -> LeadRef:
    from coworker.llm.offline.slots import lead_ref

    return lead_ref(
        re.sub(r"^(?:i mean|it'?s|its|the lead is|lead:?|for)\s+", "", text.strip(), flags=re.I)
    )


# --------------------------------------------------------------------------- tasks

_TASK_STOP = frozenset(
    """
the a an my to with about for of and on in at task tasks todo reminder up follow call send
email prepare proposal pricing demo meeting check confirm review book share intro case study
after trial terms contract back it that this one done finished
""".split()
)


def task_names(phrase: str) -> list[str]:
    """The words of a task description that name a lead or company ("the Acme follow-up")."""
    from coworker.llm.offline.vocab import TASK_WORDS

    words = re.findall(r"[A-Za-z0-9@.+'-]+", phrase)
    mixed = phrase != phrase.lower()
    out = []
    for word in words:
        low = word.lower().strip("'")
        if len(low) < 3 or low in COMMON_WORDS or low in TASK_WORDS or low in _TASK_STOP:
            continue
        if mixed and not word[:1].isupper():
            continue
        out.append(word.strip("'"))
    return out


def _task_words(text: str) -> list[str]:
    return [
        w
        for w in re.findall(r"[a-z0-9]+", text.lower())
        if w
        not in ("the", "a", "an", "my", "to", "with", "and", "of", "on", "for", "in", "at", "task")
    ]


def find_task(ctx: Ctx, phrase: str | None, *, purpose: str) -> Gen:
    """One open task the words describe ("the Acme follow-up"), or stop and ask."""
    if not phrase:
        if ctx.memory.task is not None:
            return ctx.memory.task
        phrase = ask_text(
            ctx, "task:phrase", f"Which task {purpose}? Tell me a few words of its title."
        )
    names = task_names(phrase)
    calls = [Call("list_tasks", {"completed": False, "limit": 100})]
    if names:
        calls.append(Call("search_leads", {"search": " ".join(names)}))
    results = yield from many(calls)
    tasks = results[0].items("tasks")
    if results[0].is_error:
        raise Stop(Reply(replies.failure(results[0])))
    leads: dict[str, Record] = dict(ctx.memory.leads)
    if len(results) > 1:
        for lead in results[1].items("leads"):
            leads[str(lead["id"])] = lead
    if not tasks:
        raise Stop(Reply("You have no open tasks, so there's nothing to match “" + phrase + "”."))
    wanted = _task_words(phrase)
    scored: list[tuple[float, Record]] = []
    for task in tasks:
        lead = leads.get(str(task.get("lead_id") or ""), {})
        hay = " ".join(
            [
                str(task.get("title", "")),
                str(lead.get("name") or ""),
                str(lead.get("company") or ""),
            ]
        )
        hay_words = re.findall(r"[a-z0-9]+", hay.lower())
        if not wanted:
            continue
        total = 0.0
        for w in wanted:
            if w in hay_words:
                total += 1
            else:
                best = max((similarity(w, h, 0.8) for h in hay_words), default=0.0)
                total += best if best >= 0.8 else 0.0
        score = total / len(wanted)
        if names and lead and any(n.lower() in hay.lower() for n in names):
            score += 0.05
        scored.append((round(score, 4), task))
    scored.sort(
        key=lambda pair: (-pair[0], str(pair[1].get("due_date") or "9"), str(pair[1].get("title")))
    )
    if not scored or scored[0][0] < 0.5:
        raise Stop(
            Reply(
                f"I couldn't find an open task matching “{phrase}”. "
                "Say “show my open tasks” to see them all."
            )
        )
    best = scored[0][0]
    close = [task for score, task in scored if score >= best - 0.01]
    if len(close) == 1:
        return close[0]
    options = [
        Option(str(t["id"]), replies.task_label(t, ctx.clock), t) for t in close[:MAX_OPTIONS]
    ]
    text = f"Several open tasks match “{phrase}”. Which one {purpose}?\n\n" + replies.numbered(
        [o.label for o in options]
    )
    return choose(ctx, "task", text, options)


# --------------------------------------------------------------------------- deals


def find_deal(
    ctx: Ctx,
    ref: LeadRef,
    *,
    purpose: str,
    prefer_open: bool = True,
    target_stage: str | None = None,
) -> Gen:
    """One deal for "the Initech deal", "Jane's deal" or "it"; or stop and ask."""
    memory = ctx.memory
    if ref.pronoun or ref.empty:
        if memory.deal is not None:
            return memory.deal
        if memory.lead is not None and ref.pronoun:
            result = yield from one("list_opportunities", lead_id=memory.lead["id"])
            deals = result.items("opportunities")
            return _pick_deal(
                ctx, deals, prefer_open, purpose, replies.lead_short(memory.lead), target_stage
            )
        text = ask_text(ctx, "deal:name", f"Which deal {purpose}? Tell me the company or the lead.")
        ref = _ref_from_answer(text)
    found: Result = yield from one("search_leads", search=ref.text)
    candidates = relevant(found.items("leads"), ref)
    leads = candidates if is_company_match(candidates, ref) else narrow(candidates, ref)
    if not leads:
        raise Stop(
            Reply(
                f"I couldn't find a lead or deal for “{ref.describe()}”. "
                "Say “show my deals” to see them."
            )
        )
    lists = yield from many(
        [Call("list_opportunities", {"lead_id": str(lead["id"])}) for lead in leads[:MAX_OPTIONS]]
    )
    matching = [deal for r in lists for deal in r.items("opportunities")]
    if not matching:
        who = replies.lead_label(leads[0]) if len(leads) == 1 else ref.describe()
        raise Stop(
            Reply(f"There's no deal for {who}. Say “new deal for {ref.describe()}” to open one.")
        )
    return _pick_deal(ctx, matching, prefer_open, purpose, ref.describe(), target_stage)


def _pick_deal(
    ctx: Ctx,
    deals: list[Record],
    prefer_open: bool,
    purpose: str,
    who: str,
    target_stage: str | None = None,
) -> Record:
    from coworker.llm.offline.vocab import OPEN_STAGES

    if not deals:
        raise Stop(Reply(f"{who} has no deals. Say “new deal for {who}” to open one."))
    if prefer_open:
        open_deals = [d for d in deals if d.get("stage") in OPEN_STAGES]
        deals = open_deals or deals
    if target_stage:
        # "move X to negotiation": a deal already there is not the one meant
        elsewhere = [d for d in deals if d.get("stage") != target_stage]
        deals = elsewhere or deals
    if len(deals) == 1:
        return deals[0]
    options = [Option(str(d["id"]), replies.deal_label(d), d) for d in deals[:MAX_OPTIONS]]
    text = f"There are {len(deals)} deals for {who}. Which one {purpose}?\n\n" + replies.numbered(
        [o.label for o in options]
    )
    return choose(ctx, "deal", text, options)


# --------------------------------------------------------------------------- sequences, mailboxes


def find_sequence(ctx: Ctx, query: str, sequences: list[Record]) -> Record:
    """The sequence `query` names, from a list_sequences result; or ask."""
    if not sequences:
        raise Stop(Reply("There are no sequences in your CRM yet."))
    options = [Option(str(s["id"]), replies.sequence_label(s), s) for s in sequences]
    if query:
        key = name_key(query).replace("-", " ")
        scored = []
        for s in sequences:
            name = name_key(str(s.get("name", ""))).replace("-", " ")
            score = max(token_similarity(key, name), similarity(key, name))
            if key and key in name:
                score = max(score, 0.95)
            scored.append((score, s))
        scored.sort(key=lambda pair: -pair[0])
        best = scored[0][0]
        if best >= 0.6 and (len(scored) == 1 or scored[1][0] < best - 0.05):
            return scored[0][1]
        text = f"Which sequence do you mean by “{query}”?\n\n"
    else:
        text = "Which sequence?\n\n"
    return choose(ctx, "sequence", text + replies.numbered([o.label for o in options]), options)


def pick_mailbox(accounts: list[Record], wanted: str) -> Record | None:
    wanted = wanted.lower()
    for account in accounts:
        email = str(account.get("email", "")).lower()
        if wanted == email or (wanted in email and "@" not in wanted):
            return account
    if wanted in ("default", "main", "primary", "work", "usual", "normal"):
        return next((a for a in accounts if a.get("is_default")), None)
    if wanted in ("other", "second", "secondary", "alias", "shared"):
        return next((a for a in accounts if not a.get("is_default")), None)
    ranked = sorted(accounts, key=lambda a: -similarity(wanted, str(a.get("email", ""))))
    if ranked and similarity(wanted, str(ranked[0].get("email", ""))) >= 0.6:
        return ranked[0]
    return None
