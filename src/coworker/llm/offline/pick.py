"""Picking a task, deal, sequence or mailbox the person named ("the Acme follow-up", "the
Initech deal", "the nurture sequence") from a listing the plan fetched: never an invented id.
When several fit, the plan stops and asks, as for leads (`resolve.py`).
"""

from __future__ import annotations

import re

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.engine import Call, Option, Reply, Stop, many, one
from coworker.llm.offline.lead_search import Gen, Record
from coworker.llm.offline.listed import deals_pointed, sized, tasks_fitting
from coworker.llm.offline.names import (
    is_company_match,
    name_key,
    narrow,
    relevant,
)
from coworker.llm.offline.resolve import (
    MAX_OPTIONS,
    Ctx,
    ask_text,
    choose,
    ref_from_answer,
)
from coworker.llm.offline.slots import LeadRef, without_possessive
from coworker.llm.offline.text import similarity, token_similarity
from coworker.llm.offline.vocab import COMMON_WORDS

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
    # "my callback task", "the call-him-back one": a task titled "Call X back …"
    text = re.sub(r"\bcall-?back\b", "call back", text, flags=re.I)
    return [
        w
        for w in re.findall(r"[a-z0-9]+", text.lower())
        if w
        not in ("the", "a", "an", "my", "to", "with", "and", "of", "on", "for", "in", "at", "task")
    ]


_IT = re.compile(r"(?:it|that|this|that one|this one|that task|the task|this task)", re.I)


# "the old pricing fu on her", "his demo prep task": the lead spoken of, by name
_HERS = re.compile(r"\b(?P<on>on|for|with|w/?|to|about|re)\s+(?:her|him|them)\b", re.I)


def find_task(ctx: Ctx, phrase: str | None, *, purpose: str, key: str = "task") -> Gen:
    """One open task the words describe ("the Acme follow-up"), or stop and ask (`key`: the
    question's, one per task when a request names several)."""
    if phrase and _IT.fullmatch(phrase.strip()) and ctx.memory.task is not None:
        phrase = None  # "make it due tmrw": the task just made or shown
    spoken_of = ctx.memory.lead_name(str((ctx.memory.lead or {}).get("id") or ""))
    if phrase and spoken_of:  # "the pricing fu on her": on Olivia Garcia
        phrase = _HERS.sub(lambda m: f"{m['on']} {spoken_of}", phrase)
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
    pointed = _listed_task(ctx, phrase, tasks, leads, purpose)
    if pointed is not None:
        return pointed
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
    fitting = tasks_fitting(tasks, phrase, leads)
    if len(fitting) == 1 and (not scored or scored[0][0] < 0.5):
        return fitting[0]  # "the dup leads cleanup": every word in one title, shortened
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
    if len(fitting) == 1 and fitting[0] in close:
        return fitting[0]
    options = [
        Option(str(t["id"]), replies.task_label(t, ctx.clock), t) for t in close[:MAX_OPTIONS]
    ]
    text = f"Several open tasks match “{phrase}”. Which one {purpose}?\n\n" + replies.numbered(
        [o.label for o in options]
    )
    return choose(ctx, key, text, options)


def _listed_task(
    ctx: Ctx, phrase: str, tasks: list[Record], leads: dict[str, Record], purpose: str
) -> Record | None:
    """ "the jane one is done" after "what's due today": the open task of that list the words
    fit; asked among them when several do. None when none does (all open tasks are scored)."""
    still_open = {str(t.get("id")) for t in tasks}
    shown = [t for t in ctx.memory.listed.tasks if str(t.get("id")) in still_open]
    fitting = tasks_fitting(shown, phrase, leads)
    if len(fitting) == 1:
        return next(t for t in tasks if t.get("id") == fitting[0].get("id"))
    if not fitting:
        return None
    options = [
        Option(str(t["id"]), replies.task_label(t, ctx.clock), t) for t in fitting[:MAX_OPTIONS]
    ]
    text = f"{len(fitting)} of the tasks I just showed fit “{phrase}”. Which one {purpose}?\n\n"
    return choose(ctx, "task", text + replies.numbered([o.label for o in options]), options)


# --------------------------------------------------------------------------- deals


def find_deal(
    ctx: Ctx,
    ref: LeadRef,
    *,
    purpose: str,
    prefer_open: bool = True,
    target_stage: str | None = None,
    besides: str | None = None,
) -> Gen:
    """One deal for "the Initech deal", "Jane's deal" or "it"; or stop and ask. `besides`: a
    deal the person ruled out ("the other brightline one": not the one just changed)."""
    memory = ctx.memory
    pointed = _listed_deal(ctx, ref, purpose)
    if pointed is not None:
        return pointed
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
        ref = ref_from_answer(text)
    found: Result = yield from one("search_leads", search=ref.text)
    candidates = relevant(found.items("leads"), ref)
    plain = None if candidates else without_possessive(ref.text)
    if plain:  # "olivias deal": a possessive typed without its apostrophe
        ref = LeadRef(plain, company=ref.company)
        found = yield from one("search_leads", search=plain)
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
    matching = [deal for deal in matching if besides is None or str(deal.get("id")) != besides]
    if not matching:
        who = replies.lead_label(leads[0]) if len(leads) == 1 else ref.describe()
        raise Stop(
            Reply(f"There's no deal for {who}. Say “new deal for {ref.describe()}” to open one.")
        )
    owners = (
        {str(lead["id"]): str(lead.get("name") or "") for lead in leads} if len(leads) > 1 else {}
    )
    return _pick_deal(ctx, matching, prefer_open, purpose, ref.describe(), target_stage, owners)


def _listed_deal(ctx: Ctx, ref: LeadRef, purpose: str) -> Record | None:
    """ "the second one", "the sms credits one", "the bigger one" after a list of deals: a
    deal of that list (`listed.deals_pointed`), asked among them when several fit; None when
    `ref` points at no deal the last list showed (then the CRM is searched as usual)."""
    shown = ctx.memory.listed.deals
    if not shown or ref.pronoun:
        return None
    if ref.ordinal is not None:
        index = ref.ordinal - 1 if ref.ordinal > 0 else len(shown) - 1
        return shown[index] if 0 <= index < len(shown) else None
    if not (ref.listed or (ref.text and sized(ref.text))):
        return None
    fitting = deals_pointed(shown, ref.text, ctx.memory.leads)
    if len(fitting) <= 1:
        return fitting[0] if fitting else None
    options = [Option(str(d["id"]), replies.deal_label(d), d) for d in fitting[:MAX_OPTIONS]]
    text = f"{len(fitting)} of the deals I just showed fit “{ref.text}”. Which one {purpose}?\n\n"
    return choose(ctx, "deal", text + replies.numbered([o.label for o in options]), options)


def _pick_deal(
    ctx: Ctx,
    deals: list[Record],
    prefer_open: bool,
    purpose: str,
    who: str,
    target_stage: str | None = None,
    owners: dict[str, str] | None = None,
) -> Record:
    """`owners`: lead names by id, when the deals are of several leads ("olivia's deal")."""
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

    def label(deal: Record) -> str:
        owner = (owners or {}).get(str(deal.get("lead_id") or ""))
        return replies.deal_label(deal) + (f" — {owner}" if owner else "")

    options = [Option(str(d["id"]), label(d), d) for d in deals[:MAX_OPTIONS]]
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
