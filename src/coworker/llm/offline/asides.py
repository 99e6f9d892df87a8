"""What a message says around its requests: the reason for one, or a slip owned up to.

"zoe moreau is a dud, no budget til 2028. mark her unqualified" asks for one change; the
first sentence is why. "ugh sorry i meant hannah watson. put phillips back to qualified and
mark watson unqualified" owns up to a slip, then says what to do. Writing such words down
(a note on Zoe) or failing the message because they are not a request would both be wrong:
they are set aside, and only lend their lead to a later "her". Only a statement before a
request that opens with its verb is set aside; a call reported in so many words ("left vm
for priya. remind me ...") is logged, as it always was.

A sentence said before the request that is no request (chit-chat, a reaction, news):
"ugh long day. anyway mark the acme fu done" is cut after it (`context_cut`) and set aside;
a bare "log it" said as a request of its own logs the statement before it
(`statements_logged`): "X went w a competitor. log it and close the opp as lost".
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from coworker.llm.offline import replies
from coworker.llm.offline.dates import find_due
from coworker.llm.offline.intents import Intent, classify
from coworker.llm.offline.intents.common import EMOJI
from coworker.llm.offline.intents.deal_news import news_deal
from coworker.llm.offline.intents.logged_notes import LOG_IT, logged_as, logged_statement
from coworker.llm.offline.intents.notes import lead_opening, name_word
from coworker.llm.offline.slots import LeadRef, name_prefix
from coworker.llm.offline.text import Utterance

# The verbs that open a request.
VERBS = (
    r"remind|tag|untag|mark|email|e-mail|text|sms|log|create|add|move|send|update|set|"
    r"schedule|put|change|enroll|open|close|delete|remove|complete|show|list|find|tell|let|"
    r"ping|make|bump|push|drop|raise|lower|unqualify|disqualify|dq|qualify|"
    r"(?:check|tick|cross) off|note that|"
    r"note (?=(?:she|he|they|her|his|their)\b)|"  # "…, tag X, and note she wants 40 seats"
    r"take\s+(?:the\s+)?[\w-]+(?:\s+tag)?\s+off|"  # "… and take smb off her": a tag off
    # "mark luis contacted. should i also move priya to qualified?": a question of its own
    r"(?:should|shd) (?:i|we)"
)
LED_BY_VERB = re.compile(
    rf"^(?:(?:please|pls|can you|could you|can u|could u|u can|you can|go ahead and)\s+)?"
    rf"(?:{VERBS})\b",
    re.I,
)
# A request verb anywhere: words that hold one are never taken for chat.
_ANY_VERB = re.compile(rf"\b(?:{VERBS})\b", re.I)
_SLIP = re.compile(
    r"^(?:(?:ugh|argh|oops|whoops|sorry|my bad|oh|wait|no|nope|actually)\b[\s,.!-]*)*"
    r"(?:i\s+)?(?:meant|mean|got the wrong|wrong (?:one|person|lead|guy|gal))\b",
    re.I,
)
_MEANT = re.compile(r"\bmeant\s+(?P<name>[a-z][\w'.-]*(?:\s+(?!not\b)[a-z][\w'.-]*)?)", re.I)
# A call or a note said in so many words: "olivia not interested, call back q3" is a call
_REPORTED = re.compile(
    r"\b(?:log|note|call|called|calls|spoke|talked|chatted|got off|met|meeting|mtg|vm|"
    r"voicemail|rang|phoned|demo|convo|conversation|heard back)\b",
    re.I,
)
# Readings a statement falls back to when it is no request: nothing, or a lookup of its words
_STATEMENT_KINDS = frozenset({"unsupported", "noise", "unknown_status", "find_leads"})
_SOMETIME = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # classify wants a now; these don't use it


def set_aside(parts: list[str]) -> tuple[list[str], list[str]]:
    """The requests to do, and what was said only as their reason or as a slip."""
    kept: list[str] = []
    aside: list[str] = []
    name: str | None = None  # the lead context named, for a later note or task naming nobody
    for index, part in enumerate(parts):
        request_follows = any(  # "marcus signed!! acme team plan is closed won": asked too
            LED_BY_VERB.match(later) or _intent_of(later).kind == "update_deal"
            for later in parts[index + 1 :]
        )
        if request_follows and not LED_BY_VERB.match(part) and only_context(part):
            aside.append(part)
            name = statement_lead(part)
        else:
            kept.append(part if name is None else _with_lead(part, name))
    return kept, aside


def statement_lead(part: str) -> str | None:
    """The lead a statement said as a reason or a slip is about ("luis is a dud": luis;
    "sorry i meant dana whitfield": dana whitfield); None for anything else."""
    if LED_BY_VERB.match(part):
        return None
    meant = _MEANT.search(part) if _SLIP.match(part) else None
    if meant:  # a slip, whether or not it reads as taking a change back on its own
        return meant["name"]
    if _intent_of(part).kind not in _STATEMENT_KINDS:
        return _done_for(part) if _intent_of(part).kind == "update_deal" else None
    return lead_opening(part) or _done_for(part) or _theirs(part)


# "dana's team wants the enterprise rollout": news about a lead's side, said by her name.
_THEIRS = re.compile(
    r"^(?P<name>[a-z][\w.-]*(?:\s+[a-z][\w.-]*)?)(?:'s|’s)\s+(?:whole\s+|new\s+)?(?:team|boss|"
    r"company|people|folks|org|side|manager|cfo|ceo|cto|coo|it team|finance team|procurement|"
    r"legal)\b",
    re.I,
)


def _theirs(part: str) -> str | None:
    said = _THEIRS.match(part.strip())
    name = said["name"] if said else ""
    return name if name and all(name_word(word) for word in name.split()) else None


# What the person did for a lead, said before a request: "sent jane smith the 40 seat quote".
_DONE_FOR = re.compile(
    r"^(?:just\s+|finally\s+)?(?:sent|emailed|texted|called|rang|pinged|met(?:\s+with)?|"
    r"heard (?:back )?from|(?:got|received|recieved)\s+(?:\S+\s+){1,4}?from)\s+(?P<rest>\S.*)$",
    re.I | re.S,
)


def _done_for(part: str) -> str | None:
    done = _DONE_FOR.match(part)
    name = name_prefix(done["rest"], max_words=2)[0] if done else ""
    return name if name and all(name_word(word) for word in name.split()) else None


# "log a note that the quote went out", after "sent jane the quote": the note is on Jane
_NOTE_THAT = re.compile(
    r"^(?P<verb>(?:log|add|make|leave|write|put)\s+(?:a\s+)?(?:quick\s+)?note)\s+(?:that|saying)\s+"
    r"(?P<what>\S.*)$",
    re.I | re.S,
)


def _with_lead(part: str, name: str) -> str:
    """A later note or task done that names no lead, about the lead the context named: "sent
    jane the quote. close out the pricing fu and log a note that it went out"."""
    intent = _intent_of(part)
    ref = intent.slots.get("ref")
    if ref is not None and not (isinstance(ref, LeadRef) and ref.empty):
        return part
    note = _NOTE_THAT.match(part) if intent.kind == "add_note" else None
    if note:
        return f"{note['verb']} on {name}: {note['what']}"
    if intent.kind == "complete_task" and intent.slots.get("phrase"):
        return f"{part} for {name}"
    return part


def not_logged(reason: str) -> bool:
    """Whether `reason`, set aside, reads as a note (so the reply says it was not logged)."""
    return _intent_of(reason).kind == "add_note"


def aside_notes(reason: str) -> list[str]:
    """What the reply says of `reason`, set aside: that a note was not logged, or that chat
    naming a day or a time ("wants a callback tmrw") was not acted on, in case it was a
    request after all; nothing for anything else."""
    kind = _intent_of(reason).kind
    if kind == "add_note":
        return [replies.not_logged(reason)]
    dated = kind in ("unsupported", "noise") and find_due(reason, _SOMETIME) is not None
    return [replies.not_acted(reason)] if dated else []


def only_context(part: str) -> bool:
    """Whether `part`, said before a request, is only its context: a reason, a slip, news
    that is the reason ("marcus signed!!" before "mark the acme deal closed won"), or chat
    ("ugh long day", "lol his dog ate the contract") that asks for nothing."""
    if _SLIP.match(part):
        return True
    intent = _intent_of(part)
    if intent.kind == "add_note":
        return not _REPORTED.search(part)
    if intent.kind == "update_status":  # "marcus signed": news; "jane's a customer now": asked
        return not _STATUS_SAID.search(part)
    if intent.kind == "update_deal" and _DONE_FOR.match(part):  # "sent jane the quote": done
        return True
    if intent.kind in ("unsupported", "noise") and intent.slots.get("topic") in (None, "unknown"):
        asked = _ASKED.match(part) and not _SMALL_TALK.search(part)  # "whats jordan working on"
        return not asked and not part.rstrip().endswith("?") and not _ANY_VERB.search(part)
    if news_deal(part) is not None and not _ANY_VERB.match(part):  # "wonka confirmed budget"
        return not part.rstrip().endswith("?")
    if intent.kind in _LOOKUPS and _HAPPENED.search(part):  # "the q1 campaign got scrapped"
        return not part.rstrip().endswith("?") and not _ANY_VERB.search(part)
    return statement_lead(part) is not None


# A listing a statement of what happened falls back to ("the q1 campaign got scrapped").
_LOOKUPS = frozenset({"list_sequences", "list_deals", "list_tasks", "list_leads", "find_leads"})
_HAPPENED = re.compile(r"\b(?:got|was|were|has been|have been|had|did|just)\b", re.I)
# A question (its "?" may be gone: the split cuts there) is asked, unless it is small talk
# to the coworker ("how was ur weekend", "hows it going") or an exclamation ("what a day").
_ASKED = re.compile(
    r"^(?:what(?!\s+an?\b)|whats|what's|who|whos|who's|where|when|which|why|how|hows|how's|is|"
    r"are|does|do|did|can|could|has|have)\b",
    re.I,
)
_SMALL_TALK = re.compile(r"\b(?:you|u|ur|your|yours|ya|it going|weekend|day been)\b", re.I)
# A status said by its own name is asked for, whatever the words around it.
_STATUS_SAID = re.compile(
    r"\b(?:customers?|client|qualified|unqualified|disqualified|dq'?d|contacted|new|status)\b", re.I
)


def _intent_of(part: str) -> Intent:
    return classify(Utterance.of(part), _SOMETIME)


_EMOJI = EMOJI
# Words that hand over from the chit-chat to the request: "anyway", "so", "ok so".
_FILLER = r"(?:anyway|anyways|anyhow|so|ok|okay|alright|but|lol|haha|welp|well)"
_ASKING = r"(?:pls|please|plz|can (?:you|u)|could (?:you|u)|(?:you|u) can|just)"
# A sentence's end, an emoji, or "so"/"anyway" after a comma end the context; a bare comma
# does only after plain chat ("the q1 campaign got scrapped, delete my call script task").
_CUT = re.compile(
    rf"(?:\s*[.!?;]+\s+|\s*{_EMOJI}+\s*|\s+(?=so\s)|(?P<comma>\s*,\s*))"
    rf"(?P<filler>(?:{_FILLER}[\s,!.]+)*)(?:{_ASKING}\s+)*(?=(?:{VERBS})\b)",
    re.I,
)
# A request that points back at what the context named ("push it to thurs", "mark that task
# done"): the context is its object, so the two are read together, as the usual split does.
_POINTS_BACK = re.compile(
    r"^\S+\s+(?:\S+\s+)?(?:it|that|this|those|these|them|the same|close|the close)\b", re.I
)
# What the lead said or wants, before a request about "it": "he wants 60 seats now, bump it
# to 43.8k". The statement names no record, so "it" is the one in context, not its words.
_THEY_SAID = re.compile(
    r"^(?:he|she|they)(?:'s|s|'re|re)?\s+(?:wants?|asked|says?|said|needs?|is asking|are asking|"
    r"'s asking|just|now|finally|told)\b(?![^,]*\b(?:it|that|this)\b)",
    re.I,
)
# The request after a bare comma points at the person the context named ("elena isnt a fit,
# unqualify her"): the context lends its lead, as a sentence of its own would.
_HIM_OR_HER = re.compile(r"^\S+(?:\s+\S+)?\s+(?:him|her)\b", re.I)
# Where the person starts dictating (a note's or a message's words): never cut after it.
_PAYLOAD = re.compile(r"[:\"\u201c]")


def context_cut(text: str) -> tuple[str, str] | None:
    """(the context, the request after it) when `text` opens with words that are only context
    before a request that opens with its verb; None otherwise."""
    payload = _PAYLOAD.search(text)
    end = payload.start() if payload else len(text)
    for cut in _CUT.finditer(text, 0, end):
        head = text[: cut.start()].strip()
        if not head:
            continue
        if LED_BY_VERB.match(head) or "?" in cut.group(0) or head.endswith("?"):
            return None  # a request or a question first: the usual split reads it
        rest = text[cut.end() :]
        if _POINTS_BACK.match(rest) and not _THEY_SAID.match(head):
            return None
        # "dana sent this, pls make me a task to reply: '...'": the paste is what "this" is
        bare_comma = cut["comma"] is not None and not cut["filler"]
        if bare_comma and payload:
            return None
        about_them = statement_lead(head) is not None and _HIM_OR_HER.search(rest) is not None
        if only_context(head) and (not bare_comma or _plain_chat(head) or about_them):
            return head, rest
    return None


def _plain_chat(part: str) -> bool:
    """Context that names no lead and no record: "ugh long day", "the q1 campaign got
    scrapped" (a comma after it cuts; "mei's renewal is slipping, push close" is one)."""
    intent = _intent_of(part)
    if statement_lead(part) is not None or intent.slots.get("ref") is not None:
        return False
    return intent.kind in ("unsupported", "noise") or (
        intent.kind in _LOOKUPS and bool(_HAPPENED.search(part))
    )


# "log it", "log that", "log a note", "add a note": a request to log what was said before it
_BARE_LOG = re.compile(
    rf"^(?:{LOG_IT}|(?:and\s+)?(?:log|add|make|write|leave)\s+(?:a\s+)?(?:quick\s+)?note"
    r"(?:\s+(?:of|about|on)\s+(?:it|that|this|him|her|them))?(?:\s+(?:pls|please|too))*[.!]*|"
    # "booked a meeting w marcus, log the call and …": the call just told of
    r"(?:and\s+)?log\s+(?:the|that|this)\s+call(?:\s+(?:pls|please|too))*[.!]*)$",
    re.I,
)


def statements_logged(parts: list[str]) -> list[str]:
    """`parts` with a bare "log it" part joined to the statement it logs (the nearest earlier
    part that is no request), in the place of the "log it": "X went w a competitor" + "log it"
    + "close the opp" -> "X went w a competitor. log it" + "close the opp"."""
    out = list(parts)
    index = 1
    while index < len(out):
        if _BARE_LOG.match(out[index].strip()):
            for earlier in range(index - 1, -1, -1):
                # the person's own "log it as interested" kept: it names the outcome
                log = out[index].strip() if logged_as(out[index]) else "log it"
                said = f"{out[earlier].rstrip(' .!,;')}. {log}"
                if not LED_BY_VERB.match(out[earlier]) and logged_statement(said):
                    out[index] = said
                    del out[earlier]
                    index -= 1
                    break
        index += 1
    return out
