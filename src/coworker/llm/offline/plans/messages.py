"""Outbound plans: email, SMS, enrolling in a sequence (what was sent is in `outbox`).

Everything here reaches a person outside, so the text before each call states exactly what
will go out and to whom; the confirmation card then shows the same payload. After the
decision the plan is replayed and reports how it ended.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.engine import Batch, Option, Plan, Reply, Stop, gated, one
from coworker.llm.offline.engine import Call as ToolCall
from coworker.llm.offline.intents import body_text, subject_from_body
from coworker.llm.offline.intents.mailboxes import MAILBOX_PROVIDERS
from coworker.llm.offline.names import narrow, negated_names, relevant
from coworker.llm.offline.pick import find_sequence
from coworker.llm.offline.resolve import (
    Ctx,
    ask_text,
    choose,
    find_lead,
)
from coworker.llm.offline.slots import LeadRef, digits
from coworker.llm.offline.text import token_similarity

MAX_SMS = 1600
MAX_BODY = 20_000
_ANSWER_LEAD_IN = re.compile(
    r"^(?:(?:please\s+)?(?:say|tell (?:her|him|them)|let (?:her|him|them) know|write|just say|"
    r"it should say|say that|tell (?:her|him|them) that|ask (?:her|him|them)|text|message)\b\s*"
    r"(?:that\s+)?:?\s*)",
    re.I,
)


def body_from_answer(answer: str) -> str:
    """The answer to "what should it say?", as the text to send: the person's words as they
    wrote them ("hi dana, …" stays lower-case), unless they reported them ("tell her …")."""
    text = answer.strip().strip('"').strip()
    m = _ANSWER_LEAD_IN.match(text)
    if m:
        return body_text(m.group(0), text[m.end() :])
    return text


# An answer that decides something rather than saying it: never the words of a message.
_NOT_WORDS = re.compile(
    r"^\s*(?:yes|yeah|yep|yup|ya|sure|ok|okay|k|kk|y|n|no|nope|nah|go ahead|do it|please do|"
    r"sounds good|correct|right|cancel|approve|approved|send it|send)\s*[.!]*\s*$",
    re.I,
)


# What someone would have to write from what they know ("a recap of the proposal"): the
# offline model sends only the words it is given, so it says it can't, and asks for them.
_COMPOSED = re.compile(
    r"\b(?:recap|summary|summari[sz]e|rundown|write-?up|overview|breakdown|highlights)\b", re.I
)


def _words_to_send(ctx: Ctx, key: str, question: str) -> str:
    """The person's answer to "what should it say?" as the words to send. "yes" or "ok" is
    a decision, not a message (it may have answered another question of the same turn):
    asked once more, and then nothing is sent."""
    answer = ask_text(ctx, key, question)
    if not _NOT_WORDS.match(answer):
        return body_from_answer(answer)
    again = ask_text(ctx, f"{key}:words", f"“{answer}” isn't a message I'd send. {question}")
    if _NOT_WORDS.match(again):
        raise Stop(Reply("I haven't sent anything: write the words themselves when you're ready."))
    return body_from_answer(again)


def _first(lead: dict[str, Any]) -> str:
    return str(lead.get("name") or "them").split()[0]


def _received(ctx: Ctx, channel: str) -> Plan:
    """A message the person got ("text from jane: …"): who it is from, and the offer of a
    reply, which they write themselves. Nothing is sent."""
    lead = yield from find_lead(ctx, ctx.intent.slots.get("ref") or LeadRef(), purpose="is it from")
    said = str(ctx.intent.slots.get("received") or "")
    verb = "email" if channel == "email" else "text"
    return Reply(
        f"That's {'an email' if channel == 'email' else 'a text'} from "
        f"**{replies.lead_short(lead)}**:\n\n{replies.quote(said)}\n\n"
        f"I haven't sent anything. Want me to reply? Say “{verb} {_first(lead).lower()}: …” "
        "with your answer, and I'll show it to you before it goes."
    )


def send_email(ctx: Ctx) -> Plan:  # noqa: C901 - the mailbox branch adds a few steps
    intent = ctx.intent
    if intent.slots.get("received"):
        return (yield from _received(ctx, "email"))
    to_email: str | None = intent.slots.get("to_email")
    lead: dict[str, Any] | None = None
    subject: str | None = intent.slots.get("subject")
    body: str | None = intent.slots.get("body")
    ref: LeadRef = intent.slots.get("ref") or LeadRef()
    if not to_email and body and subject == subject_from_body(body):  # no subject of its own
        ref, said, lead = yield from _name_then_words(ctx, ref, body)
        if said != body:
            body, subject = said, subject_from_body(said or "")
    if to_email:
        found: Result = yield from one("search_leads", search=to_email)
        same = [
            x for x in found.items("leads") if str(x.get("email", "")).lower() == to_email.lower()
        ]
        lead = same[0] if len(same) == 1 else None
    else:
        if lead is None:
            lead = yield from find_lead(ctx, ref, purpose="should I email")
        if not lead.get("email"):
            return Reply(
                f"**{replies.lead_short(lead)}** has no email address on file, so I can't "
                f"email {_first(lead)}. Tell me their address (“update {_first(lead)}'s "
                f"email to …”) and ask again."
                + (f" I could text them instead ({lead['phone']})." if lead.get("phone") else "")
            )
        to_email = str(lead["email"])
    who = f"**{lead['name']}** <{to_email}>" if lead else f"<{to_email}>"
    if not body:
        about = f" about “{subject}”" if subject else ""
        whom = lead["name"] if lead else to_email
        question = f"What should the email to {whom}{about} say?"
        composed = _COMPOSED.search(subject or "")
        if composed:  # "a recap of the proposal": not offline
            question = (
                f"I can't write the {composed[0].lower()} myself offline. What should the email "
                f"to {whom} say? Type the words, and I'll show you the email to approve first."
            )
        body = _words_to_send(ctx, "email:body", question)
    body = body[:MAX_BODY]
    subject = (subject or subject_from_body(body))[:300]
    arguments: dict[str, Any] = {"subject": subject, "body_text": body}
    if lead:
        arguments["lead_id"] = lead["id"]
    else:
        arguments["to_email"] = to_email
    wanted_box: str | None = intent.slots.get("mailbox")
    box: dict[str, Any] | None = None
    if wanted_box:
        accounts_result: Result = yield from one("list_email_accounts")
        accounts = accounts_result.items("email_accounts")
        box = named_mailbox(accounts, wanted_box) or _ask_mailbox(
            ctx, accounts, f"I couldn't tell which of your mailboxes is “{wanted_box}”."
        )
        arguments["email_account_id"] = box["id"]
    say = email_preview(who, subject, body, box)
    result: Result = yield from one_with_say("send_email", say, arguments)
    if result.is_error and result.decision is None and "mailbox" in result.content.lower():
        accounts_result = yield from one("list_email_accounts")
        box = _ask_mailbox(
            ctx,
            accounts_result.items("email_accounts"),
            "You have several mailboxes and no default.",
        )
        arguments["email_account_id"] = box["id"]
        result = yield from one_with_say(
            "send_email", email_preview(who, subject, body, box), arguments
        )
    if result.decision is None and result.is_error:
        return Reply(replies.failure(result))
    name = lead["name"] if lead else to_email
    sent = (result.record("email") or {}).get("subject") or subject  # the person's edits
    return Reply(replies.decided(result, f"Sent the email “{sent}” to **{name}**.", "the email"))


def one_with_say(tool: str, say: str, arguments: dict[str, Any]) -> Any:
    """A call that waits for approval (proposed afresh if it went stale: `gated`)."""
    return (yield from gated(tool, say, **arguments))


def named_mailbox(accounts: list[dict[str, Any]], wanted: str) -> dict[str, Any] | None:
    """The one mailbox the person named (`email_request`'s slot), or None to ask: never the
    default, nor a near miss, in place of a mailbox they named."""
    wanted = wanted.lower()
    if "@" in wanted:
        fits = [a for a in accounts if str(a.get("email", "")).lower() == wanted]
    elif wanted in MAILBOX_PROVIDERS.values():
        fits = [a for a in accounts if str(a.get("provider", "")).lower() == wanted]
    elif wanted == "other":
        fits = [a for a in accounts if not a.get("is_default")]
    elif wanted == "default":
        fits = [a for a in accounts if a.get("is_default")]
    else:  # their own word for it: "my northwind-mail acct", "my sales inbox"
        fits = [
            a
            for a in accounts
            if wanted in re.split(r"[^\w-]+", str(a.get("display_name", "")).lower())
            or wanted in re.split(r"[@.]", str(a.get("email", "")).lower())
        ]
    return fits[0] if len(fits) == 1 else None


def _ask_mailbox(ctx: Ctx, accounts: list[dict[str, Any]], why: str) -> dict[str, Any]:
    if not accounts:
        raise Stop(Reply("You have no mailbox connected to Dialsheet, so I can't send email."))
    options = [Option(str(a["id"]), _mailbox_label(a), a) for a in accounts]
    return choose(
        ctx,
        "mailbox",
        f"{why} Which one should I send from?\n\n" + replies.numbered([o.label for o in options]),
        options,
    )


def _mailbox_label(account: dict[str, Any]) -> str:
    """ "alex@northwind.example (Gmail, default)": what the person may answer with."""
    about = [str(account["provider"]).capitalize()] if account.get("provider") else []
    about += ["default"] if account.get("is_default") else []
    return f"{account.get('email')}" + (f" ({', '.join(about)})" if about else "")


def email_preview(who: str, subject: str, body: str, box: dict[str, Any] | None) -> str:
    sender = f" from {box['email']}" if box else ""
    return (
        f"Here's the email I'll send to {who}{sender}:\n\n**Subject:** {subject}\n\n"
        f"{replies.quote(body)}\n\nApprove it to send, edit it, or cancel."
    )


def sms_preview(name: str, phone: str, message: str) -> str:
    return (
        f"Here's the text I'll send to **{name}** ({phone}):\n\n"
        f"{replies.quote(message)}\n\nApprove it to send, edit it, or cancel."
    )


def switch_mailbox(ctx: Ctx, pending: ToolCall | None = None) -> Plan:
    """ "actually send it from outlook" while an email waits on its card (`pending`): the
    same email, offered again from the mailbox named; a new card replaces the open one, so
    only one of them can be approved."""
    wanted = ctx.intent.slots.get("mailbox") or ""
    if pending is None or pending.name != "send_email":
        return Reply(
            f"There's no email waiting for your approval that I could send from {wanted} "
            "instead. Tell me who to email and what to say, and name the mailbox."
        )
    accounts_result: Result = yield from one("list_email_accounts")
    accounts = accounts_result.items("email_accounts")
    box = named_mailbox(accounts, wanted) or _ask_mailbox(
        ctx, accounts, f"I couldn't tell which of your mailboxes is “{wanted}”."
    )
    arguments = {**pending.input, "email_account_id": box["id"]}
    lead_id = str(arguments.get("lead_id") or "")
    name = ctx.memory.lead_name(lead_id) or str(arguments.get("to_email") or "them")
    to = str(arguments.get("to_email") or "")
    who = f"**{name}**" + (f" <{to}>" if to and to != name else "")
    subject, body = str(arguments.get("subject") or ""), str(arguments.get("body_text") or "")
    result: Result = yield from one_with_say(
        "send_email", email_preview(who, subject, body, box), arguments
    )
    if result.decision is None and result.is_error:
        return Reply(replies.failure(result))
    sent = (result.record("email") or {}).get("subject") or subject
    return Reply(replies.decided(result, f"Sent the email “{sent}” to **{name}**.", "the email"))


def _name_then_words(
    ctx: Ctx, ref: LeadRef, words: str | None
) -> Generator[Batch, list[Result], tuple[LeadRef, str | None, dict[str, Any] | None]]:
    """ "sms dana whitfield checking in on budget": with no colon between them, the name may
    have taken the message's first word. When the words as read name no lead and the name
    without its last word (or two) does, that word goes back to the message, as the person
    wrote it. Also the lead, when the search found exactly one (no second search)."""
    said = ctx.utterance.raw
    parts = ref.text.split()
    joined = (
        re.search(rf"(?<!\w){re.escape(ref.text)}\s+{re.escape(words)}", said, re.I)
        if words and len(parts) > 1 and not (ref.company or ref.pronoun)
        else None
    )
    if joined is None or negated_names(ctx.whole):
        return ref, words, None
    for cut in range(len(parts), max(len(parts) - 3, 0), -1):
        part = LeadRef(" ".join(parts[:cut]))
        found: Result = yield from one("search_leads", search=part.text)
        leads = narrow(relevant(found.items("leads"), part), part)
        if not leads:
            continue
        if cut == len(parts):
            return ref, words, leads[0] if len(leads) == 1 else None
        dropped = " ".join(parts[cut:])
        if any(token_similarity(dropped, str(lead.get("name") or "")) >= 0.6 for lead in leads):
            return ref, words, None  # "dana whitfeld": a surname misspelt, asked about
        start = joined.start() + len(" ".join(parts[:cut]))
        rest = said[start : joined.end()].strip()
        return part, rest, leads[0] if len(leads) == 1 else None
    return ref, words, None


def send_sms(ctx: Ctx) -> Plan:
    intent = ctx.intent
    if intent.slots.get("received"):
        return (yield from _received(ctx, "sms"))
    ref, message, lead = yield from _name_then_words(
        ctx, intent.slots.get("ref") or LeadRef(), intent.slots.get("message")
    )
    if lead is None:
        lead = yield from find_lead(ctx, ref, purpose="should I text")
    name = replies.lead_short(lead)
    if not lead.get("phone"):
        alt = (
            f" I could email {_first(lead)} instead ({lead['email']})." if lead.get("email") else ""
        )
        return Reply(
            f"**{name}** has no phone number on file, so I can't text {_first(lead)}.{alt}"
        )
    typed: str | None = intent.slots.get("phone")
    if typed and digits(typed)[-10:] != digits(str(lead["phone"]))[-10:]:
        # The text goes to the number on file: never one the person did not see on the card.
        return Reply(
            f"The number on file for **{name}** is {lead['phone']}, not {typed}, and a text "
            f"goes only to the number on file, so I haven't sent anything. To use {typed}, "
            f"update it first (“update {_first(lead)}'s phone to {typed}”), then ask again."
        )
    if not message:
        topic = intent.slots.get("topic")  # "text dana the new pricing": what about, not the text
        about = f" about “{topic}”" if topic else ""
        message = _words_to_send(
            ctx, "sms:message", f"What should the text to {lead.get('name')}{about} say?"
        )
    message = message[:MAX_SMS]  # the person's words, as written
    say = sms_preview(str(lead.get("name")), str(lead["phone"]), message)
    result: Result = yield from one_with_say(
        "send_sms", say, {"lead_id": lead["id"], "message": message}
    )
    if result.decision is None and result.is_error:
        return Reply(replies.failure(result))
    return Reply(replies.decided(result, f"Sent the text to **{lead.get('name')}**.", "the text"))


def enroll(ctx: Ctx) -> Plan:
    intent = ctx.intent
    if intent.slots.get("group"):  # one card per lead: a group is never picked one by guess
        return Reply(
            f"I enroll one lead at a time, each on its own card, so I haven't enrolled "
            f"“{intent.slots.get('group')}”. Name one lead (“enroll Jane Smith in "
            f"{intent.slots.get('sequence') or 'the nurture sequence'}”), or ask “who's at …” "
            "first."
        )
    lead = yield from find_lead(
        ctx, intent.slots.get("ref") or LeadRef(), purpose="should I enroll"
    )
    listed: Result = yield from one("list_sequences")
    if listed.is_error:
        return Reply(replies.failure(listed))
    sequence = find_sequence(
        ctx, str(intent.slots.get("sequence") or ""), listed.items("sequences")
    )
    label = replies.sequence_label(sequence)
    if sequence.get("status") and sequence["status"] != "active":
        return Reply(
            f"“{sequence.get('name')}” is {sequence['status']}, so I can't enroll anyone in "
            "it right now."
        )
    name = replies.lead_short(lead)
    say = (
        f"I'll enroll **{name}** in **{label}**. Its emails and texts then go out "
        "automatically, without further review. Approve to go ahead, or cancel."
    )
    result: Result = yield from one_with_say(
        "enroll_in_sequence", say, {"sequence_id": sequence["id"], "lead_id": lead["id"]}
    )
    if result.decision is None and result.is_error:
        return Reply(replies.failure(result))
    if result.decision == "failed" and "already" in result.content.lower():
        return Reply(
            f"**{lead.get('name')}** is already enrolled in “{sequence.get('name')}”, so nothing"
            f" changed."
        )
    return Reply(
        replies.decided(
            result,
            f"Enrolled **{lead.get('name')}** in “{sequence.get('name')}”.",
            "the enrollment",
        )
    )
