"""Listing requests: what was sent, calls, notes, sequences, tags, deals and tasks. Listing
leads is `lead_lists.py`, which shares the phrase helpers here."""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline import vocab
from coworker.llm.offline.intents.common import (
    DEAL_WORDS,
    SEQ_WORDS,
    TASK_WORDS,
    I,
    Intent,
    make_intent,
)
from coworker.llm.offline.intents.lead_field_names import named as names_someone
from coworker.llm.offline.intents.list_refs import (
    RENEWAL_CLOSES,
    possessive_ref,
    ref_after,
    task_phrase,
)
from coworker.llm.offline.shorthand import normalise
from coworker.llm.offline.slots import (
    LeadRef,
    email_in,
    lead_ref,
)
from coworker.llm.offline.text import Utterance

FILLER = frozenset(
    """
show me list find search for get give any anyone anybody someone somebody leads lead contacts
contact people person who is are there do we have i what which all my our the a an of in
with named called matching containing like look up lookup pull display see can you please
let view open tell about info information details on for at from status everyone everybody
prospects prospect records record these those their them that this how many much number
total count whos got exist existing work works working ones one ones' onces latest newest
recent recently added
""".split()
)

# "janes notes", "whats marcus reed's latest note": a lead's notes, the name said first
# (an apostrophe or not).
_NAME_NOTES = re.compile(
    r"^(?:(?:what'?s|whats|what are|show(?:\s+me)?|get|pull up|any|see)\s+)?(?P<r>[\w.'’ -]+?)"
    r"(?:'s|’s|s'|')?\s+(?:(?:latest|last|recent|newest|most recent)\s+)?notes?$",
    I,
)
_THEIR_NOTES = re.compile(r"\b(?:her|his|their)\s+(?:\w+\s+)?notes?\b", I)
_NOT_WHOSE_NOTES = FILLER | {"team", "teams", "last", "today", "yesterday", "call", "new"}


def _someone_named(words: str) -> bool:
    """ "janes", "marcus reed": a person; "latest", "team": which notes, not whose."""
    said = [w.strip("'’").lower() for w in words.split()]
    return names_someone(words) and not any(w in _NOT_WHOSE_NOTES for w in said)


# Words before "deals" that say which deals, not whose: "open deals", "won deals".
_NOT_A_NAME = frozenset("open big new biggest latest my our all won lost".split())


def query_text(cmd: str) -> str:
    words = [w for w in re.findall(r"[\w@.+'-]+", cmd) if w.lower().strip("'") not in FILLER]
    return " ".join(words).strip(" .?'\"")


# "leads tagged hot", "who has the enterprise tag", "#hot leads": leads by one tag (the tag in
# `tag`), a listing of leads and not of the tags (`lead_lists.py` reads it).
TAGGED = re.compile(
    r"\b(?:tagged|labell?ed|marked)\s+(?:as\s+|with\s+(?:the\s+)?)?(?P<tag>[\w-]+)|"
    r"\b(?:with|has|have|having|carrying|got)\s+(?:the\s+|a\s+|an\s+)?(?:tag|label)\s+"
    r"(?P<tag2>[\w-]+)|"
    r"\b(?:with|has|have|having|carrying|got)\s+(?:the\s+|a\s+|an\s+)?[\"'`]?(?P<tag3>[\w-]+)[\"'`]?"
    r"\s+(?:tag|label)\b|"
    r"(?:^|\s)#(?P<tag4>[a-z][\w-]*)",
    I,
)
# "what did we close won", "deals we lost this month": a closed stage asked as a verb.
CLOSED = re.compile(
    r"\b(?:what|which|anything|any|deals?|opps?)\b.*\b(?:did|have|has|had)\s+(?:we|i|the team)\s+"
    r"(?:close[ds]?|win|won|lose|lost|sign|signed|book|booked)\b|"
    r"\b(?:deals?|opps?|opportunit(?:y|ies))\s+(?:that\s+|which\s+)?(?:we|i)\s+(?:have\s+)?"
    r"(?:closed|won|lost|signed|booked)\b",
    I,
)


def tag_asked(cmd: str) -> str | None:
    """The tag a request lists leads by ("whos tagged hot"), or None."""
    m = TAGGED.search(cmd)
    if m is None:
        return None
    tag = next(m[g] for g in ("tag", "tag2", "tag3", "tag4") if m[g])
    return None if tag.lower() in ("as", "with", "the", "a", "an", "tag", "label") else tag


_CLOSE_WORD = re.compile(r"\bclos(?:e|es|ing)\b|\bdue to close\b|\bland(?:s|ing)?\b")
_WITHIN = re.compile(
    r"\b(?:in\s+the\s+|within\s+(?:the\s+)?|over\s+the\s+)?(?:next|coming)\s+"
    r"(?P<n>\d+|a|one|two|three|four|five|six|seven|eight|ten)\s+"
    r"(?P<unit>days?|weeks?)\b|\bwithin\s+(?P<n2>\d+|a|one|two|three|four)\s+(?P<unit2>days?|weeks?)\b"
)


def closing_period(low: str) -> str | None:
    """When deals asked about close ("this week", "next month", "soon", "next 14 days"), or
    None when no closing period is said."""
    if not _CLOSE_WORD.search(low) and not re.search(r"\bclos\w* soon", low):
        return None
    within = _WITHIN.search(low)
    if within:
        word = (within["n"] or within["n2"]).lower()
        count = int(word) if word.isdigit() else vocab.NUMBER_WORDS.get(word, 1)
        unit = within["unit"] or within["unit2"]
        return f"next {count * (7 if unit.startswith('week') else 1)} days"
    end_of = re.search(r"\bend of (?:the |this )?(?P<next>next )?(?P<p>week|month|quarter)\b", low)
    if end_of:
        return f"{'next' if end_of['next'] else 'this'} {end_of['p']}"
    period = re.search(r"\b(?:this|next) (?:month|week|quarter)\b|\bsoon\b", low)
    return period.group(0) if period else None


def list_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:  # noqa: C901
    # Shorthand read as meant ("who did i call yday", "opps closing this wk"): every listing
    # only reads, so no value read here is ever stored.
    cmd = normalise(cmd).text
    low = cmd.lower()
    # What was sent to someone
    if (
        re.search(r"\b(?:emails?|texts?|sms|messages?|outbox)\b", low)
        and re.search(
            r"\b(?:sent|send|did (?:i|we)|have (?:i|we)|history|last|latest|recent|outbox)\b|"
            r"\b(?:emails|texts|messages|sms)\s+(?:to|with|for|from)\b|"
            r"^(?:show|list|any|my)\b.*\b(?:emails|texts)\b",
            low,
        )
        and not (email_in(cmd) and not re.search(r"\b(?:sent|send|did|have|history)\b", low))
        or re.search(
            r"\b(?:have|did|has)\s+(?:i|we|anyone)\s+(?:ever\s+)?(?:emailed|texted|messaged|"
            r"email|text|message|sent|send)\b|what did (?:i|we) send|what (?:have|has) "
            r"(?:i|we) sent|when did (?:i|we) (?:last )?(?:email|text|message)",
            low,
        )
    ):
        if re.search(r"\bmailbox|email accounts?|accounts?\b|send from|sending from", low):
            return make_intent("list_mailboxes")
        channel = "both"
        if re.search(r"\b(?:emails?|emailed|mails?)\b", low) and not re.search(
            r"\b(?:texts?|texted|sms)\b", low
        ):
            channel = "email"
        elif re.search(r"\b(?:texts?|texted|sms)\b", low) and not re.search(
            r"\b(?:emails?|emailed)\b", low
        ):
            channel = "sms"
        m = re.search(
            r"\b(?:send|sent|emailed|texted|messaged|email|text|message)\s+(?:to\s+)?(?P<r>.+)$",
            cmd,
            I,
        )
        ref = LeadRef()
        if m and not re.match(
            r"^(?:to\s+)?(?:anyone|anybody|people|everyone|today|yesterday|"
            r"recently|lately|this week)\b",
            m["r"],
            I,
        ):
            ref = (
                ref_after(cmd, r"to|for|with|w")
                if re.search(r"\b(?:to|for|with)\s", m["r"], I)
                else lead_ref(m["r"])
            )
        else:
            ref = ref_after(cmd, r"to|for|with|w")
            if ref.text.lower() in ("me", "anyone", "anybody", "people", "everyone"):
                ref = LeadRef()
        if ref.text and re.fullmatch(
            r"(?:emails?|texts?|sms|messages?|history|sent|my|recent|"
            r"today|yesterday)(?:\s+\w+)?",
            ref.text,
            I,
        ):
            ref = LeadRef()
        return make_intent("list_sent", ref=ref, channel=channel)
    if re.search(
        r"\b(?:mailbox(?:es)?|email accounts?|inbox(?:es)?|sending address(?:es)?|"
        r"from address(?:es)?|send (?:emails? )?from)\b",
        low,
    ):
        return make_intent("list_mailboxes")
    # Calls
    if re.search(
        r"\bcalls\b|\bcall (?:history|log|logs|records|activity|list)\b|\bdialer\b", low
    ) or re.search(
        r"\b(?:did|have|has)\s+(?:i|we|anyone)\s+(?:ever\s+)?(?:call|called|rung|rang|phoned|"
        r"spoken|"
        r"spoke|talked)\b|when did (?:i|we) (?:last )?(?:call|speak|talk|ring|phone)|"
        r"who(?:\s+did|'d|’d|d)\s+(?:i|we)\s+(?:call|ring|phone|dial|speak to|talk to)\b|"
        r"last (?:call|conversation) with|\bcalls? (?:with|to|from)\b",
        low,
    ):
        when = "today" if "today" in low else "yesterday" if "yesterday" in low else None
        ref = possessive_ref(cmd, "calls") or ref_after(
            cmd, r"with|w|to|from|for|of", r"call|called|rang|phoned|spoken|spoke|talked"
        )
        if ref.text.lower() in ("me", "anyone", "anybody", "yesterday", "today") or re.fullmatch(
            r"(?:calls?|history|recent|my|log)(?:\s+\w+)?", ref.text, I
        ):
            ref = LeadRef()
        # "who did i call yday", "my calls today": the person's own calls, not the team's
        mine = True if ref.empty and re.search(r"\b(?:i|my|me)\b", low) else None
        return make_intent("list_calls", ref=ref, when=when, mine=mine)
    # Notes
    if re.search(r"\bnotes?\b", low):
        ref = possessive_ref(cmd, "notes?") or ref_after(cmd, r"on|for|about|from|of|regarding")
        if re.fullmatch(r"(?:notes?|recent|my|the|latest)(?:\s+\w+)?", ref.text, I):
            ref = LeadRef()
        named_first = _NAME_NOTES.match(cmd.strip(" ?!."))
        if ref.empty and named_first and _someone_named(named_first["r"]):
            ref = lead_ref(named_first["r"])  # "janes latest note", "marcus reed notes"
        elif ref.empty and _THEIR_NOTES.search(low):  # "anything in her notes"
            ref = LeadRef(pronoun=True)
        return make_intent("list_notes", ref=ref)
    # Sequences, tags
    if re.search(rf"\b{SEQ_WORDS}\b", low):
        return make_intent("list_sequences")
    if re.search(r"\b(?:tags?|labels?)\b", low) and tag_asked(cmd) is None:
        return make_intent("list_tags")
    # Deals
    stage = vocab.stage_in(low)
    if re.search(r"\bforecast", low):
        return make_intent("unsupported", topic="report")
    closed = CLOSED.search(cmd)
    if closed:  # "what did we close won": closed won unless lost is said
        stage = "closed_lost" if re.search(r"\b(?:lose|lost|closed lost)\b", low) else "closed_won"
    if (
        closed
        or re.search(rf"\b{DEAL_WORDS}\b|\bclosing\b|\brevenue\b", low)
        or RENEWAL_CLOSES.search(low)
        or (stage and stage not in ("prospecting",) and re.search(r"\b(?:in|at|stage)\b", low))
    ):
        if "closing" in low and not re.search(rf"\b{DEAL_WORDS}\b", low):
            stage = None
        open_only = bool(re.search(r"\b(?:open|active|live|current|ongoing|pipeline)\b", low))
        if (
            stage
            and not closed
            and not re.search(
                r"\b(?:won|lost|closed|proposal|negotiation|negotiating|qualification|prospecting|"
                r"signed|dead|discovery|quote|quoted)\b",
                low,
            )
        ):
            stage = None
        named = re.search(
            r"\bthe\s+(?P<r>[\w&.' -]+?)\s+(?:deal|deals|opportunity|opportunities|opp)\b", cmd, I
        ) or re.match(  # "initech deals?"
            r"^(?:any\s+|all\s+)?(?P<r>[\w&.'-]+(?:\s+[\w&.'-]+)?)\s+(?:deals|opps|"
            r"opportunities)\s*\??$",
            cmd,
            I,
        )
        ref = (
            possessive_ref(cmd, rf"(?:{DEAL_WORDS}|renewal)")
            or (lead_ref(named["r"]) if named and named["r"].lower() not in _NOT_A_NAME else None)
            or ref_after(cmd, r"for|with|on|at|of|from")
        )
        before_close = re.match(r"(?P<r>.+?)\s+(?:clos(?:e|es|ing)|due to close)\b", ref.text, I)
        if before_close:  # "the deal with acme closes when"
            ref = lead_ref(before_close["r"])
        if ref.text and (
            vocab.stage_in(ref.text.lower())
            or re.fullmatch(  # "which of my open deals": whose and which, not a name
                r"(?:(?:open|active|live|current|ongoing|all)\s+)*"
                r"(?:deals?|pipeline|the|my|stage|this (?:month|week|quarter)|month|week|quarter|"
                r"(?:the )?total(?: value)?|(?:the )?(?:sum|value|amount|worth)|"
                r"opportunit(?:y|ies))(?:\s+\w+)?",
                ref.text,
                I,
            )
            or re.match(r"(?:mine|ours|yours)\b", ref.text, I)
        ):
            ref = LeadRef()
        # "my deals", "mine": the person's own, not the team's (None: the team's)
        mine = (
            True
            if ref.empty
            and (
                re.search(r"\b(?:my|mine|i own|i have|i(?:'ve| have)? got)\b", low)
                or (closed and re.search(r"\bi\b", closed.group(0), I))
            )
            else None
        )
        if stage in ("closed_won", "closed_lost"):  # "what did we win last month": when closed
            period = re.search(r"\b(?:this|last|past) (?:week|month|quarter)\b", low)
            closing_text = period.group(0).replace("past", "last") if period else None
        else:
            closing_text = closing_period(low)
        if closing_text:
            still_open = True if stage not in ("closed_won", "closed_lost") else None
            return make_intent(
                "list_deals", ref=ref, stage=stage, open=still_open, closing=closing_text, mine=mine
            )
        return make_intent("list_deals", ref=ref, stage=stage, open=open_only or None, mine=mine)
    # Tasks
    if re.search(
        rf"\b{TASK_WORDS}\b|\boverdue\b|\bdue\b|\bpast due\b|\bfollow ups\b|"
        r"\bwhat (?:do|should) i (?:have|need) to do\b|\bmy list\b|\bto do list\b|"
        r"\banything (?:late|overdue|due)\b|\bwhat(?:'s| is) (?:left|pending|outstanding)\b|"
        # "whats open on him", "anything open for jane": that lead's open tasks
        r"\b(?:what'?s|what is|anything|something)\s+(?:still\s+)?open\s+(?:on|for|with|w)\s|"
        r"\bwhat do i have (?:tomorrow|this week|next week|coming up)\b|\bwhat'?s coming up\b|"
        r"\bwhat'?s on my plate (?:tomorrow|this week)\b|\bbehind on\b|"
        r"\bwhat'?s my day (?:like|look(?:ing)? like) (?:tomorrow|this week)\b",
        low,
    ):
        when = None
        if re.search(r"\b(?:overdue|late|past due|missed|behind|slipped|outstanding from)\b", low):
            when = "overdue"
        elif re.search(r"\btoday\b|\btonight\b|this (?:morning|afternoon|evening)", low):
            when = "today"
        elif re.search(r"\btomorrow\b", low):
            when = "tomorrow"
        elif re.search(
            r"this week|next (?:7|seven) days|upcoming|coming up|next few days|soon", low
        ):
            when = "week"
        elif re.search(r"next week", low):
            when = "next_week"
        completed = bool(re.search(r"\b(?:completed|done|finished|closed|ticked off)\b", low))
        priority = None
        hit = vocab.priority_in(low)
        if hit and re.search(r"priority|urgent|important", low):
            priority = hit[0]
        ref = possessive_ref(cmd, TASK_WORDS) or ref_after(cmd, r"for|with|about|regarding", r"on")
        if ref.text and re.search(
            r"\b(?:list|todo|to do|tasks?|plate|agenda|today|tomorrow|week|overdue|due|priority)\b",
            ref.text,
            I,
        ):
            ref = LeadRef()
        if ref.text and re.fullmatch(
            r"(?:me|today|tomorrow|this week|next week|now|later|"
            r"the day|the week|my|tasks?|high priority|priority)(?:\s+\w+)?",
            ref.text,
            I,
        ):
            ref = LeadRef()
        if ref.text and vocab.priority_in(ref.text.lower()):
            ref = LeadRef()
        phrase = task_phrase(cmd) if ref.empty else None
        return make_intent(
            "list_tasks",
            when=when,
            completed=completed or None,
            priority=priority,
            ref=ref,
            phrase=phrase,
        )
    return None
