"""New words for the message waiting on its card ("actually make it: see u at 3:30").

The same message to the same person is proposed again with the person's new words, and the
new card replaces the open one (the gate supersedes a second proposal for the same thing),
so only the words the person last saw can be approved. Nothing else of the card changes:
recipient, mailbox and, for an email, the subject or body the person did not revise.
"""

from __future__ import annotations

import re
from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.engine import Call, Plan, Reply, one
from coworker.llm.offline.intents import subject_from_body
from coworker.llm.offline.plans.messages import (
    MAX_BODY,
    MAX_SMS,
    email_preview,
    one_with_say,
    sms_preview,
)
from coworker.llm.offline.resolve import Ctx

NOTHING_WAITING = (
    "There's no message waiting for your approval that I could change. Tell me who to text "
    "or email and what it should say."
)


def revise_message(ctx: Ctx, pending: Call | None, _shown: str = "") -> Plan:
    """The waiting email or text (`pending`), offered again with the new words."""
    words: str = ctx.intent.slots.get("text") or ""
    subject: str = ctx.intent.slots.get("subject") or ""
    if pending is not None and ctx.intent.slots.get("rewrite"):
        return Reply(_unchanged(pending))
    if pending is not None and ctx.intent.slots.get("unclear"):
        return Reply(_which_words(pending))
    if pending is not None and pending.name == "send_sms" and words:
        return (yield from _revised_sms(pending, words))
    if pending is not None and pending.name == "send_email":
        return (yield from _revised_email(ctx, pending, words, subject))
    if pending is not None and pending.name == "send_sms":  # a subject for a text
        return Reply("A text has no subject. Tell me the new words for it instead.")
    return Reply(NOTHING_WAITING)


def _unchanged(pending: Call) -> str:
    """A rewrite the offline model can't make: said plainly, so a later approve is never
    taken for the rewrite asked."""
    key, what = ("body_text", "email") if pending.name == "send_email" else ("message", "text")
    return (
        f"I can't rewrite it myself, so the {what} is unchanged: the card still says\n\n"
        f"{replies.quote(str(pending.input.get(key) or ''))}\n\nApproving it sends exactly "
        "that. Edit it on the card, tell me the new words (“make it: …”), or cancel it."
    )


def _which_words(pending: Call) -> str:
    """A new day or time whose place in the words is unclear: asked, never guessed, and the
    card said to be unchanged so a later approve is not taken for the revision."""
    key, what = ("body_text", "email") if pending.name == "send_email" else ("message", "text")
    return (
        f"Which words should change? I couldn't tell which day or time in the {what} you "
        f"meant, so the card still says\n\n{replies.quote(str(pending.input.get(key) or ''))}"
        "\n\nApproving it sends exactly that. Tell me the new words (“make it: …”), edit it on "
        "the card, or cancel it."
    )


def revise_plain(ctx: Ctx) -> Plan:
    return revise_message(ctx, None)


def _revised_sms(pending: Call, words: str) -> Plan:
    found: Result = yield from one("get_lead", lead_id=pending.input["lead_id"])
    lead = found.record("lead") or {}
    if found.is_error or not lead.get("phone"):
        return Reply(replies.failure(found) if found.is_error else "That lead has no phone now.")
    message = words[:MAX_SMS]
    name = str(lead.get("name") or "them")
    say = sms_preview(name, str(lead["phone"]), message)
    result: Result = yield from one_with_say("send_sms", say, {**pending.input, "message": message})
    if result.decision is None and result.is_error:
        return Reply(replies.failure(result))
    return Reply(replies.decided(result, f"Sent the text to **{name}**.", "the text"))


def _revised_email(ctx: Ctx, pending: Call, words: str, subject: str) -> Plan:
    arguments: dict[str, Any] = dict(pending.input)
    if words:
        derived = arguments.get("subject") == subject_from_body(str(arguments.get("body_text")))
        arguments["body_text"] = words[:MAX_BODY]
        if derived:  # a subject made from the old words is made again from the new ones
            arguments["subject"] = subject_from_body(arguments["body_text"])[:300]
    if subject:
        arguments["subject"] = subject[:300]
    box: dict[str, Any] | None = None
    if arguments.get("email_account_id"):
        listed: Result = yield from one("list_email_accounts")
        wanted = arguments["email_account_id"]
        box = next((a for a in listed.items("email_accounts") if a.get("id") == wanted), None)
    lead_id = str(arguments.get("lead_id") or "")
    name = ctx.memory.lead_name(lead_id) or str(arguments.get("to_email") or "them")
    to = str(arguments.get("to_email") or "")
    who = f"**{name}**" + (f" <{to}>" if to and to != name else "")
    say = email_preview(
        who, str(arguments.get("subject") or ""), str(arguments.get("body_text") or ""), box
    )
    result: Result = yield from one_with_say("send_email", say, arguments)
    if result.decision is None and result.is_error:
        return Reply(replies.failure(result))
    sent = (result.record("email") or {}).get("subject") or arguments.get("subject")
    return Reply(replies.decided(result, f"Sent the email “{sent}” to **{name}**.", "the email"))


# "actually make it 3pm not 2", "sorry, thursday not friday": one value of the waiting words
_INSTEAD = re.compile(
    r"^(?:(?:actually|no|nah|sorry|oops|wait|ugh|my bad)[\s,.!-]+)*(?:(?:make it|change it to|"
    r"it'?s|its|should be|i meant|meant)\s+)?(?P<new>[\w:$.,/-]+(?:\s?(?:am|pm|k))?)\s*,?\s*"
    r"(?:not|instead of)\s+(?P<old>[\w:$.,/-]+(?:\s?(?:am|pm|k))?)[\s.!]*$",
    re.I,
)


def substituted(pending: Call | None, said: str) -> str | None:
    """The waiting email's or text's words with the one value the person corrected ("make it
    3pm not 2"), or None: no send waits, or the old value is not there exactly once (then the
    correction is read as it would be otherwise, and never guessed into the message)."""
    if pending is None or pending.name not in ("send_email", "send_sms"):
        return None
    key = "body_text" if pending.name == "send_email" else "message"
    words = str(pending.input.get(key) or "")
    said = said.strip()
    instead = _INSTEAD.match(said)
    if instead is not None:
        old, new = instead["old"].strip(), instead["new"].strip()
        suffix = r"(?:\s?(?:am|pm))?" if old[-1:].isdigit() else ""
        found = list(re.finditer(rf"(?<![\w:]){re.escape(old)}{suffix}(?![\w:])", words, re.I))
    else:
        return None  # a day or time said alone: `revised_when`
    if len(found) != 1:
        return None
    hit = found[0]
    taken = hit.group(0)
    if new[-1:].isdigit() and taken[-2:].lower() in ("am", "pm"):
        new += taken[len(taken.rstrip("apmAPM")) :]  # "3" for "2pm": 3pm
    return words[: hit.start()] + new + words[hit.end() :]
