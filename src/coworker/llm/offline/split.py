"""Several requests in one message ("mark Luis as contacted and tag him as hot"), in order.

A message is cut where a connector ("and", "then", ";", ", also") is followed by the verb
that opens a new request, but only before the first text the person dictates (after a
colon or a quote everything is payload: "email her: hi, and thanks"). A task being
described keeps its own "and" ("remind me to call Jane and send the deck" is one task).
A pronoun in a later request ("tag him") is read as the lead the first request named.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from coworker.llm.offline import asides, split_forms
from coworker.llm.offline.asides import LED_BY_VERB, VERBS, aside_notes, statement_lead
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.deal_context import lend_deal, news_cut
from coworker.llm.offline.deal_reasons import reasons_given
from coworker.llm.offline.engine import Plan, Reply, Stop
from coworker.llm.offline.intents import Intent, classify
from coworker.llm.offline.intents.deals import said_then
from coworker.llm.offline.intents.lead_news import marked_after_news
from coworker.llm.offline.intents.logged_notes import forwarded_note, logged_statement
from coworker.llm.offline.intents.report_tasks import report_task_cuts, said_callbacks
from coworker.llm.offline.intents.task_owed import owed_cuts
from coworker.llm.offline.intents.task_pairs import another_task, task_cuts
from coworker.llm.offline.logged_then import logged_then_cuts
from coworker.llm.offline.memory import Memory
from coworker.llm.offline.question_split import question_parts
from coworker.llm.offline.resolve import Ctx
from coworker.llm.offline.restated import asks_news, without_restatement
from coworker.llm.offline.slots import LeadRef
from coworker.llm.offline.split_forms import lead_first, status_cuts, task_lead, undo_then
from coworker.llm.offline.task_each import each_task
from coworker.llm.offline.text import Utterance
from coworker.llm.offline.unread_parts import MISREAD, not_understood

# "+" and "&" join two requests as "and" does ("X is contacted now + remind me to ..."); they
# are cut only before a verb, so "email + # for tom" (two fields) and "+1 555 ..." stay whole.
_CUT = re.compile(
    rf"(?:,?\s+and\s+(?:then\s+|also\s+){{0,2}}|,\s*(?:then|also)\s+|;\s*|[.!?]+\s+(?:then\s+|also\s+)?|"
    rf"\s+then\s+|\s*\+\s*(?:then\s+|also\s+)?|\s+&\s+(?:then\s+|also\s+)?|"
    rf"(?:(?<=\blog it)|(?<=\blog that)),\s*|"  # "log it, push my callback to fri"
    # a comma before a change that is never the first one said again ("update his title")
    # nor the message a mailbox was chosen for ("use outlook, email jane: ...")
    rf",\s*(?:pls\s+|please\s+)?(?=(?:add|tag|untag|remind|log|schedule|enroll|"
    rf"(?:open|create)\s+(?:a|an|another|new)|open up)\b))"
    rf"(?=(?:(?:please|pls|just)\s+)?(?:{VERBS})\b|new\s+(?:task|todo|to-do|reminder|deal|opp)\b|"
    # "tag her enterprise and give me a task to call her monday"
    rf"(?:give|get)\s+me\s+(?:a|an|another)\s+(?:task|todo|to-do|reminder|follow)|gimme\s)",
    re.I,
)
_TASKISH = re.compile(r"^(?:remind|add (?:a )?task|create (?:a )?task|task)\b", re.I)
_STARTS = re.compile(r"^(?:remind|log|mark|tag|create|add|update|move|set)\b", re.I)
# "Jane's new address is x - update it and ...": "update it" repeats the first sentence.
_RESTATED = re.compile(r"\s+-\s+(?:please\s+)?(?:update|change|fix|set)\s+(?:it|that|this)\b", re.I)
_PAYLOAD = re.compile(r"[:\"“]")
# In a list of commands ("mark X done, set Y to qualified"), a comma before a verb cuts too;
# not in a new record's values ("open an opp for luis, 18.5k, proposal, close in 2 wks").
_LIST_CUT = re.compile(
    r",\s*(?=(?:please\s+|pls\s+)?(?:mark|set|move|update|change|create|open|close|complete|"
    r"put|bump|push|email|text)\b)",
    re.I,
)
_VALUE_LISTS = frozenset({"create_deal", "create_lead", "create_task"})


def split_requests(text: str) -> list[str]:
    """The requests in `text`, in order; one item when it holds one request."""
    text = lead_first(_RESTATED.sub("", text))
    counted = split_forms.COUNTED.match(text)
    if counted and LED_BY_VERB.match(text[counted.end() :]):
        text = text[counted.end() :]
    text = without_restatement(
        text, lambda part: _intent_of(part).kind, bool(_PAYLOAD.search(text))
    )
    if forwarded_note(text):  # "heres what ethan sent me, add it as a note: '...'": one note
        return [text]
    then = undo_then(text)  # "undo that, not yet. just log that she asked about pricing"
    if then is not None:
        return then
    read = _intent_of(text)  # "hold on they havent signed. put it back": one undo; "make it
    if read.kind == "undo" or (read.kind == "correct_value" and "name" in read.slots):
        return [text]  # 15k and call it X": one deal's two values, together
    if said_then(text) is not None:  # "initech pilot signed! mark it won": one deal's news
        return [text]
    if logged_statement(text) and read.kind == "add_note":  # "X not keen. log it"
        return [text]
    if marked_after_news(text) and read.kind == "update_status":
        return [text]  # "freya signed!! mark her as a customer": one lead's news
    if context := asides.context_cut(text) or news_cut(
        text
    ):  # "ugh long day. anyway mark ...": context first
        return asides.statements_logged(_with_names([context[0], *split_requests(context[1])]))
    dictated = split_forms.values_end(text, read.kind)  # "add a new lead: …": values, not words
    payload = _PAYLOAD.search(text, dictated) or _SINGLE_PASTE.search(text)
    head_end = payload.start() if payload else len(text)
    parts: list[str] = []
    start = 0
    cuts = list(_CUT.finditer(text, 0, head_end))
    if LED_BY_VERB.match(text) and read.kind not in _VALUE_LISTS:
        cuts += _LIST_CUT.finditer(text, 0, head_end)
        cuts.sort(key=lambda cut: (cut.start(), -cut.end()))  # the longer of two at one place
    if payload and _NOTE_HEAD.match(text):
        cuts += [c for c in _AFTER_NOTE.finditer(text, head_end) if not _quoted(text, c.start())]
    if read.kind == "add_note":  # "spoke w X, …, need to send her Y by wed"
        cuts += owed_cuts(text, head_end, _SOMETIME)
        cuts += report_task_cuts(text, head_end, _SOMETIME)  # "…. circle back in 3 months"
    cuts += status_cuts(text, head_end)  # "mia is qualified now, move her deal to …"
    cuts += logged_then_cuts(text, head_end)  # "…. log it + fu task for tmrw"
    cuts = sorted([*cuts, *task_cuts(text, head_end)], key=lambda cut: (cut.start(), -cut.end()))
    lead_ins: dict[int, str] = {}
    for cut in cuts:
        before = text[start : cut.start()].strip()
        after = text[cut.end() :]
        if not before or cut.start() < start:
            continue
        # "remind me to call naomi tmrw and email olivia thurs": two tasks, said alike
        again = another_task(before, after, _SOMETIME) if _TASKISH.match(before) else None
        if _TASKISH.match(before) and not _STARTS.match(after) and again is None:
            continue
        if split_forms.FIELD_NOUN.match(
            after
        ):  # "luis ortega phone and email": a field, not a send
            continue
        if asks_news(text[start : split_forms.next_cut(cuts, cut)], lambda p: _intent_of(p).kind):
            continue  # "he's moving to hooli as CTO. update it": the news and its request
        if split_forms.SAID_TO.match(after) and _intent_of(before).kind in split_forms.SAID_ON:
            continue  # "email marcus and tell him …": what the email (or call) is to say
        parts.append(before)
        start = cut.end()
        lead_ins[len(parts)] = again or ""
    parts.append(text[start:].strip())
    parts = [lead_ins.get(i, "") + part for i, part in enumerate(parts)]
    parts = [parts[0], *(split_forms.AS_WELL.sub("", p) for p in parts[1:])]
    parts = [p for p in parts if p]
    parts = [one for part in parts for one in each_task(part) or _each_lead(part)]
    parts = said_callbacks(parts, _SOMETIME)  # "… ring him back tmrw at 4. set the callback"
    if len(parts) < 2 or _chosen_mailbox(parts, text):
        return question_parts(text)  # "whats jane's number and anything in her notes"
    parts = reasons_given(parts)  # "..., they went w a competitor" + "a note saying why"
    return asides.statements_logged(_with_names(parts))  # "X went w a competitor" + "log it"


def _quoted(text: str, at: int) -> bool:
    """Is `at` inside pasted words (`note on X: "… also move his deal …"`)? They are data."""
    before = text[:at]
    return len(re.findall(r"[\"“”]", before)) % 2 == 1 or bool(_SINGLE_PASTE.search(text, 0, at))


# Words pasted in single quotes: opened after a space or colon, closed at the message's end.
_SINGLE_PASTE = re.compile(r"(?<![^\s:])'(?=\S.*'[\s.!]*$)", re.S)


def _chosen_mailbox(parts: list[str], text: str) -> bool:
    """ "use gmail and email mei: ...": the first words only choose the mailbox of the message
    that follows, which the whole message says (a part alone would not be understood)."""
    whole = _intent_of(text)
    return bool(whole.slots.get("mailbox")) and _intent_of(parts[0]).kind in MISREAD


# A note's text is the person's own words, and may go on with a request of its own, marked as
# one: "note on marcus: legal signed off. also move his deal to closed won". Only a sentence
# that starts with "also"/"then"/"and" and a verb that changes a record is cut off; an email's or
# text's body (written for someone else to read) is never cut.
_NOTE_HEAD = re.compile(
    r"^(?:(?:log|add|write|make|create|put|leave|record|jot|save|drop|post)\s+(?:down\s+)?"
    r"(?:a\s+|an\s+|the\s+|this\s+|my\s+)?(?:quick\s+|short\s+|new\s+)?(?:call\s+)?"
    r"(?:note|comment|memo|call)s?|note|notes)\b",
    re.I,
)
_AFTER_NOTE = re.compile(
    r"(?:[.;!]\s+|\s+-+\s+)(?:(?:(?:and\s+)?(?:also|then|plus|oh and)|and)[,:]?\s+"
    r"(?=(?:please\s+|pls\s+|can you\s+|could you\s+)?(?:mark|tag|untag|move|set|update|change|"
    r"put|bump|push|remind|schedule|close|create|add a task|enroll)\b)|"
    # "... asked for a w9. text her too": a message to send as well, said as one
    r"(?=(?:text|email|e-mail|sms)\s+(?:her|him|them)\b[^.;!]*\b(?:too|as well|also)[.!]*\s*$))",
    re.I,
)

# One action for two leads: "mark tom and luis as contacted", "Tom Becker and Luis Ortega
# are both contacted now". Done as one request per lead, each read (and its lead found) on
# its own; only actions that mean the same for each lead. Messages keep theirs: one text to
# "Jane and Marcus" is a group message, not two.
_DISTRIBUTED = frozenset({"update_status", "tag_lead", "add_note", "enroll"})
_NAMEISH = r"[A-Za-z][\w'.-]*(?:\s+[A-Za-z][\w'.-]*){0,2}"
_AND = r"\s*(?:,\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*|\s*\+\s*|\s+n\s+)"
_BOTH = re.compile(rf"^(?P<a>{_NAMEISH}?){_AND}(?P<b>{_NAMEISH}?)$", re.I)
# "X and Y r both contacted", "both X and Y are qualified", "X + Y both contacted", "X, Y -
# both qualified now": with "both" the verb may be left out.
_PLURAL = re.compile(
    rf"^(?:both\s+)?(?P<a>{_NAMEISH}?){_AND}(?P<b>{_NAMEISH}?)(?:\s+-+)?"
    r"(?:\s+(?:r|are|were)\s+(?:both\s+|now\s+)?|\s+both\s+(?:(?:r|are|were)\s+)?(?:now\s+)?)"
    r"(?P<rest>.+)$",
    re.I,
)
_NOT_A_NAME = re.compile(
    r"\b(?:as|to|the|a|an|is|are|r|both|all|with|for|from|at|on|my|our|deal|task|note|co|"
    r"company|team|everyone|others|folks|guys|crew|partners?|friends)\b",
    re.I,
)
_SOMETIME = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # classify wants a now; refs don't use it


def _each_lead(part: str) -> list[str]:
    """`part` once per lead when it asks the same thing of two ("X and Y"); else `[part]`."""
    plural = _PLURAL.match(part.strip())
    if plural and not any(_NOT_A_NAME.search(plural[k]) for k in ("a", "b")):
        each = [f"{plural[k]} is {plural['rest']}" for k in ("a", "b")]
        if all(_intent_names(one, plural[k]) for one, k in zip(each, ("a", "b"), strict=True)):
            return each
        return [part]
    intent = _intent_of(part)
    ref = intent.slots.get("ref")
    if intent.kind not in _DISTRIBUTED or not isinstance(ref, LeadRef) or ref.company:
        return [part]
    both = _BOTH.match(ref.text)
    if both is None:
        return [part]
    # the names as the part says them ("priya & marcus", read "priya and marcus")
    said = re.search(rf"{re.escape(both['a'])}{_AND}{re.escape(both['b'])}", part, re.I)
    if not said or any(_NOT_A_NAME.search(both[k]) for k in ("a", "b")):
        return [part]
    return [part[: said.start()] + both[k] + part[said.end() :] for k in ("a", "b")]


def _intent_of(part: str) -> Intent:
    return classify(Utterance.of(part), _SOMETIME)


def _intent_names(part: str, name: str) -> bool:
    intent = _intent_of(part)
    ref = intent.slots.get("ref")
    return (
        intent.kind in _DISTRIBUTED
        and isinstance(ref, LeadRef)
        and ref.text.lower() == name.strip().lower()
    )


# A later request's "him", "her", "his deal": the lead the first request named.
_POSSESSIVE = re.compile(
    r"\b(?:his|her|their)\s+(?=(?:deal|opp|opportunity|task|status|number|phone|cell|email|"
    r"title|company|lead|record|notes?|account|acct|file)\b)",
    re.I,
)
_OBJECT = re.compile(r"\b(?:him|her|them)\b", re.I)
_SUBJECT = re.compile(r"^(?:she|he|they)\b", re.I)


def _first_lead(part: str) -> str | None:
    """The lead the request names, as the person wrote it (None: none, or only "her"); of a
    statement said as a reason or a slip, the lead it is about ("luis is a dud", "i meant X")."""
    about = statement_lead(part)
    if about is not None:
        return about
    ref = _intent_of(part).slots.get("ref")
    if isinstance(ref, LeadRef) and not ref.pronoun and ref.ordinal is None and ref.text:
        if re.match(r"(?:her|him|them|his|their)\b", ref.text, re.I):
            return None  # "email her there": still "her"
        return ref.text + (f" at {ref.company}" if ref.company else "")
    return task_lead(_intent_of(part))  # "move the chris parker callback …, mark him …"


def _with_names(parts: list[str]) -> list[str]:
    """Later requests' "him"/"her"/"his deal" replaced by the person last named before them,
    and "it"/"the deal" by the deal news before them named (`lend_deal`)."""
    parts = lend_deal(parts)
    name = _first_lead(parts[0])
    out = [parts[0]]
    for part in parts[1:]:
        named = _first_lead(part)
        out.append(part if named is not None or name is None else _named(part, name))
        name = named or name
    return out


def _named(part: str, name: str) -> str:
    payload = _PAYLOAD.search(part)
    head_end = payload.start() if payload else len(part)
    head, body = part[:head_end], part[head_end:]
    said = head
    head = _POSSESSIVE.sub(f"{name}'s ", head, count=1)
    head = _OBJECT.sub(name, head, count=1)
    head = _SUBJECT.sub(name, head, count=1)
    head = re.sub(rf"^(\w+\s+{re.escape(name)})\s+there\b", r"\1", head)
    if head != said:  # "set a fu to try him again": named where "him" was, and only there
        return head + body
    return _about(head + body, name, bool(payload))


def _about(part: str, name: str, has_payload: bool) -> str:
    """A later task or note that names nobody is about the first request's lead: "mark jane
    as qualified and set a fu task for fri" links the task to Jane, as a person reads it."""
    intent = _intent_of(part)
    ref = intent.slots.get("ref")
    if ref is not None and not (isinstance(ref, LeadRef) and ref.empty):
        return part
    if intent.kind == "create_task" and not has_payload and not _SHE.search(part):
        polite = re.search(r"(?:\s+(?:pls|please|plz|thx|ty))+[\s.!]*$", part, re.I)
        return f"{part[: polite.start() if polite else len(part)]} with {name}"
    if intent.kind == "add_note" and has_payload:
        at = _PAYLOAD.search(part)
        assert at is not None
        return f"{part[: at.start()].rstrip()} on {name}{part[at.start() :]}"
    opening = _NOTE_OPENING.match(part) if intent.kind == "add_note" else None
    if opening and not has_payload:  # "…, and log that we had a discovery call": on them
        return f"add a note on {name}: {opening['rest']}"
    if not has_payload:  # "... and add the enterprise tag": to the lead just named
        # "luis: mark him contacted, tag webinar-2026": the name after the verb
        after_verb = re.sub(r"^(\w+)\s+", lambda m: f"{m[1]} {name} ", part, count=1)
        for joined in (f"{part} to {name}", f"{part} for {name}", after_verb):
            again = _intent_of(joined).slots.get("ref")
            if (
                _intent_of(joined).kind in _CARRIED
                and isinstance(again, LeadRef)
                and again.text.lower() == name.lower()
            ):
                return joined
    return part


_SHE = re.compile(r"\b(?:she|he)\b", re.I)  # "… to see if she signed": the plan links her
# A note's opening words, before what it says: "log that …", "add a note …".
_NOTE_OPENING = re.compile(
    r"^(?:(?:add|log|write|make|leave|jot)\s+(?:down\s+)?(?:a\s+|an\s+)?(?:quick\s+)?note|log|"
    r"note)(?:\s+(?:saying|that))?\s+(?!(?:why|about|of|on|too)\b)(?P<rest>\S+\s+\S.*)$",
    re.I | re.S,
)
# Changes a later request makes to the lead an earlier one named, when it names nobody.
_CARRIED = frozenset({"tag_lead", "update_status", "update_lead"})


def in_order(
    ctx: Ctx, parts: list[str], plan_for: Callable[[Ctx], Plan], aside: list[str] | None = None
) -> Plan:
    """Several requests of one message, each planned on its own, one after the other.

    Each part asks its own questions: an answer is kept under the part's number ("2/lead"),
    so "which Chris?" answered for the first request is never taken as the answer to the
    second's "which Schmidt?". A later part knows what the earlier ones did, as the next
    message would: the memory it reads has learned their results ("her", "that deal").
    A reason said before them (`aside`) is not written down, and the reply says so.
    """
    missed = not_understood(parts, ctx.clock.now)
    if missed:
        return Reply(missed)
    said: list[str] = []
    reason_noted = False  # a note "saying why" took the aside as its words
    memory = copy.deepcopy(ctx.memory)
    memory.new_message()
    for index, part in enumerate(parts, start=1):
        utterance = Utterance.of(part)
        own = f"{index}/"
        answers = {k[len(own) :]: v for k, v in ctx.answers.items() if k.startswith(own)}
        intent = classify(utterance, ctx.clock.now)
        reason_noted = reason_noted or bool(intent.slots.get("why"))
        one = Ctx(intent, utterance, ctx.clock, memory, answers, ctx.utterance.raw)
        try:
            reply = yield from _learning(plan_for(one), memory)
        except Stop as stop:  # a question: what was done so far comes first
            question = stop.reply.question
            if question is not None:
                question = replace(question, key=own + question.key)
            text = "\n\n".join([*said, _with_rest(stop.reply.text, parts[index:])])
            raise Stop(Reply(text, question, stop.reply.status)) from None
        said.append(reply.text)
    if not reason_noted:
        said += [said_of for reason in aside or [] for said_of in aside_notes(reason)]
    return Reply("\n\n".join(said))


def _with_rest(asked: str, later: list[str]) -> str:
    """The question, with the requests an answer also lets go ahead named before it asks: a
    "yes" never runs a change the person was not shown in some form."""
    if not later:
        return asked
    rest = "After that I'll go on with the rest of your message: " + "; ".join(
        f"“{part.strip()}”" for part in later
    )
    head, sep, tail = asked.partition("\n\nShall I?")
    return f"{head}\n\n{rest}.{sep}{tail}" if sep else f"{asked}\n\n{rest}."


def _learning(plan: Plan, memory: Memory) -> Plan:
    """`plan`, with every result it gets also taken in by `memory`."""
    results: list[Result] | None = None
    while True:
        try:
            batch = next(plan) if results is None else plan.send(results)
        except StopIteration as finished:
            reply = finished.value
            return reply if isinstance(reply, Reply) else Reply(str(reply or ""))
        results = yield batch
        for result in results:
            memory.learn(result)
