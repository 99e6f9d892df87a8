"""What the person already sent, asked in Slack shorthand ("emails i sent this wk", "what
did i send jane"): a question about the history, not a send, so it is read apart from the
send readers, with the periods the plans resolve to dates.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I, Intent, make_intent
from coworker.llm.offline.intents.lead_field_names import named
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
# "the last email thread w jane": the thread is the messages
_THREAD = r"(?:(?:thread|chain|convo|conversation|exchange)s?\s+)?"
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


# "what did i last email marcus about", "what'd we last send deepa king", "when did i last
# text jane", "last thing i sent deepa king", "whats the last email i sent to gabriel": the
# newest message to one lead.
_LAST_SENT = re.compile(
    rf"^(?:what|when|wat|wht)\s*(?:did|'d|d|have|was)?\s+(?:i|we)\s+(?:last|most recently)\s+"
    rf"(?P<verb>{_SENT_VERB})\s+(?:to\s+)?(?P<who>.+?)(?:\s+(?:about|re|for))?$|"
    rf"^when\s+(?:was|is)\s+the\s+last\s+time\s+(?:i|we)\s+(?P<verb3>{_SENT_VERB}|sent|e-?mailed)\s+"
    rf"(?:(?:anything|something)\s+)?(?:to\s+)?(?P<who3>.+?)$|"
    rf"^(?:(?:what|when)(?:'s|s|\s+is|\s+was)\s+)?(?:the\s+|my\s+|our\s+)?(?:very\s+)?"
    rf"(?:last|latest|most recent|newest)\s+(?P<item>thing|{_SENT_ITEM})\s+{_THREAD}(?:(?:i|we)\s+"
    rf"(?P<verb2>{_SENT_VERB})\s+)?(?:to|for|w/?|with)?\s*(?P<who2>.+?)(?:\s+(?:about|re))?$",
    I,
)
# "when did i last email noah n what was it": the second question asks for the message the
# answer shows anyway.
_AND_WHAT = re.compile(
    r"\s*(?:[,;?+&]|\s-\s|\s(?:and|n|plus)\s)\s*(?:what|when|how|which|wat)\b.*$", I
)
# "did i already email gabriel allen the pricing", "have i emailed deepa yet", "did we send
# the pricing to gabriel allen": whether something was sent, and what.
_ALREADY = re.compile(
    rf"^(?:did|have|has|had)\s+(?:i|we)\s+(?:already\s+|ever\s+|actually\s+)?"
    rf"(?P<verb>{_SENT_VERB}|e-?mailed|sent)\s+(?P<rest>.+)$",
    I,
)
# "did gabriel allen get the pricing from me": the same question, asked of the lead.
_GOT_FROM_ME = re.compile(
    r"^(?:did|has|have)\s+(?P<who>.+?)\s+(?:get|got|gotten|receive|received)\s+(?P<what>.+?)"
    r"\s+from\s+(?:me|us)(?:\s+(?:yet|already))?$",
    I,
)
_WHEN_WORDS = re.compile(r"(?:\s+(?:already|yet|before|ever|over|out|at all|or not))+$", I)
# Words that open what was sent, after whom it was sent to ("gabriel allen the pricing").
_THING = re.compile(
    r"\s+(?=(?:the|a|an|our|my|that|this|those|these|any|anything|his|her|their|some)\b)", I
)
_TOPIC_FILLER = re.compile(r"^(?:the|a|an|our|my|that|this|those|these|his|her|their|some)\s+", I)


def sent_question_request(u: Utterance, cmd: str) -> Intent | None:
    """A question about what was sent to one lead: the newest message ("what did i last email
    marcus about") or whether something was ("did i already email gabriel allen the
    pricing?"). Read before the send readers: the words of a send are all in it, and it
    sends nothing."""
    text = normalise(cmd).text.strip(" ?!.")
    if _PERIOD.search(text):
        return None  # "did i text luis yday": what was sent in that period (`sent_request`)
    last = _LAST_SENT.match(_AND_WHAT.sub("", text)) or _LAST_SENT.match(text)
    if last:
        who = (last["who"] or last["who2"] or last["who3"] or "").strip()
        verb = " ".join(last[g] or "" for g in ("verb", "verb2", "verb3", "item"))
        ref = lead_ref(who)
        if ref.empty or not _names_someone(who):
            return None
        return make_intent("list_sent", ref=ref, channel=_channel(verb), latest=True)
    got = _GOT_FROM_ME.match(text)
    if got and _names_someone(got["who"]):
        what = _TOPIC_FILLER.sub("", _WHEN_WORDS.sub("", got["what"])).strip()
        return make_intent(
            "list_sent", ref=lead_ref(got["who"]), channel="both", already=True, topic=what
        )
    already = _ALREADY.match(_AND_WHAT.sub("", text))  # "…? what did i send": the answer shows it
    if not already:
        return None
    rest = _WHEN_WORDS.sub("", already["rest"]).strip()
    topic: str | None = None
    to = re.match(r"^(?P<what>.+?)\s+(?:to|over to|across to)\s+(?P<who>.+)$", rest, I)
    if to and not _names_someone(to["what"]):
        who, topic = to["who"], to["what"]
    else:
        parts = _THING.split(rest, maxsplit=1)
        who = parts[0]
        topic = parts[1] if len(parts) > 1 else None
        if topic is None and not _names_someone(who):
            words = who.split()  # "gabriel allen pricing": a name, then what was sent
            cut = next(
                (n for n in (3, 2, 1) if n < len(words) and _names_someone(" ".join(words[:n]))), 0
            )
            if not cut:
                return None
            who, topic = " ".join(words[:cut]), " ".join(words[cut:])
    if re.search(r"[:\"“]", rest) or not _names_someone(who):
        return None  # it carries a message, or names nobody
    if topic and re.fullmatch(
        r"(?:anything|any\s+\w+|something|an?\s+(?:email|text|message))", topic, I
    ):
        topic = None
    return make_intent(
        "list_sent",
        ref=lead_ref(who),
        channel=_channel(already["verb"]),
        already=True,
        topic=_TOPIC_FILLER.sub("", topic).strip() if topic else None,
    )


def _channel(words: str) -> str:
    if re.search(r"mail", words, I):
        return "email"
    if re.search(r"\b(?:texts?|texted|sms(?:es)?|msgs?)\b", words, I):
        return "sms"
    return "both"


def _names_someone(words: str) -> bool:
    ref = lead_ref(words.strip())
    return bool(ref.pronoun or named(words.strip()))
