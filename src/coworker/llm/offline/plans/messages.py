"""Outbound plans: email, SMS, enrolling in a sequence; and what was sent, mailboxes, sequences.

Everything here reaches a person outside, so the text before each call states exactly what
will go out and to whom; the confirmation card then shows the same payload. After the
decision the plan is replayed and reports how it ended.
"""

from __future__ import annotations

import re
from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Clock, Result
from coworker.llm.offline.engine import Call as ToolCall
from coworker.llm.offline.engine import Option, Plan, Reply, Stop, gated, many, one
from coworker.llm.offline.intents import body_text, subject_from_body
from coworker.llm.offline.pick import find_sequence, pick_mailbox
from coworker.llm.offline.resolve import (
    Ctx,
    ask_text,
    choose,
    find_lead,
)
from coworker.llm.offline.slots import LeadRef

MAX_SMS = 1600
MAX_BODY = 20_000
_ANSWER_LEAD_IN = re.compile(
    r"^(?:(?:please\s+)?(?:say|tell (?:her|him|them)|let (?:her|him|them) know|write|just say|"
    r"it should say|say that|tell (?:her|him|them) that|ask (?:her|him|them)|text|message)\b\s*"
    r"(?:that\s+)?:?\s*)",
    re.I,
)


def body_from_answer(answer: str) -> str:
    """The answer to "what should it say?", as the text to send."""
    text = answer.strip().strip('"').strip()
    m = _ANSWER_LEAD_IN.match(text)
    if m:
        return body_text(m.group(0), text[m.end() :])
    return text[:1].upper() + text[1:]


def _first(lead: dict[str, Any]) -> str:
    return str(lead.get("name") or "them").split()[0]


def send_email(ctx: Ctx) -> Plan:  # noqa: C901 - the mailbox branch adds a few steps
    intent = ctx.intent
    to_email: str | None = intent.get("to_email")
    lead: dict[str, Any] | None = None
    if to_email:
        found: Result = yield from one("search_leads", search=to_email)
        same = [
            x for x in found.items("leads") if str(x.get("email", "")).lower() == to_email.lower()
        ]
        lead = same[0] if len(same) == 1 else None
    else:
        lead = yield from find_lead(ctx, intent.get("ref") or LeadRef(), purpose="should I email")
        if not lead.get("email"):
            return Reply(
                f"**{replies.lead_short(lead)}** has no email address on file, so I can't "
                f"email {_first(lead)}. Tell me their address (“update {_first(lead)}'s "
                f"email to …”) and ask again."
                + (f" I could text them instead ({lead['phone']})." if lead.get("phone") else "")
            )
        to_email = str(lead["email"])
    who = f"**{lead['name']}** <{to_email}>" if lead else f"<{to_email}>"
    subject: str | None = intent.get("subject")
    body: str | None = intent.get("body")
    if not body:
        about = f" about “{subject}”" if subject else ""
        answer = ask_text(
            ctx,
            "email:body",
            f"What should the email to {lead['name'] if lead else to_email}{about} say?",
        )
        body = body_from_answer(answer)
    body = body[:MAX_BODY]
    subject = (subject or subject_from_body(body))[:300]
    arguments: dict[str, Any] = {"subject": subject, "body_text": body}
    if lead:
        arguments["lead_id"] = lead["id"]
    else:
        arguments["to_email"] = to_email
    wanted_box: str | None = intent.get("mailbox")
    box: dict[str, Any] | None = None
    if wanted_box:
        accounts_result: Result = yield from one("list_email_accounts")
        accounts = accounts_result.items("email_accounts")
        box = pick_mailbox(accounts, wanted_box) or _ask_mailbox(
            ctx, accounts, f"I couldn't tell which mailbox “{wanted_box}” is."
        )
        arguments["email_account_id"] = box["id"]
    say = _email_preview(who, subject, body, box)
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
            "send_email", _email_preview(who, subject, body, box), arguments
        )
    if result.decision is None and result.is_error:
        return Reply(replies.failure(result))
    name = lead["name"] if lead else to_email
    sent = (result.record("email") or {}).get("subject") or subject  # the person's edits
    return Reply(replies.decided(result, f"Sent the email “{sent}” to **{name}**.", "the email"))


def one_with_say(tool: str, say: str, arguments: dict[str, Any]) -> Any:
    """A call that waits for approval (proposed afresh if it went stale: `gated`)."""
    return (yield from gated(tool, say, **arguments))


def _ask_mailbox(ctx: Ctx, accounts: list[dict[str, Any]], why: str) -> dict[str, Any]:
    if not accounts:
        raise Stop(Reply("You have no mailbox connected to Dialsheet, so I can't send email."))
    options = [
        Option(str(a["id"]), f"{a.get('email')}" + (" (default)" if a.get("is_default") else ""), a)
        for a in accounts
    ]
    return choose(
        ctx,
        "mailbox",
        f"{why} Which one should I send from?\n\n" + replies.numbered([o.label for o in options]),
        options,
    )


def _email_preview(who: str, subject: str, body: str, box: dict[str, Any] | None) -> str:
    sender = f" from {box['email']}" if box else ""
    return (
        f"Here's the email I'll send to {who}{sender}:\n\n**Subject:** {subject}\n\n"
        f"{replies.quote(body)}\n\nApprove it to send, edit it, or cancel."
    )


def send_sms(ctx: Ctx) -> Plan:
    intent = ctx.intent
    lead = yield from find_lead(ctx, intent.get("ref") or LeadRef(), purpose="should I text")
    name = replies.lead_short(lead)
    if not lead.get("phone"):
        alt = (
            f" I could email {_first(lead)} instead ({lead['email']})." if lead.get("email") else ""
        )
        return Reply(
            f"**{name}** has no phone number on file, so I can't text {_first(lead)}.{alt}"
        )
    message: str | None = intent.get("message")
    if not message:
        message = body_from_answer(
            ask_text(ctx, "sms:message", f"What should the text to {lead.get('name')} say?")
        )
    message = message[:MAX_SMS]  # the person's words, as written
    say = (
        f"Here's the text I'll send to **{lead.get('name')}** ({lead['phone']}):\n\n"
        f"{replies.quote(message)}\n\nApprove it to send, edit it, or cancel."
    )
    result: Result = yield from one_with_say(
        "send_sms", say, {"lead_id": lead["id"], "message": message}
    )
    if result.decision is None and result.is_error:
        return Reply(replies.failure(result))
    return Reply(replies.decided(result, f"Sent the text to **{lead.get('name')}**.", "the text"))


def enroll(ctx: Ctx) -> Plan:
    intent = ctx.intent
    lead = yield from find_lead(ctx, intent.get("ref") or LeadRef(), purpose="should I enroll")
    listed: Result = yield from one("list_sequences")
    if listed.is_error:
        return Reply(replies.failure(listed))
    sequence = find_sequence(ctx, str(intent.get("sequence") or ""), listed.items("sequences"))
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


def list_sent(ctx: Ctx) -> Plan:
    intent = ctx.intent
    ref: LeadRef = intent.get("ref") or LeadRef()
    channel: str = intent.get("channel") or "both"
    lead: dict[str, Any] | None = None
    filters: dict[str, Any] = {"limit": 10}
    if not ref.empty:
        lead = yield from find_lead(ctx, ref, purpose="do you mean")
        filters = {"lead_id": lead["id"]}
    calls = []
    if channel in ("both", "email"):
        calls.append(ToolCall("list_emails", dict(filters)))
    if channel in ("both", "sms"):
        calls.append(ToolCall("list_sms", dict(filters)))
    results = yield from many(calls)
    parts: list[str] = []
    who = f" to **{replies.lead_short(lead)}**" if lead else ""
    for result in results:
        if result.is_error:
            parts.append(replies.failure(result))
            continue
        emails = result.name == "list_emails"
        sent = result.items("emails" if emails else "sms")
        total = int((result.data or {}).get("total") or len(sent))
        if not sent:
            parts.append(f"No {'emails' if emails else 'texts'} sent{who}.")
            continue
        lines = [
            _sent_line(item, emails=emails, to_whom=lead is None, clock=ctx.clock)
            for item in sent[:10]
        ]
        parts.append(
            f"{'Emails' if emails else 'Texts'}{who} ({total}):\n" + replies.bullets(lines)
        )
    return Reply("\n\n".join(parts))


def _sent_line(item: dict[str, Any], *, emails: bool, to_whom: bool, clock: Clock) -> str:
    """One sent email or text: when, to whom (unless the list is one lead's), what it said."""
    when = replies.when(item.get("sent_at"), clock)
    if emails:
        to = f" → {item.get('to_email')}" if to_whom else ""
        return f"{when}: **{item.get('subject')}**{to} — {replies._cut(item.get('body_text'), 90)}"
    to = f" → {item.get('to_phone')}" if to_whom else ""
    return f"{when}{to}: {replies._cut(item.get('message'), 120)}"


def list_mailboxes(ctx: Ctx) -> Plan:
    result: Result = yield from one("list_email_accounts")
    if result.is_error:
        return Reply(replies.failure(result))
    accounts = result.items("email_accounts")
    if not accounts:
        return Reply("You have no mailboxes connected.")
    lines = [
        f"{a.get('email')}"
        + (f" ({a.get('display_name')})" if a.get("display_name") else "")
        + (f" · {str(a['provider']).capitalize()}" if a.get("provider") else "")
        + (" — **default**" if a.get("is_default") else "")
        for a in accounts
    ]
    return Reply("You can send from:\n\n" + replies.bullets(lines))


def list_sequences(ctx: Ctx) -> Plan:
    result: Result = yield from one("list_sequences")
    if result.is_error:
        return Reply(replies.failure(result))
    sequences = result.items("sequences")
    if not sequences:
        return Reply("There are no sequences yet.")
    return Reply(
        "Your sequences:\n\n"
        + replies.bullets([replies.sequence_label(s) for s in sequences])
        + "\n\nSay “enroll Jane Smith in <sequence>” to add a lead."
    )
