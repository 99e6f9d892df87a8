"""Notes and call reports: "log a note on Jane: ...", "just talked to Jane, very interested",
"Jane didn't pick up", with the call outcome from its usual wordings.
"""

from __future__ import annotations

import re

from coworker.llm.offline import vocab
from coworker.llm.offline.intents.call_words import (
    CALL_DONE,
    CALLED_BACK,
    MEETING_WITH,
    REQUEST_OPENING,
    WHOM,
)
from coworker.llm.offline.intents.common import NOTE_NOUN, I, Intent, make_intent
from coworker.llm.offline.intents.composing import BODY_CONNECTOR, as_written
from coworker.llm.offline.intents.lead_news import status_stated
from coworker.llm.offline.intents.reasons import without_why
from coworker.llm.offline.shorthand import SHORTHAND, normalise
from coworker.llm.offline.slots import (
    LeadRef,
    lead_ref,
    looks_like_name_word,
    name_prefix,
)
from coworker.llm.offline.text import KEYWORDS, Utterance

# "with" as people type it in chat: "w/ jane", "w jane".
WITH = r"(?:with|w/|w(?=\s))"
# How long a call took, which marks a report of it: "20 min", "a 15-minute", "half an hour".
DURATION = r"(?:(?:a\s+)?\d+\s*-?\s*(?:min|mins|minutes?|m)\b|half an hour|an hour|a quick)"

CALL_REPORT = re.compile(
    r"^(?:i\s+|we\s+)?(?:just\s+|finally\s+)?(?:have\s+|'ve\s+)?(?:"
    r"(?:talked|spoke|spoken|chatted|connected|caught up|met|checked in|touched base|"
    rf"followed up)\s+(?:to|{WITH})\s+|"
    # "got off the phone w/ Jane", "hung up with Jane", "off a call w Marcus"
    r"(?:(?:got|hopped|jumped|came)\s+)?off\s+(?:(?:the|a|my)\s+)?(?:(?:phone|call|zoom|line)\s+)?"
    rf"{WITH}\s+|hung up\s+{WITH}\s+|"
    # "20 min w him, ...", "15 minute call with Dana"
    rf"{DURATION}\s*(?:(?:call|chat|convo|conversation|talk)\s+)?{WITH}\s+|"
    r"le?ft\s+(?:a\s+|an\s+)?(?:voicemail|vm|voice message|message|msg)\s+(?:for|with|to)\s+|"
    r"le?ft\s+(?:voicemail|vm)\s+(?=[A-Za-z]+\s+[A-Za-z]+\s*(?:[,.;!]|$))|"  # "left vm tom becker"
    r"(?:tried calling|tried to call|tried to reach|tried ringing|tried phoning|called|rang|phoned|"
    r"dialed|dialled|tried|reached|pinged|couldn'?t reach|could not reach|got through to|"
    r"heard back from|"
    r"got (?:a )?(?:hold|ahold) of|rung|buzzed)\s+(?:up\s+|back\s+)?|"
    # "returned nora bennett's call", "returned the call from tom": the lead, then the call
    r"returned\s+(?=[^,.;:]{2,40}?'s\s+(?:call|vm|voicemail|message|msg)\b)|"
    r"returned\s+(?:the|a|his|her|their)\s+(?:call|vm|voicemail)\s+(?:from|to)\s+|"
    r"le?ft\s+(?=.{1,40}?\b(?:voicemail|vm|message|msg)\b)|"
    r"(?:(?:had|did|finished|wrapped up|got off)\s+(?:a |an |the |my )?|(?=(?:great|good|solid|"
    r"nice|productive|awesome|rough|tough|quick|short)\s))(?:(?:quick|short|long|great|solid|nice|"
    r"good|bad|productive|awesome|rough|tough|\d+[- ]?min(?:ute)?s?)\s+)*(?:call|chat|convo|"
    r"conversation|meeting|demo|talk|phone "
    rf"call|the phone|zoom|catch up)\s+(?:to|{WITH})\s+)"
    r"(?P<rest>.+)$",
    I | re.S,
)

REF_END = re.compile(
    r"\s*(?:[,:;.!]|\s-+\s|\(|\bwho\b|\bshe\b|\bhe\b|\bthey\b|\band\b|\bbut\b|\babout\b|"
    r"\bfor\s+\d|\btoday\b|\bthis (?:morning|afternoon|am|pm)\b|\b(?:twice|thrice|\w+ times)\b|"
    r"\b(?:again|no answer|a vm|a message|voicemail|on the phone|re|regarding)\b|"
    r"\bwas\b|\bis\b|\bsaid\b|\bwants\b|\bnot\b|\bdidn'?t\b|\bvery\b|\bhad\b|\bafter\b|"
    r"\bbefore\b|\bover\b|\bfor\b|\bat\s+\d|\bwent\b|\bnothing\b|\bno luck\b|\bgot\b|\b\d+|"
    # "rang dana back", "called tom back just now": the call's words, never the name's
    r"\bback\b|\bjust now\b|\bstraight to\b)",
    I,
)


_NOT_A_STATUS = re.compile(r"\bnew (?:year|years|quarter|month|week|role|job|budget)\b")
SUBJECT_REPORT = re.compile(
    r"^(?P<ref>(?:[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,2})|she|he|they|[a-z]+(?:\s+[a-z]+)?)"
    r"(?:'s|\s+(?:is|was|seems|seemed|sounded|sounds|said|says|wants|wanted|asked|didn'?t|"
    r"did not|doesn'?t|does not|isn'?t|wasn'?t|picked up|answered|hung up|agreed|booked|"
    r"loved|liked|needs|will|has|had|can'?t|cannot|won'?t|would|just|finally|never|actually|"
    r"turned|went|got|signed|declined|passed|hates|love|likes|loves|told me|mentioned|"
    # "priya not interested", "mei hayes no answer", "chris parker called back re ..."
    r"not|no|called|rang|phoned|returned|replied|emailed|texted|wrote|came|confirmed|"
    r"interested|keen))\b"
    r"(?P<tail>.*)$",
    re.S,
)


OUTCOME_FIRST = re.compile(
    r"^(?P<phrase>no answer|no pick ?up|voicemail|l?vm|le?ft (?:a )?(?:voicemail|vm|message|msg)|"
    r"no luck|wrong (?:number|no\.?|#)|not interested|interested|callback|call back|"
    r"(?:meeting|mtg|demo|call) (?:booked|set|scheduled)|busy|no response)\s+"
    r"(?:(?:from|for|with|w/|w|at|on|to)\s+|(?<=\blvm\s))(?P<ref>.+?)"
    r"(?:\s*[,:;.-]\s*(?P<tail>.*))?$",
    I | re.S,
)


# The opening of a call's report that says who it was with: "20 min w marcus, ...",
# "quick call with Jane Smith - ...", "spoke to him: ...".
_CALL_WITH = re.compile(
    rf"^(?:{DURATION}\s*)?(?:(?:call|chat|convo|conversation|talk|spoke|talked|chatted)\s+)?"
    rf"(?:to|{WITH})\s+(?P<r>him|her|them|[\w'.-]+(?:\s+[\w'.-]+)?)\s*(?:[,:;.]|\s-+\s|$)",
    I,
)
# "call w Dana: callback next week": the call named first, then what came of it.
NOUN_REPORT = re.compile(
    rf"^(?:(?:a|my|the)\s+)?(?:{DURATION}\s*)?(?:call|chat|convo|conversation|phone call)\s+"
    rf"{WITH}\s+(?P<rest>[^:,;]{{2,40}}?\s*(?:[:,;]|\s-+\s)\s*\S.*)$",
    I | re.S,
)


_NOTE_VERB = (
    r"(?:log|add|write|make|create|put|leave|record|jot|save|take|drop|enter|post|attach|paste)"
)
# What a person pastes in to be logged: "log this reply from nora scott as a note: '...'"
_PASTED_NOUN = r"(?:reply|response|email|e-mail|message|msg|text|sms|dm|voicemail|vm|note)"
_PLACE = r"(?:on|to|for|under|against|in|into)\s+"
EXPLICIT_NOTE = re.compile(
    rf"^(?:{_NOTE_VERB}"
    rf"\s+(?:down\s+|in\s+)?(?:a\s+|an\s+|the\s+|this\s+|my\s+|another\s+)?(?:quick\s+|"
    rf"short\s+|new\s+)?"
    rf"{NOTE_NOUN}s?\b|(?:note|notes|memo|call\s+log|call\s+notes?)\b(?!\s+(?:on|for|"
    rf"about)\s+\S+\s*\?$)|"
    # "add this as a note on evelyn, from her email: "..."", "log this on chris parker: ...":
    # what "this" is follows a colon or a quote
    rf"{_NOTE_VERB}\s+(?:this|that|it|the following)\s+(?:(?:as|in)\s+(?:a\s+|an\s+)?"
    rf"(?:new\s+)?{NOTE_NOUN}\s+)?(?={_PLACE}(?!(?:my|our|the)\s+(?!notes?\b|record\b))"
    rf"[^\":]{{2,80}}[:\"])|"
    # "log this reply from nora scott as a note: '...'", "save this email from luis to his
    # notes - '...'": who it came from, then the pasted words
    rf"{_NOTE_VERB}\s+(?:this|that|the|her|his|their)\s+(?:{_PASTED_NOUN}\s+)?(?=from\s+[^\":]{{2,80}}?"
    rf"(?::|\s-+)?\s*[\"'])|"
    # "add to dana whitfield's notes: ...", "put this on mei's record - ..."
    rf"{_NOTE_VERB}\s+(?:(?:this|that|it)\s+)?(?={_PLACE}[^\":]{{2,60}}?(?:'s|s')?\s+"
    rf"(?:notes?|record|file|timeline)\b))"
    rf"\s*(?P<rest>.*)$",
    I | re.S,
)


def call_outcome(text: str) -> str | None:
    """The call's outcome, read through the person's shorthand too ("mtg booked", "left vm",
    "wrong #"): the table's order decides between two ("mtg booked, wants pricing" is a
    meeting). Only the outcome is read this way; the note keeps the person's words."""
    return vocab.outcome_in(normalise(text).low) or vocab.outcome_in(text.lower())


def name_word(word: str) -> bool:
    """Could this word of a lowercase call report name the lead? Not a word the CRM, a task
    or the person's shorthand uses ("budget", "legal", "vm"), nor an outcome ("keen")."""
    low = word.lower()
    known = low in KEYWORDS or low in vocab.TASK_WORDS or low in SHORTHAND
    return looks_like_name_word(low) and not known and vocab.outcome_in(low) is None


# After a lead's name opening a report: a pause, a figure, or what they did ("priya not keen").
_AFTER_NAME = re.compile(
    r"^(?:[,:;.(]|-|\d|$|(?:is|was|not|no|never|didn'?t|did not|doesn'?t|wasn'?t|isn'?t|"
    r"said|says|wants|wanted|asked|called|rang|phoned|returned|replied|emailed|texted|wrote|"
    r"got|came|picked|answered|booked|agreed|signed|went|declined|passed|seems|sounded|"
    r"will|would|has|had|needs|just|finally|still)\b)",
    I,
)


def lead_opening(text: str) -> str:
    """The lead a report opens with ("chris johnson, 15 min, ...", "priya not interested"),
    or "". In lowercase, only words that could be a name (`name_word`, at most three) and
    only before a pause, a figure, the outcome or what the lead did: "budget approved,
    send the contract" names no one."""
    tokens = text.split()
    take = 0
    while take < min(3, len(tokens)):
        word = tokens[take].rstrip(",.:;!?")
        if not word or not name_word(re.sub(r"'s$", "", word)):
            break
        take += 1
        if word != tokens[take - 1]:
            break  # "chris johnson, ...": the pause ends the name
    if not take:
        return ""
    rest = " ".join(tokens[take:])
    paused = tokens[take - 1][-1:] in ",.:;!?"
    if not paused and not _AFTER_NAME.match(rest) and not call_outcome(rest[:30]):
        return ""
    return " ".join(tokens[:take]).rstrip(",.:;!? ")


# "she's interested", "theyre not", "his team wants a demo": the lead in context.
PRONOUN_OPENING = re.compile(r"^(?:she|he|they)(?:'s|s|'re|re|'d|'ll)?\b|^(?:his|her|their)\b", I)

# Text pasted after a short lead-in ("from her email: "...""): the quoted words are the note,
# in double quotes or in single ones to the message's end ("- 'we're in, thanks'").
_PASTED = re.compile(
    r'^(?:[^":\n]{0,80}:\s*)?(?:["“](?P<q>[^"“”]*\S[^"“”]*)["”]|\'(?P<s>.*\S.*)\')\s*$', re.S
)
# Single quotes open a paste after a space or a colon and close it at the message's end.
SINGLE_QUOTED = re.compile(r"(?<![^\s:])'\S.*'[\s.!]*$", re.S)
# Where a pasted note is put, said after who it came from: "as a note", "to his notes".
_AS_NOTE = re.compile(
    r"\s+(?:as\s+(?:a\s+|an\s+)?(?:new\s+)?(?:note|comment)|(?:to|in|into|on)\s+(?:her|his|their|"
    r"the)\s+(?:notes?|record|file|timeline))$",
    I,
)

# A lead's notes named as the place: "add to dana's notes: ...", "on mei hayes's record: ...".
_ON_RECORD = re.compile(r"(?:'s|s')?\s+(?:notes?|record|file|timeline|profile)$", I)


def pasted_or_said(u: Utterance, content: str) -> tuple[str, bool]:
    """The note's text as the person wrote it, and whether it was pasted: then just the
    quoted words, which say no call's outcome (an email's "loved the demo" was no call)."""
    written = as_written(u, content) if content else content
    pasted = _PASTED.match(written)
    if pasted:
        return (pasted["q"] or pasted["s"]).strip(), True
    return written.strip().strip('"').strip(), False


def trimmed_ref(who: str) -> str:
    """The lead's words in "<outcome> for <who>...": the name, cut where other words begin
    ("olivia garcia next wk" -> "olivia garcia"), a company after "at" kept."""
    end = REF_END.search(who)
    if end and end.start() > 0:
        who = who[: end.start()]
    if who != who.lower():
        return who
    company = re.search(r"\s+(?:at|from|@)\s+\S", who)
    name, tail = (who[: company.start()], who[company.start() :]) if company else (who, "")
    words = name.split()
    keep = next((i for i, w in enumerate(words) if i and not name_word(w)), len(words))
    return " ".join(words[:keep]) + tail


def note_content(u: Utterance) -> str:  # stored as the person wrote it
    return re.sub(r"^(?:hey|ok|okay|so|fyi|update)[,:]?\s+", "", u.raw.strip(), flags=I)


def note_request(u: Utterance, cmd: str) -> Intent | None:  # noqa: C901 - one shape per wording
    if status_stated(cmd):
        return None  # "lars wood unqualified pls, no budget": a status asked for
    low = cmd.lower()
    # Explicit: "log a note on Jane: ...", "add a note to her saying ...", "note for Jane - ..."
    m = EXPLICIT_NOTE.match(cmd)
    if m and not re.match(
        r"^(?:log|add|write|put)\s+(?:a\s+)?(?:call|update)\s+(?:to|in)\s+(?:my|the)\s+(?:list|"
        r"tasks?)",
        low,
    ):
        rest, why = without_why(m["rest"].strip())  # "… saying why": the plan reads the reason
        if re.match(r"^(?:history|log)\b", rest, I):
            return None
        if re.match(r"^notes\s+(?:on|for|about|of)\s+\S+(?:\s+\S+)?$", cmd, I):
            return None  # "notes on Jane" asks to see them
        ref_text, content = "her" if why and not rest else "", rest  # "add a note why": hers
        m2 = re.match(
            rf"^(?:on|to|for|about|against|under|{WITH}|in|into|re|regarding|from)\s+(?P<r>.+)$",
            rest,
            I | re.S,
        )
        if m2:
            body = MEETING_WITH.sub("", m2["r"])  # "notes from call w/ chris johnson: ..."
            split = BODY_CONNECTOR.search(body)
            opened = SINGLE_QUOTED.search(body)  # "marcus's notes 'ok. then ...'"
            if opened and opened.start() > 0 and (not split or opened.start() < split.start()):
                ref_text, content = body[: opened.start()], body[opened.start() :]
            elif split and split.start() > 0:
                ref_text, content = body[: split.start()], body[split.end() :]
            else:
                ref_text, content = name_prefix(body)
        else:
            split = re.match(r"^\s*(?::|-+|that|saying|,)\s*", rest, I)
            if split:
                content = rest[split.end() :]
            m3 = re.search(
                r"\s+(?:on|to|for|against|under)\s+(?P<r>(?:her|him|them|"
                r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?)(?:'s)?(?:\s+(?:lead|record))?)\s*$",
                content,
            )
            if m3:
                ref_text, content = m3["r"], content[: m3.start()]
        ref_text = _AS_NOTE.sub("", ref_text.strip())  # "from nora scott as a note"
        ref_text = _ON_RECORD.sub("", ref_text)  # "dana whitfield's notes"
        content, pasted = pasted_or_said(u, content.strip())
        said = re.split(r"[\"\u201c]|(?<![^\s:])'", u.text, maxsplit=1)[0]  # around the paste
        outcome = call_outcome(content if not pasted else said) if content else None
        talked = _CALL_WITH.match(content) if not ref_text else None
        if talked:  # "log a call: 20 min w marcus, wants ...": who, in the call's first words
            ref_text = talked["r"]
        elif not ref_text and content:
            # "log a note that Jane wants pricing", "log call: chris johnson, 15 min, ...":
            # the lead opens the content.
            head, _ = name_prefix(content, max_words=2)
            if PRONOUN_OPENING.match(content):
                ref_text = "her"
            elif head and head[:1].isupper() and looks_like_name_word(head.split()[0].lower()):
                ref_text = head
            else:
                ref_text = lead_opening(content)
        return make_intent(
            "add_note",
            ref=lead_ref(ref_text),
            content=content or None,
            outcome=outcome,
            why=why or None,
        )
    m = re.match(
        r"^(?:(?:jot|write|note|put|take)\s+down\s+(?:that\s+|:\s*)?|(?:log|note|record)\s+"
        r"(?:that\s+|(?=(?:she|he|they)(?:'s|s|'re|re)?\s)))(?P<c>.+)$",
        cmd,
        I | re.S,
    )
    if m:
        content = m["c"].strip()
        head, _ = name_prefix(content, max_words=2)
        ref = LeadRef(pronoun=True) if PRONOUN_OPENING.match(content) else lead_ref(head)
        mine = re.match(r"(?:i|we)\b", content, I)  # "log that i spoke with ...": not a lead
        whom = WHOM.search(content) if ref.empty or mine else None
        if whom:  # "log that i left a vm for tom becker": who, after the call's words
            ref = lead_ref(name_prefix(whom["r"], max_words=2)[0])
        return make_intent(
            "add_note",
            ref=ref,
            content=as_written(u, content),
            outcome=call_outcome(content),
        )
    # Call reports: "just talked to Jane, very interested", "left Jane a voicemail".
    m = CALL_REPORT.match(cmd)
    if m is None and call_outcome(u.text):
        m = NOUN_REPORT.match(cmd)
    if m:
        rest = m["rest"]
        end = REF_END.search(rest)
        ref_text = rest[: end.start()] if end and end.start() > 0 else name_prefix(rest)[0]
        ref_text = re.sub(r"\s+(?:a|an|the)$", "", ref_text.strip(" ~-"), flags=I)
        ref_text = re.sub(r"'s\s+(?:call|vm|voicemail|message|msg)$", "", ref_text, flags=I)
        outcome = call_outcome(u.text)
        if outcome is None and re.match(r"^(?:i\s+)?(?:just\s+)?le?ft\b", low):
            outcome = "voicemail"
        if (
            re.match(r"^(?:i\s+)?(?:just\s+)?(?:tried|couldn'?t reach|could not reach)", low)
            and outcome is None
        ):
            outcome = "no_answer"
        return make_intent(
            "add_note", ref=lead_ref(ref_text), content=note_content(u), outcome=outcome
        )
    # "no answer from Jane", "voicemail for Chris Parker", "log a vm for jane"
    m = OUTCOME_FIRST.match(re.sub(r"^(?:log|record)\s+(?:a\s+|an\s+)?", "", cmd, flags=I))
    if m:
        return make_intent(
            "add_note",
            ref=lead_ref(trimmed_ref(m["ref"])),
            content=note_content(u),
            outcome=call_outcome(u.text) or ("no_answer" if "luck" in low else None),
        )
    done = CALL_DONE.match(cmd)
    if done:  # "chris parker call done. booked the pilot kickoff w/ him for next wk"
        return make_intent(
            "add_note",
            ref=lead_ref(done["ref"]),
            content=note_content(u),
            outcome=call_outcome(u.text),
        )
    # Subject first: "Jane didn't pick up", "Chris Parker said call back next week".
    outcome = call_outcome(u.text)
    called = CALLED_BACK.match(cmd)
    if called and not outcome:  # "marcus called back, legal wants the msa redlines"
        head = called["ref"]
        if PRONOUN_OPENING.fullmatch(head):
            return make_intent("add_note", ref=LeadRef(pronoun=True), content=note_content(u))
        said = lead_ref(head)  # "jane from vandelay called in": Jane, at Vandelay
        name = said.text if said.company else head
        if head[:1].isupper() or lead_opening(f"{name} called") == name:
            return make_intent("add_note", ref=said, content=note_content(u))
    if outcome:
        m = SUBJECT_REPORT.match(cmd)
        tail = _NOT_A_STATUS.sub("", m["tail"].lower()) if m else ""  # "after new year"
        if m and not vocab.status_in(tail) or m and outcome in ("not_interested",):
            head = m["ref"]
            if head.lower() in ("she", "he", "they"):
                ref = LeadRef(pronoun=True)
            else:
                first = head.split()[0].lower()
                # "mark jane not interested" is no report of Mark's
                if head[:1].islower() and (not looks_like_name_word(first) or first in KEYWORDS):
                    return None
                ref = lead_ref(trimmed_ref(head))  # "dana not interested": Dana
            return make_intent("add_note", ref=ref, content=note_content(u), outcome=outcome)
        m = re.match(r"^(?P<ref>[^:,\-]{2,40}?)\s*(?::|-+|,)\s*(?P<tail>.+)$", cmd, re.S)
        if m and REQUEST_OPENING.match(m["ref"]):
            return None  # "move the initech deal to proposal, they liked the demo"
        if m and vocab.outcome_in(m["tail"].lower()) and not vocab.outcome_in(m["ref"].lower()):
            return make_intent(
                "add_note", ref=lead_ref(m["ref"]), content=note_content(u), outcome=outcome
            )
    return None
