"""What the person already sent, asked in Slack shorthand ("emails i sent this wk", "what
did i send jane"): a question about the history, not a send, so it is read apart from the
send readers, with the periods the plans resolve to dates.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I, Intent, make_intent
from coworker.llm.offline.shorthand import normalise
from coworker.llm.offline.slots import LeadRef, lead_ref
from coworker.llm.offline.text import Utterance

# A period the person asks about, after shorthand ("yday", "this wk"), as days back from
# today: (first day, last day), 0 being today.
SENT_PERIODS = {
    "today": (0, 0),
    "yesterday": (1, 1),
    "this week": (None, 0),  # from Monday
    "last week": (None, None),  # the week before this one
    "this month": (None, 0),
    "recently": (6, 0),
    "lately": (6, 0),
    "the last few days": (6, 0),
    "past week": (6, 0),
    "the past week": (6, 0),
    "last 7 days": (6, 0),
}
_PERIOD = re.compile(
    r"\b(?:(?:from|in|during|over|for)\s+)?(?P<period>"
    + "|".join(sorted(map(re.escape, SENT_PERIODS), key=len, reverse=True))
    + r")\b",
    I,
)
_SENT_ITEM = r"(?:e-?mails?|mails?|texts?|sms(?:es)?|messages?|msgs?)"
_SENT_VERB = r"(?:sent|send|emailed|e-?mail|texted|text|messaged|message|mailed)"
_SENT = re.compile(
    rf"^(?:wh?at|wht|which|any|show(?:\s+me)?|list|pull up|my|all(?:\s+the)?|all my|the)?\s*"
    rf"(?:(?P<item>{_SENT_ITEM})\s+)?(?:(?:did|have|has)\s+)?(?:i|we)?\s*(?:ever\s+)?"
    rf"(?P<verb>{_SENT_VERB})\b\s*(?:out\s+)?(?P<rest>.*)$|"
    rf"^(?:any|my|show(?:\s+me)?|list|all(?:\s+my)?|the)?\s*(?P<last>(?:most\s+)?(?:last|latest|"
    rf"recent)\s+)?(?:sent\s+)?(?P<item2>{_SENT_ITEM})"
    rf"(?:\s+(?:i|we)\s+(?P<verb2>{_SENT_VERB}))?\s*(?P<rest2>(?:to|for|with|w/?)(?!\S).*|)$",
    I | re.S,
)
_NOBODY = re.compile(
    r"^(?:to\s+)?(?:anyone|anybody|people|everyone|everybody|me|out|anything|so far|"
    r"(?:any|the)?\s*(?:e-?mails?|texts?|messages?|sms))?\s*$",
    I,
)


def sent_request(u: Utterance, cmd: str) -> Intent | None:
    """What the person sent, in Slack shorthand: "emails i sent this wk", "what did i send
    jane", "texts sent today", "any emails to marcus this wk"."""
    text = normalise(cmd).text.strip(" ?!.")
    period = _PERIOD.search(text)
    if period:
        text = (text[: period.start()] + " " + text[period.end() :]).strip(" ,?!.")
        text = re.sub(r"\s+", " ", text)
    m = _SENT.match(text)
    if not m or re.search(
        r"\b(?:accounts?|accts?|mailbox(?:es)?|inbox(?:es)?|address(?:es)?|addr|settings)\b",
        text,
        I,
    ):
        return None  # "which email accts do i have": the mailboxes, not what was sent
    item = (m["item"] or m["item2"] or "").lower()
    verb = (m["verb"] or m["verb2"] or "").lower()
    asks = re.match(r"^(?:wh?at|wht|which|did|have|has|any|show|list|pull up)\b", text, I)
    if not item and not asks and not re.fullmatch(rf"\s*{_SENT_ITEM}\s*", m["rest"] or "", I):
        return None  # "text jane …", "sent jane the deck": a send or a report, not a question
    if m["item2"] is not None and not (
        verb
        or period
        or m["rest2"]
        or m["last"]
        or re.match(r"^(?:any|my|show|list|all|the|sent)\b", text, I)
    ):
        return None  # a bare "emails": not enough to be sure it asks what was sent
    rest = (m["rest"] if m["rest"] is not None else m["rest2"] or "").strip()
    rest = re.sub(r"^(?:to|for|with|w/?)\s+", "", rest, flags=I)
    if re.search(r"[:\"]", rest) or len(rest.split()) > 4:
        return None  # it carries a message: a send
    ref = LeadRef() if _NOBODY.match(rest) else lead_ref(rest)
    words = f"{item} {verb} {rest if ref.empty else ''}"
    channel = (
        "email"
        if re.search(r"mail", words, I)
        else "sms"
        if re.search(r"text|sms|msg", words, I) and "message" not in words
        else "both"
    )
    return make_intent(
        "list_sent", ref=ref, channel=channel, period=period["period"].lower() if period else None
    )
