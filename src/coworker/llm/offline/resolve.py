"""Turning "Jane", "the Acme follow-up" or "the Initech deal" into one record seen in a result.

Ids are never invented: a lead is found with search_leads (`lead_search`: the words, then
each word, then a scan of the newest leads); a task, deal or sequence is picked from a
listing (`pick`). When several fit, the plan stops and asks, listing them;
the person's answer ("the one at Initech", "Chris Parker", "2") is matched against the same
options (`answers`) when the plan is replayed, at exactly the point where it asked.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import dataclass, field

from coworker.llm.offline import replies, vocab
from coworker.llm.offline.answers import Answer
from coworker.llm.offline.conversation import Clock, Result
from coworker.llm.offline.engine import Batch, Option, Question, Reply, Stop, one
from coworker.llm.offline.intents import Intent
from coworker.llm.offline.lead_search import Gen, Record, name_hits, search_leads
from coworker.llm.offline.memory import Memory
from coworker.llm.offline.names import (
    by_title,
    is_company_match,
    is_ruled_out,
    narrow,
    negated_names,
    rank,
    said_as_word,
    without_ruled_out,
)
from coworker.llm.offline.slots import LeadRef
from coworker.llm.offline.text import Utterance

MAX_OPTIONS = 8


@dataclass
class Ctx:
    """Everything a plan may read: the request, the clock, earlier context, the answers."""

    intent: Intent
    utterance: Utterance
    clock: Clock
    memory: Memory
    answers: dict[str, Answer] = field(default_factory=dict)
    # The person's whole message when it held several requests: "not jane" in one part rules
    # Jane out of the next ("actually not jane, her colleague. mark that one contacted").
    message: str = ""

    @property
    def whole(self) -> str:
        said = self.message or self.utterance.raw
        content = self.intent.slots.get("content") if self.intent.kind == "add_note" else None
        at = said.find(content) if isinstance(content, str) and len(content) > 8 else -1
        if at > 0 and re.search(r"[:\"'\u201c]\s*$", said[:at]):
            return said[:at]  # a note's dictated words are data: their "not Jane" rules out no one
        return said


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


# --------------------------------------------------------------------------- leads


def lead_option(lead: Record) -> Option:
    return Option(str(lead["id"]), replies.lead_label(lead), lead)


def _the_recent_one(memory: Memory, leads: list[Record], ref: LeadRef) -> Record | None:
    """ "put schmidt back" right after Maya Schmidt was changed: the lead just talked about,
    when the words (a surname alone, not a company) fit it and it was the last one."""
    last = memory.lead
    if last is None or is_company_match(leads, ref):
        return None
    return next((lead for lead in leads if lead.get("id") == last.get("id")), None)


_COLLEAGUE = re.compile(
    r"\b(?:colleague|coworker|co-worker|teammate|counterpart|"
    r"the (?:other )?(?:one|person|guy|lady))"
    r"\s+(?:in|from|on|who runs|who does|that does|that runs)\s+(?:the\s+)?"
    r"(?P<what>[a-z][\w&/ -]{1,30}?)"
    r"(?:\s+(?:team|dept|department|side))?(?=\s*(?:[,.;:!?]|$|\s+(?:mark|set|make|move|put)\b))",
    re.I,
)


def _colleague(ctx: Ctx, ruled: Record, key: str) -> Gen:
    """The lead "her colleague in ops" describes: at the company of the lead ruled out, with
    the title the words give. Asked about, never acted on at once: it was described, not named.
    None when the words describe no one (or no one the CRM can tell)."""
    m = _COLLEAGUE.search(ctx.whole)
    company = str(ruled.get("company") or "")
    if not m or not company:
        return None
    result = yield from one("search_leads", search=company)
    same = [
        lead
        for lead in without_ruled_out(result.items("leads"), ctx.whole)
        if lead.get("company") == company and lead.get("id") != ruled.get("id")
    ]
    fits = by_title(same, m["what"])
    if not fits:
        return None
    who = replies.lead_short(ruled)
    text = (
        f"Not {who} — do you mean **{replies.lead_label(fits[0])}**?"
        if len(fits) == 1
        else f"Not {who} — which of these do you mean?\n\n"
        + replies.numbered([replies.lead_label(lead) for lead in fits[:MAX_OPTIONS]])
    )
    return choose(ctx, key, text, [lead_option(lead) for lead in fits])


def _which(lead: Record | None, ruled_out: list[list[str]]) -> str:
    """Ask for the lead by name, saying who was ruled out when someone was."""
    if ruled_out:
        who = replies.lead_short(lead) if lead is not None else " ".join(ruled_out[0]).title()
        return f"Not {who} — which lead do you mean? Tell me their name."
    return "Which lead do you mean? Tell me their name."


def my_user_id() -> Generator[Batch, list[Result], str | None]:
    """The person's CRM user id: tasks are personal, so their owner is the person."""
    result: Result = yield from one("list_tasks", limit=1)
    return next((str(t["owner_id"]) for t in result.items("tasks") if t.get("owner_id")), None)


def find_lead(ctx: Ctx, ref: LeadRef, *, key: str = "lead", purpose: str = "") -> Gen:
    """One lead for `ref`, or stop and ask. `purpose` completes "Which lead ... ?"."""
    memory = ctx.memory
    ruled_out = negated_names(ctx.whole)
    if ref.pronoun:
        if memory.lead is not None and not is_ruled_out(memory.lead, ruled_out):
            return memory.lead
        if memory.lead is not None:  # "not jane, her colleague in ops": who the CRM says
            colleague = yield from _colleague(ctx, memory.lead, key)
            if colleague is not None:
                return colleague
        text = ask_text(ctx, key + ":name", _which(memory.lead, ruled_out))
        ref = ref_from_answer(text)
    if ref.ordinal is not None:
        shown = memory.shown
        index = ref.ordinal - 1 if ref.ordinal > 0 else len(shown) - 1
        if shown and 0 <= index < len(shown) and not is_ruled_out(shown[index], ruled_out):
            return shown[index]
        text = ask_text(ctx, key + ":name", _which(None, ruled_out))
        ref = ref_from_answer(text)
    if ref.listed:
        pointed = _pointed(ctx, ref, key, purpose, ruled_out)
        if pointed is not None:
            return pointed
    titled = by_title(memory.shown, ref.text) if memory.shown and ref.text else []
    if len(titled) == 1 and not is_ruled_out(titled[0], ruled_out):
        return titled[0]  # "email their procurement manager" after "anyone at acme?"
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
    if ruled_out:  # "not parker": never the one the person ruled out
        left = without_ruled_out(leads, ctx.whole)
        if not left:
            raise Stop(Reply(_which(leads[0] if len(leads) == 1 else None, ruled_out)))
        leads = left
    if ref.mine and len(leads) > 1:  # "my chris": the person's own, when one of them is
        me = yield from my_user_id()
        leads = [lead for lead in leads if lead.get("owner_id") == me] or leads
    if how == "search":
        leads = narrow(leads, ref)
        if len(leads) == 1 and (said_as_word(leads[0], ref) or not purpose):
            return leads[0]
        if len(leads) == 1:  # "oh" found only inside "Johnson": asked, never taken
            return _did_you_mean(ctx, key, ref, leads[0])
        recent = _the_recent_one(memory, leads, ref)
        if recent is not None:
            return recent
    else:
        ranked = rank(leads, ref)
        best = ranked[0][0]
        close = [lead for score, lead in ranked if score >= best - 0.06]
        # "chris, dupe": the words that found the best ("chris") find others as well, so
        # it is not the one likely lead: they are all listed, never one offered as a guess.
        same = name_hits(close[0], ref)
        if same:
            close += [
                lead for _, lead in ranked if lead not in close and name_hits(lead, ref) == same
            ]
        # A name found only by likeness ("hannah watts" for Hannah Watson) is shown first
        # when something will be done to that lead (`purpose`); a lookup just shows it.
        if len(close) == 1 and best >= 0.78 and not purpose:
            return close[0]
        if len(close) == 1 and ctx.intent.kind == "add_note" and _opens_with(ref, close[0]):
            return close[0]  # "no answer from luis ortega tried twice": the note keeps it all
        if len(close) == 1:
            return _did_you_mean(ctx, key, ref, close[0])
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


def _did_you_mean(ctx: Ctx, key: str, ref: LeadRef, lead: Record) -> Record:
    """The one lead the words only resemble, offered and never taken: a "yes" picks it."""
    text = f"I couldn't find “{ref.describe()}”. Did you mean **{replies.lead_label(lead)}**?"
    return choose(ctx, key, text, [lead_option(lead)])


def _pointed(
    ctx: Ctx, ref: LeadRef, key: str, purpose: str, ruled_out: list[list[str]]
) -> Record | None:
    """ "the one at wonka" after a list: the listed lead the words fit; asked among them
    when several fit. None when none does (the CRM is searched for the words then)."""
    from coworker.llm.offline.listed import leads_fitting

    shown = ctx.memory.listed.leads or ctx.memory.shown
    fitting = [lead for lead in leads_fitting(shown, ref.text) if not is_ruled_out(lead, ruled_out)]
    if len(fitting) == 1:
        return fitting[0]
    if not fitting:
        return None
    options = [lead_option(lead) for lead in fitting[:MAX_OPTIONS]]
    text = (
        f"{len(fitting)} of the leads I just showed fit “{ref.text}”. "
        f"Which one{(' ' + purpose) if purpose else ''}?\n\n"
        + replies.numbered([o.label for o in options])
    )
    return choose(ctx, key, text, options)


def _opens_with(ref: LeadRef, lead: Record) -> bool:
    """Whether the words taken for a lead open with its whole name ("luis ortega tried
    twice"): the rest was said about it, not part of whom."""
    name = str(lead.get("name") or "").lower().split()
    words = ref.text.lower().split()
    rest = words[len(name) :]
    if any(vocab.status_in(word) or vocab.stage_in(word) for word in rest):
        return False  # "lars wood unqualified": a change asked for, not a note
    return len(name) >= 2 and words[: len(name)] == name


def ref_from_answer(text: str) -> LeadRef:
    """The lead an answer to "which lead?" names; none for "yes" or "no" ("yes" is not a
    search for everyone called Hayes)."""
    from coworker.llm.offline.slots import lead_ref

    if re.fullmatch(
        r"(?:yes|yeah|yep|yup|sure|ok|okay|y|go ahead|do it|no|nope|nah|n)[\s.!]*", text, re.I
    ):
        return LeadRef()
    return lead_ref(
        re.sub(r"^(?:i mean|it'?s|its|the lead is|lead:?|for)\s+", "", text.strip(), flags=re.I)
    )
