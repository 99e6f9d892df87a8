"""What the person reads: tool results turned into brief Markdown, in their timezone.

Replies say what was done or found in a sentence or a short list, never show ids, and put
times in the person's timezone ("today 15:00", "Fri 27 Nov"). Everything shown comes from a
tool result of this conversation.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from coworker.dialsheet.contract import parse_day
from coworker.dialsheet.words import enum_codes, inline, word
from coworker.llm.offline.conversation import Clock, Result, rejection_reason, stale_change
from coworker.llm.offline.slots import LeadRef

Record = dict[str, Any]
LIST_LIMIT = 10

# The words for stages and call outcomes inside a sentence, from the one table of them.
STAGE_NAMES = {code: inline(code) for code in enum_codes("OpportunityStage")}
OUTCOME_NAMES = {code: inline(code) for code in enum_codes("CallOutcome")}
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


# --------------------------------------------------------------------------- small pieces


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def when(value: Any, clock: Clock, *, with_time: bool = True) -> str:
    """A moment as the person says it: "today 15:00", "tomorrow 09:00", "Fri 27 Nov"."""
    moment = parse_time(value)
    if moment is None:
        return ""
    local = moment.astimezone(clock.zone)
    today = clock.now.date()
    delta = (local.date() - today).days
    if delta == 0:
        day = "today"
    elif delta == 1:
        day = "tomorrow"
    elif delta == -1:
        day = "yesterday"
    elif 1 < delta < 7:
        day = local.strftime("%a")
    else:
        day = f"{local.strftime('%a')} {local.day} {local.strftime('%b')}"
        if local.year != today.year:
            day += f" {local.year}"
    return f"{day} {local:%H:%M}" if with_time else day


def day_label(value: Any, clock: Clock | None = None) -> str:
    day = parse_day(value)
    if day is None:
        return ""
    if clock is not None:
        delta = (day - clock.now.date()).days
        if delta == 0:
            return "today"
        if delta == 1:
            return "tomorrow"
        if 1 < delta < 7:
            return day.strftime("%A")
        if day.year == clock.now.year or 0 < delta < 180:
            return f"{day.day} {day.strftime('%b')}"
    return f"{day.day} {day.strftime('%b')} {day.year}"


def money(value: Any, currency: Any = "USD") -> str:
    try:
        amount = float(value)
    except (TypeError, ValueError):
        return ""
    code = str(currency or "USD").upper()
    text = f"{amount:,.0f}" if amount == int(amount) else f"{amount:,.2f}"
    symbol = SYMBOLS.get(code)
    return f"{symbol}{text}" if symbol else f"{text} {code}"


def numbered(labels: list[str]) -> str:
    return "\n".join(f"{i}. {label}" for i, label in enumerate(labels, 1))


def bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.strip().splitlines())


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def lead_label(lead: Record) -> str:
    """Name (company, title): enough to tell two leads apart in a question."""
    name = str(lead.get("name") or "(no name)")
    extra = [str(lead[k]) for k in ("company", "title") if lead.get(k)]
    return f"{name} ({', '.join(extra)})" if extra else name


def lead_short(lead: Record) -> str:
    """Name (company): how a reply names the lead it acted on."""
    name = str(lead.get("name") or "(no name)")
    return f"{name} ({lead['company']})" if lead.get("company") else name


def lead_line(lead: Record) -> str:
    parts = [f"**{lead.get('name') or '(no name)'}**"]
    org = ", ".join(str(lead[k]) for k in ("title", "company") if lead.get(k))
    if org:
        parts[0] += f" — {org}"
    contact = [str(lead[k]) for k in ("email", "phone") if lead.get(k)]
    if lead.get("status"):
        contact.insert(0, word(lead["status"]))
    return parts[0] + (" · " + " · ".join(contact) if contact else "")


def task_label(task: Record, clock: Clock) -> str:
    text = str(task.get("title") or "(untitled)")
    due = when(task.get("due_date"), clock)
    if due:
        text += f" — due {due}"
    if task.get("priority") == "high":
        text += " (high)"
    return text


def deal_label(deal: Record) -> str:
    parts = [str(deal.get("name") or "(unnamed deal)")]
    value = money(deal.get("value"), deal.get("currency"))
    if value:
        parts.append(value)
    if deal.get("stage"):
        parts.append(STAGE_NAMES.get(str(deal["stage"]), str(deal["stage"])))
    return " — ".join(parts[:1]) + (" · " + " · ".join(parts[1:]) if len(parts) > 1 else "")


def sequence_label(sequence: Record) -> str:
    text = str(sequence.get("name") or "(unnamed)")
    if sequence.get("step_count") and "step" not in text.lower():
        text += f" ({plural(int(sequence['step_count']), 'step')})"
    if sequence.get("status") and sequence["status"] != "active":
        text += f" — {inline(sequence['status'])}"
    return text


def _cut(text: Any, limit: int = 160) -> str:
    value = re.sub(r"\s+", " ", str(text or "")).strip()
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- failures


def not_logged(reason: str) -> str:
    """Words said as the reason for a request, which were not written down as a note."""
    return f"(I took “{_cut(reason)}” as the reason, not as a note to log.)"


def not_acted(context: str) -> str:
    """Words said before a request and taken as context, which named a day or a time."""
    return f"(I took “{_cut(context)}” as context, not as a request: say so if it was one.)"


def failure(result: Result) -> str:
    """A failed call, explained to the person (the CRM's own words, minus hints for a model)."""
    text = result.content.strip()
    if result.decision == "rejected":
        return "You cancelled it, so nothing was done."
    if "API key" in text:
        return "The CRM rejected your Dialsheet API key. Please reconnect your key and try again."
    if "unavailable" in text or "no answer from the CRM" in text:
        return (
            "The CRM isn't answering right now, so nothing was changed. Please try again shortly."
        )
    text = re.sub(
        r"\s*(?:Fix the input.*|Check the id:.*|Look the record up.*|Expected input:.*)$",
        "",
        text,
        flags=re.S,
    )
    text = re.sub(r"^\w+ (?:failed|was rejected by the CRM): ", "", text)
    text = re.sub(r"\s*\(HTTP \d+\)\.?", "", text)
    return f"That didn't work: {_cut(text, 300)}"


def no_lead(ref: LeadRef) -> str:
    return (
        f"I couldn't find a lead matching “{ref.describe()}”. Check the spelling, or say "
        f"“add a lead {ref.text or 'Name'} …” to create one."
    )


# --------------------------------------------------------------------------- leads


def lead_list(leads: list[Record], total: int, heading: str) -> str:
    if not leads:
        return heading
    shown = leads[:LIST_LIMIT]
    text = heading + "\n\n" + bullets([lead_line(lead) for lead in shown])
    more = max(total, len(leads)) - len(shown)
    if more > 0:
        text += f"\n\n…and {more} more."
    return text


def lead_details(lead: Record, clock: Clock, field: str | None = None) -> str:
    name = str(lead.get("name") or "This lead")
    if field:
        value = lead.get(field)
        label = {
            "email": "email",
            "phone": "phone number",
            "title": "title",
            "company": "company",
            "name": "name",
            "source": "source",
        }.get(field, field)
        if field == "tags":  # a list: "Tariq Walker's tags: hot, renewal."
            tags = ", ".join(f"`{t}`" for t in value or [])
            return f"{name}'s tags: {tags}." if tags else f"{name} has no tags."
        if value:
            return f"{name}'s {label} is **{value}**."
        return f"{name} has no {label} on file."
    org = ", ".join(str(lead[k]) for k in ("title", "company") if lead.get(k))
    lines = [f"**{name}**" + (f" — {org}" if org else "")]
    facts = []
    if lead.get("status"):
        facts.append(f"Status: {word(lead['status'])}")
    if lead.get("email"):
        facts.append(f"Email: {lead['email']}")
    facts.append(f"Phone: {lead['phone']}" if lead.get("phone") else "Phone: none on file")
    if lead.get("tags"):
        facts.append("Tags: " + ", ".join(str(t) for t in lead["tags"]))
    if lead.get("source"):
        facts.append(f"Source: {word(lead['source'])}")
    lines.append(" · ".join(facts))
    notes = [n for n in lead.get("recent_notes") or [] if isinstance(n, dict)]
    if notes:
        lines.append("\n**Recent notes**")
        for note in notes[:3]:
            outcome = (
                f" ({OUTCOME_NAMES.get(str(note.get('outcome')), note.get('outcome'))})"
                if note.get("outcome")
                else ""
            )
            lines.append(
                f"- {when(note.get('created_at'), clock, with_time=False)}:"
                f" {_cut(note.get('content'))}{outcome}"
            )
    tasks = [t for t in lead.get("open_tasks") or [] if isinstance(t, dict)]
    if tasks:
        lines.append("\n**Open tasks**")
        lines.extend(f"- {task_label(t, clock)}" for t in tasks[:5])
    calls = [c for c in lead.get("recent_calls") or [] if isinstance(c, dict)]
    if calls:
        lines.append("\n**Recent calls**")
        lines.extend(f"- {call_line(c, clock)}" for c in calls[:3])
    deals = [d for d in lead.get("opportunities") or [] if isinstance(d, dict)]
    if deals:
        lines.append("\n**Deals**")
        lines.extend(f"- {deal_label(d)}" for d in deals[:5])
    if not (notes or tasks or calls or deals):
        lines.append("\nNo notes, open tasks, calls or deals yet.")
    return "\n".join(lines)


def call_line(call: Record, clock: Clock, who: str | None = None) -> str:
    parts = [when(call.get("started_at"), clock)]
    if who:
        parts.append(who)
    parts.append(str(call.get("direction") or "call"))
    if call.get("outcome"):
        parts.append(OUTCOME_NAMES.get(str(call["outcome"]), str(call["outcome"])))
    seconds = int(call.get("duration_seconds") or 0)
    if seconds:
        parts.append(f"{max(1, round(seconds / 60))} min")
    text = ", ".join(p for p in parts if p)
    if call.get("summary"):
        text += f" — {_cut(call['summary'], 140)}"
    return text


# --------------------------------------------------------------------------- tasks


def due_day(task: Record, clock: Clock) -> date | None:
    """The day a task is due in the person's timezone: "due today" and "overdue" in a request
    go by this day, while a list's buckets also look at the hour."""
    moment = parse_time(task.get("due_date"))
    return None if moment is None else moment.astimezone(clock.zone).date()


def due_bucket(task: Record, clock: Clock) -> str:
    moment = parse_time(task.get("due_date"))
    day = due_day(task, clock)
    if moment is None or day is None:
        return "undated"
    today = clock.now.date()
    if moment < clock.now:  # due before now, in the person's timezone: 15:00 is late at 16:06
        return "overdue"
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    if day < today + timedelta(days=7):
        return "week"
    return "later"


def task_list(tasks: list[Record], clock: Clock, heading: str, empty: str) -> str:
    if not tasks:
        return empty
    shown = tasks[: LIST_LIMIT + 5]
    text = heading + "\n\n" + bullets([task_label(t, clock) for t in shown])
    if len(tasks) > len(shown):
        text += f"\n\n…and {len(tasks) - len(shown)} more."
    return text


# --------------------------------------------------------------------------- outcomes


def decided(result: Result, done: str, what: str) -> str:
    """The sentence after a gated action was decided: done, cancelled, expired, failed."""
    if result.decision == "approved":
        return done
    if result.decision == "rejected":
        reason = rejection_reason(result)
        said = f" (your reason: “{reason}”)" if reason else ""
        return (
            f"OK — you cancelled it{said}, so {what} was **not** done. Tell me if you'd like to "
            "change anything and try again."
        )
    if result.decision == "expired":
        return (
            f"The approval request expired, so {what} was **not** done. Ask me again if it still "
            "matters."
        )
    if result.decision == "superseded":
        return f"You moved on before approving, so {what} was **not** done."
    if result.decision == "unknown":
        return (
            f"I couldn't confirm whether {what} happened: the CRM didn't answer in time. I did "
            "**not** retry; please check before trying again."
        )
    if result.decision == "stale":
        return (
            f"{stale_change(result) or 'What it would act on changed since you saw the card.'}"
            f" So {what} was **not** done. Ask me again if you still want it."
        )
    if result.decision == "failed":
        reason = re.sub(
            r"^.*?(?:It failed and nothing was done|It was NOT run):\s*",
            "",
            result.content,
            flags=re.S,
        )
        return f"{capital(what)} failed and nothing was done: {_cut(failure_text(reason), 300)}"
    if result.is_error:
        return failure(result)
    return done


def failure_text(text: str) -> str:
    text = re.sub(
        r"\s*(?:Fix the input.*|Check the id:.*|Expected input:.*)$", "", text, flags=re.S
    )
    return re.sub(r"\s*\(HTTP \d+\)\.?", "", text).strip()


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def generic(results: list[Result]) -> str:
    """A reply for results this interpreter did not plan (another model started the work)."""
    if not results:
        return "Done."
    last = results[-1]
    if last.is_error or last.decision not in (None, "approved"):
        return decided(last, "Done.", "that")
    return f"Done ({last.name.replace('_', ' ')})."
