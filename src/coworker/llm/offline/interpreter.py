"""One model turn from a transcript: which request is open, how far it got, what comes next.

The request is the person's last message with text, unless that message answers a question
the interpreter asked ("which Chris?", "what should the email say?"): then the earlier
request is resumed, with the answer, and replayed over the calls of both messages. Context
for "her" or "that deal" comes from the episodes before the request.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from coworker.dialsheet.contract import load_contract
from coworker.llm.base import Block, Message, ModelRequest
from coworker.llm.offline import replies
from coworker.llm.offline.answers import Answer, match_answer
from coworker.llm.offline.asides import set_aside
from coworker.llm.offline.capabilities import plan_for
from coworker.llm.offline.conversation import (
    Clock,
    Episode,
    Step,
    episodes,
    last_tool_use_id,
    read_clock,
)
from coworker.llm.offline.engine import Call, Done, Emit, Reply, replay
from coworker.llm.offline.intents import Intent, classify
from coworker.llm.offline.intents.common import IntentKind, make_intent
from coworker.llm.offline.intents.corrections import amend
from coworker.llm.offline.intents.whose import narrowed
from coworker.llm.offline.memory import remember
from coworker.llm.offline.plans.revised_when import rescheduled
from coworker.llm.offline.plans.revised_words import (
    added_words,
    rewrite_asked,
    swapped,
    with_added,
)
from coworker.llm.offline.plans.revisions import substituted
from coworker.llm.offline.plans.talk import HELP
from coworker.llm.offline.question_split import question_parts
from coworker.llm.offline.resolve import Ctx
from coworker.llm.offline.split import in_order, split_requests
from coworker.llm.offline.split_forms import undo_then
from coworker.llm.offline.text import Utterance
from coworker.llm.offline.trust import UNCHECKED, unchecked
from coworker.llm.offline.unread_parts import errand_beside, out_of_scope

STILL_WAITING = (
    "It's still waiting for your decision: use the card's **Cancel** button to cancel it "
    "(a typed “no” can't). Nothing has been sent."
)
MAX_CHAIN = 4  # how many questions in a row a request can go through
MEMORY = 8  # earlier messages whose results give "her", "it", "the second one" a meaning
# The calls that wait for the person, by how a sentence names them (their profile's `noun`).
GATED = {
    op.operation_id: op.profile.noun
    for op in load_contract().operations.values()
    if op.profile.noun is not None
}
# A reply to a free-text question that is really a new request.
_NEW_REQUEST = re.compile(
    r"^(?:show|list|find|search|what'?s|whats|what are|which|cancel|never ?mind|forget it|stop|"
    r"help|who is|how many)\b",
    re.I,
)
# Requests that are never the text a question asked for: "overdue tasks" after "what should
# the note say?" is a new request, not a note.
_FRESH_KINDS: frozenset[IntentKind] = frozenset(
    {
        "help", "overview", "list_tasks", "list_deals", "list_notes", "list_calls", "list_sent",
        "list_mailboxes", "list_sequences", "list_tags", "list_leads", "lead_owner", "recent_leads",
    }
)  # fmt: skip
# ("offer_undo": "no, the one at initech" read alone says a change was wrong; to a question,
# it answers it)
_ANSWER_KINDS: frozenset[IntentKind] = frozenset(
    {"find_leads", "unsupported", "noise", "greet", "confirm", "call_lead", "offer_undo"}
)


@dataclass
class Chain:
    """A request (maybe resumed through answers) and where replaying it got to."""

    start: int
    intent: Intent
    utterance: Utterance
    answers: dict[str, Answer]
    steps: list[Step]
    outcome: Emit | Done


def _diverged(steps: list[Step]) -> Reply:
    return Reply(replies.generic([r for step in steps for r in step.results]))


def _superseded(episode: Episode | None) -> tuple[Call | None, str]:
    """The confirmation the person left open by writing again, and the text shown with it."""
    if episode is None or not episode.steps:
        return None, ""
    step = episode.steps[-1]
    for use, result in zip(step.uses, step.results, strict=False):
        # "waiting": the card is still open (the person wrote instead of deciding); a typed
        # "yes" offers it again, and the new card replaces it (the same thing).
        if result.name in GATED and result.decision in ("superseded", "expired", "waiting"):
            return Call(result.name, dict(result.input)), step.text
        del use
    return None, ""


def _rejected(episode: Episode) -> Call | None:
    """The text or email the person just rejected on its card, to offer again revised."""
    if not episode.steps:
        return None
    for result in episode.steps[-1].results:
        if result.name in ("send_email", "send_sms") and result.decision == "rejected":
            return Call(result.name, dict(result.input))
    return None


def _run(
    start: int,
    intent: Intent,
    utterance: Utterance,
    answers: dict[str, Answer],
    steps: list[Step],
    eps: list[Episode],
    clock: Clock,
) -> Chain:
    ctx = Ctx(intent, utterance, clock, remember(eps[max(0, start - MEMORY) : start]), answers)
    pending, pending_say = _superseded(eps[start - 1] if start > 0 else None)
    if pending is not None and intent.kind == "confirm" and not intent.slots.get("yes"):
        if start > 0 and _still_waiting(eps[start - 1]) and not steps:
            # A typed "no" cannot decide a card that still waits: say how to cancel it.
            return Chain(start, intent, utterance, answers, steps, Done(Reply(STILL_WAITING)))
    # a message read whole as out of scope ("find X on linkedin and send him a connect
    # request") is refused whole, not split into parts that each go unread
    # ... unless it is an undo with the request meant instead after it ("no undo that.
    # remind me to call him next week instead"), read as the two requests it is
    refused = out_of_scope(intent) and undo_then(utterance.raw) is None
    parts = split_requests(utterance.raw) if intent.kind != "confirm" and not refused else []
    if intent.kind == "confirm" and pending is None:
        parts = _asked_after_ok(utterance.raw, clock)
    if refused:  # "book me a flight, and whats evelyn's email": the question is still answered
        split = split_requests(utterance.raw)  # "book a hotel and add a task …": so is the task
        parts = split if errand_beside(split, clock.now) else question_parts(utterance.raw)
    parts, aside = set_aside(parts)
    revised = _revision(pending, utterance.raw) if intent.kind != "revise_message" else None
    rejected = _rejected(eps[start - 1]) if start > 0 and pending is None else None
    when = rescheduled(rejected, utterance.raw)
    if rejected is not None and when is not None and when.words is not None:
        # "it's at 3pm actually, send that" right after the card was rejected: offered again
        revised, pending = make_intent("revise_message", text=when.words), rejected
    if revised is not None:  # "make it 3pm not 2", "also add that …" while a message waits
        intent, parts = revised, []
        ctx = Ctx(intent, utterance, clock, ctx.memory, answers)
    if len(parts) > 1 or aside:
        plan = in_order(ctx, parts, plan_for, aside)
    else:
        plan = plan_for(ctx, pending, pending_say)
    outcome = replay(plan, steps, _diverged)
    return Chain(start, intent, utterance, answers, steps, outcome)


_OK_FIRST = re.compile(r"^(?:ok|okay|k|kk|ok so|okay so|so)\b[\s,.!-]*(?=\S)", re.I)


def _asked_after_ok(said: str, clock: Clock) -> list[str]:
    """ "ok she's in. mark her qualified", with no card waiting: the "ok" opens the message,
    it approves nothing, so its requests are done; [] when it holds none but the "ok"."""
    parts = split_requests(said)
    later = [classify(Utterance.of(part), clock.now).kind for part in parts[1:]]
    if not any(kind not in ("confirm", "greet", "noise") for kind in later):
        return []
    return [_OK_FIRST.sub("", parts[0]) or parts[0], *parts[1:]]


def _revision(pending: Call | None, said: str) -> Intent | None:
    """New words for the text or email waiting on its card, asked in a message: one value
    corrected, a word swapped, words added, or a rewrite not made (said so); None otherwise."""
    if pending is None:
        return None
    corrected = substituted(pending, said) or swapped(pending, said)
    if corrected is not None:
        return make_intent("revise_message", text=corrected)
    when = rescheduled(pending, said)  # "actually make it wednesday, same time"
    if when is not None and when.words is None:
        return make_intent("revise_message", unclear=said.strip())
    if when is not None:
        return make_intent("revise_message", text=when.words)
    added = added_words(pending, said)
    if added is not None:
        return make_intent("revise_message", text=with_added(pending, added), added=added)
    if rewrite_asked(pending, said):
        return make_intent("revise_message", rewrite=said.strip())
    return None


def _evaluate(eps: list[Episode], idx: int, clock: Clock, depth: int = 0) -> Chain:
    episode = eps[idx]
    if idx > 0 and depth < MAX_CHAIN and "?" in eps[idx - 1].final_text:
        prev = _evaluate(eps, idx - 1, clock, depth + 1)
        question = prev.outcome.reply.question if isinstance(prev.outcome, Done) else None
        if question is not None:
            text = episode.request
            own = classify(Utterance.of(text), clock.now)
            amended = amend(prev.intent, own) if question.key.startswith("confirm:") else None
            if amended is not None:  # "make that 4pm" while the write waits: ask again
                answers = {k: v for k, v in prev.answers.items() if not k.startswith("confirm:")}
                steps = prev.steps + episode.steps
                return _run(prev.start, amended, prev.utterance, answers, steps, eps, clock)
            if question.kind == "text":
                listing = own.kind in _FRESH_KINDS and len(text.split()) <= 4
                fresh = bool(_NEW_REQUEST.match(text.strip())) or listing
                answer = None if fresh else match_answer(question, text)
            else:
                fresh = own.kind not in _ANSWER_KINDS or (
                    own.kind == "confirm" and not own.slots.get("yes")
                )
                answer = None if fresh else match_answer(question, text)
                if answer is None and own.kind in ("undo", "correct_value"):
                    # "not nathan, maya", "the pilot, not the license": no write to fix
                    # since the question, so an answer to it
                    answer = match_answer(question, text)
            if answer is not None:
                answers = {**prev.answers, question.key: answer}
                return _run(
                    prev.start,
                    prev.intent,
                    prev.utterance,
                    answers,
                    prev.steps + episode.steps,
                    eps,
                    clock,
                )
            unread = own.kind in ("unsupported", "noise", "offer_undo") or (
                own.kind == "confirm" and bool(own.slots.get("yes"))  # "yes" to "which one?"
            )
            if not fresh and question.kind == "choice" and unread:
                assert isinstance(prev.outcome, Done)
                again = Reply(
                    "Sorry, I didn't catch which one — reply with the number or the name.\n\n"
                    + prev.outcome.reply.text,
                    question,
                    "asked",
                )
                return Chain(
                    prev.start,
                    prev.intent,
                    prev.utterance,
                    prev.answers,
                    prev.steps + episode.steps,
                    Done(again),
                )
    utterance = Utterance.of(episode.request)
    intent = classify(utterance, clock.now)
    if idx > 0:  # "ok just mine": the last listing again, kept to the person's own
        intent = narrowed(eps[idx - 1].request, episode.request, clock.now, classify) or intent
    return _run(idx, intent, utterance, {}, episode.steps, eps, clock)


def _note_superseded(eps: list[Episode], chain: Chain) -> str:
    """A word about the action the person's new message left unapproved (said once)."""
    if chain.intent.kind == "confirm" or chain.steps or chain.start == 0 or chain.answers:
        return ""
    pending, _ = _superseded(eps[chain.start - 1])
    if pending is None or _still_waiting(eps[chain.start - 1]):
        return ""  # a card still waiting was not left behind: it can still be approved
    memory = remember(eps[max(0, chain.start - MEMORY) : chain.start])
    who = memory.lead_name(str(pending.input.get("lead_id") or "")) or pending.input.get("to_email")
    what = GATED[pending.name] + (
        f" to {who}" if who and pending.name in ("send_email", "send_sms") else ""
    )
    return f"(Not done: {what} — you moved on before approving it.)\n\n"


def _still_waiting(episode: Episode) -> bool:
    return bool(episode.steps) and any(r.decision == "waiting" for r in episode.steps[-1].results)


def _said_this_run(episode: Episode) -> bool:
    """Has text already gone out in this run of the loop? Channels join the texts of one run,
    so the next one starts with a paragraph break. A run ends where a call waited for the
    person (its result carries their decision)."""
    for step in reversed(episode.steps):
        if any(r.decision is not None for r in step.results):
            return False
        if step.text.strip():
            return True
    return False


def _tool_id(messages: list[Message], episode: Episode, index: int) -> str:
    seed = "|".join(
        (
            str(len(messages)),
            last_tool_use_id(messages),
            episode.request[:200],
            str(len(episode.steps)),
            str(index),
        )
    )
    return "toolu_off_" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:24]


def interpret(request: ModelRequest, now: datetime | None = None) -> tuple[list[Block], str]:
    """The content blocks and stop reason of the next turn."""
    clock = read_clock(request.system, now)
    eps = episodes(request.messages)
    if not eps:
        return [{"type": "text", "text": HELP}], "end_turn"
    chain = _evaluate(eps, len(eps) - 1, clock)
    note = _note_superseded(eps, chain)
    joint = "\n\n" if _said_this_run(eps[-1]) else ""
    if isinstance(chain.outcome, Emit) and unchecked(chain.outcome.batch):
        # The trust invariant: a write that did not pass `trust.write` never leaves here.
        return [{"type": "text", "text": joint + UNCHECKED}], "end_turn"
    if isinstance(chain.outcome, Emit):
        batch = chain.outcome.batch
        content: list[Block] = []
        say = (note + batch.say).strip()
        if say:
            content.append({"type": "text", "text": joint + say})
        for i, planned in enumerate(batch.calls):
            content.append(
                {
                    "type": "tool_use",
                    "id": _tool_id(request.messages, eps[-1], i),
                    "name": planned.name,
                    "input": dict(planned.input),
                }
            )
        return content, "tool_use"
    text = (note + chain.outcome.reply.text).strip() or "Done."
    return [{"type": "text", "text": joint + text}], "end_turn"
