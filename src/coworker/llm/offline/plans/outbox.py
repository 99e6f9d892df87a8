"""Looking back at outbound messages: what was sent, from which mailboxes, which sequences.

These plans only read (list_emails, list_sms, list_email_accounts, list_sequences), so unlike
`messages` nothing here asks for approval; they share no code with sending beyond the reply
helpers, which is why they live apart.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Clock, Result
from coworker.llm.offline.engine import Call as ToolCall
from coworker.llm.offline.engine import Plan, Reply, many, one
from coworker.llm.offline.intents.sent import SENT_PERIODS
from coworker.llm.offline.resolve import Ctx, find_lead
from coworker.llm.offline.slots import LeadRef


def list_sent(ctx: Ctx) -> Plan:
    intent = ctx.intent
    ref: LeadRef = intent.slots.get("ref") or LeadRef()
    channel: str = intent.slots.get("channel") or "both"
    period: str | None = intent.slots.get("period")
    if (intent.slots.get("latest") or intent.slots.get("already")) and not ref.empty:
        return (yield from _last_sent(ctx, ref, channel))
    lead: dict[str, Any] | None = None
    # A period is read from the newest page (the outbox lists newest first, no date filter).
    filters: dict[str, Any] = {"limit": 100 if period else 10}
    if not ref.empty:
        lead = yield from find_lead(ctx, ref, purpose="do you mean")
        filters = {"lead_id": lead["id"], **({"limit": 100} if period else {})}
    calls = []
    if channel in ("both", "email"):
        calls.append(ToolCall("list_emails", dict(filters)))
    if channel in ("both", "sms"):
        calls.append(ToolCall("list_sms", dict(filters)))
    results = yield from many(calls)
    parts: list[str] = []
    who = f" to **{replies.lead_short(lead)}**" if lead else ""
    days = sent_days(period, ctx.clock) if period else None
    when = f" {period}" if period else ""
    for result in results:
        if result.is_error:
            parts.append(replies.failure(result))
            continue
        emails = result.name == "list_emails"
        sent = result.items("emails" if emails else "sms")
        total = int((result.data or {}).get("total") or len(sent))
        latest = sent[:1]
        if days is not None:
            sent = [item for item in sent if _sent_on(item, days, ctx.clock)]
            total = len(sent)
        noun = "emails" if emails else "texts"
        if not sent:
            last = (
                " The last one: "
                + _sent_line(latest[0], emails=emails, to_whom=lead is None, clock=ctx.clock)
                if latest and days is not None
                else ""
            )
            parts.append(f"No {noun} sent{who}{when}.{last}")
            continue
        lines = [
            _sent_line(item, emails=emails, to_whom=lead is None, clock=ctx.clock)
            for item in sent[:10]
        ]
        parts.append(f"{noun.capitalize()} sent{who}{when} ({total}):\n" + replies.bullets(lines))
    return Reply("\n\n".join(parts))


def _last_sent(ctx: Ctx, ref: LeadRef, channel: str) -> Plan:
    """ "what did i last email marcus about" (the newest message to the lead), "did i already
    email gabriel the pricing?" (yes or no, with the message that says so). What was sent is
    CRM text: it is quoted, never read as a request."""
    topic: str | None = ctx.intent.slots.get("topic")
    lead = yield from find_lead(ctx, ref, purpose="do you mean")
    limit = 100 if topic else 10
    calls = []
    if channel in ("both", "email"):
        calls.append(ToolCall("list_emails", {"lead_id": lead["id"], "limit": limit}))
    if channel in ("both", "sms"):
        calls.append(ToolCall("list_sms", {"lead_id": lead["id"], "limit": limit}))
    results = yield from many(calls)
    sent: list[tuple[bool, dict[str, Any]]] = []
    for result in results:
        if result.is_error:
            return Reply(replies.failure(result))
        emails = result.name == "list_emails"
        sent.extend((emails, item) for item in result.items("emails" if emails else "sms"))
    sent.sort(key=lambda pair: str(pair[1].get("sent_at") or ""), reverse=True)
    who = f"**{replies.lead_short(lead)}**"
    noun = {"email": "email", "sms": "text"}.get(channel, "message")
    asked_whether = bool(ctx.intent.slots.get("already"))
    if not sent:
        return Reply(f"{'No — n' if asked_whether else 'N'}o {noun}s sent to {who} yet.")
    if topic:
        about = [pair for pair in sent if _mentions(pair[1], topic)]
        if not about:
            last = _sent_line(sent[0][1], emails=sent[0][0], to_whom=False, clock=ctx.clock)
            return Reply(
                f"No — nothing about “{topic}” sent to {who}. The last {noun} to them: {last}"
            )
        line = _sent_line(about[0][1], emails=about[0][0], to_whom=False, clock=ctx.clock)
        return Reply(f"Yes — sent to {who}: {line}")
    line = _sent_line(sent[0][1], emails=sent[0][0], to_whom=False, clock=ctx.clock)
    if asked_whether:
        return Reply(f"Yes — the last {noun} to {who}: {line}")
    return Reply(f"The last {noun} to {who}: {line}")


# Words a topic is said with that say nothing of it ("the pricing deck we discussed").
_TOPIC_STOP = frozenset("the a an our my that this those these his her their some we you".split())


def _mentions(item: dict[str, Any], topic: str) -> bool:
    """Does a sent message carry the topic ("pricing": "Pricing for Initech")? Each word of
    the topic, by its stem (the first five letters), in the subject or the text."""
    text = " ".join(str(item.get(k) or "") for k in ("subject", "body_text", "message")).lower()
    words = [w for w in re.findall(r"[a-z0-9]+", topic.lower()) if w not in _TOPIC_STOP]
    return bool(words) and all(re.search(rf"\b{re.escape(w[:5])}", text) for w in words)


def sent_days(period: str, clock: Clock) -> tuple[date, date]:
    """The first and last day of a period the person named (`SENT_PERIODS`), in their zone."""
    today = clock.now.astimezone(clock.zone).date()
    monday = today - timedelta(days=today.weekday())
    if period == "this week":
        return monday, today
    if period == "last week":
        return monday - timedelta(days=7), monday - timedelta(days=1)
    if period == "this month":
        return today.replace(day=1), today
    first, last = SENT_PERIODS.get(period, (6, 0))
    return today - timedelta(days=first or 0), today - timedelta(days=last or 0)


def _sent_on(item: dict[str, Any], days: tuple[date, date], clock: Clock) -> bool:
    moment = replies.parse_time(item.get("sent_at"))
    if moment is None:
        return False
    return days[0] <= moment.astimezone(clock.zone).date() <= days[1]


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
