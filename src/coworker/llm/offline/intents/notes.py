"""Notes and call reports: "log a note on Jane: ...", "just talked to Jane, very interested",
"Jane didn't pick up", with the call outcome from its usual wordings.
"""

from __future__ import annotations

import re

from coworker.llm.offline import vocab
from coworker.llm.offline.intents.common import NOTE_NOUN, I, Intent, make_intent
from coworker.llm.offline.intents.composing import BODY_CONNECTOR
from coworker.llm.offline.slots import (
    LeadRef,
    lead_ref,
    looks_like_name_word,
    name_prefix,
)
from coworker.llm.offline.text import Utterance

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
    r"left\s+(?:a\s+|an\s+)?(?:voicemail|vm|voice message|message|msg)\s+(?:for|with|to)\s+|"
    r"(?:tried calling|tried to call|tried to reach|tried ringing|tried phoning|called|rang|phoned|"
    r"dialed|dialled|tried|reached|pinged|couldn'?t reach|could not reach|got through to|"
    r"heard back from|"
    r"got (?:a )?(?:hold|ahold) of)\s+(?:up\s+)?|"
    r"left\s+(?=.{1,40}?\b(?:voicemail|vm|message|msg)\b)|"
    r"(?:had|did|finished|wrapped up|got off)\s+(?:a |an |the |my )?(?:(?:quick|short|long|great|"
    r"good|bad|\d+[- ]?min(?:ute)?s?)\s+)*(?:call|chat|conversation|meeting|demo|talk|phone "
    rf"call|the phone|zoom|catch up)\s+(?:to|{WITH})\s+)"
    r"(?P<rest>.+)$",
    I | re.S,
)


REF_END = re.compile(
    r"\s*(?:[,:;.!]|\s-+\s|\(|\bwho\b|\bshe\b|\bhe\b|\bthey\b|\band\b|\bbut\b|\babout\b|"
    r"\bfor\s+\d|\btoday\b|\bthis (?:morning|afternoon)\b|\bjust now\b|\bagain\b|\bno answer\b|"
    r"\ba voicemail\b|\ba vm\b|\ba message\b|\bvoicemail\b|\bon the phone\b|\bre\b|\bregarding\b|"
    r"\bwas\b|\bis\b|\bsaid\b|\bwants\b|\bnot\b|\bdidn'?t\b|\bvery\b|\bhad\b|\bafter\b|"
    r"\bbefore\b|\bover\b|\bfor\b|\bat\s+\d|\bwent\b|\bnothing\b|\bno luck\b|\bgot\b|\b\d+)",
    I,
)


SUBJECT_REPORT = re.compile(
    r"^(?P<ref>(?:[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,2})|she|he|they|[a-z]+(?:\s+[a-z]+)?)"
    r"(?:'s|\s+(?:is|was|seems|seemed|sounded|sounds|said|says|wants|wanted|asked|didn'?t|"
    r"did not|doesn'?t|does not|isn'?t|wasn'?t|picked up|answered|hung up|agreed|booked|"
    r"loved|liked|needs|will|has|had|can'?t|cannot|won'?t|would|just|finally|never|"
    r"turned|went|got|signed|declined|passed|hates|love|likes|loves|told me|mentioned))\b"
    r"(?P<tail>.*)$",
    re.S,
)


OUTCOME_FIRST = re.compile(
    r"^(?P<phrase>no answer|no pick ?up|voicemail|vm|left (?:a )?(?:voicemail|vm|message)|"
    r"no luck|wrong number|not interested|interested|callback|call back|meeting booked|"
    r"demo booked|busy|no response)\s+(?:from|for|with|at|on|to)\s+(?P<ref>.+?)"
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


def note_content(u: Utterance) -> str:
    text = u.raw.strip()
    text = re.sub(r"^(?:hey|ok|okay|so|fyi|update)[,:]?\s+", "", text, flags=I)
    return text  # stored as the person wrote it


def note_request(u: Utterance, cmd: str) -> Intent | None:  # noqa: C901 - one shape per wording
    low = cmd.lower()
    # Explicit: "log a note on Jane: ...", "add a note to her saying ...", "note for Jane - ..."
    m = re.match(
        rf"^(?:(?:log|add|write|make|create|put|leave|record|jot|save|take|drop|enter|post|attach)"
        rf"\s+(?:down\s+|in\s+)?(?:a\s+|an\s+|the\s+|this\s+|my\s+|another\s+)?(?:quick\s+|"
        rf"short\s+|new\s+)?"
        rf"{NOTE_NOUN}s?\b|(?:note|notes|memo)\b(?!\s+(?:on|for|"
        rf"about)\s+\S+\s*\?$))\s*(?P<rest>.*)$",
        cmd,
        I | re.S,
    )
    if m and not re.match(
        r"^(?:log|add|write|put)\s+(?:a\s+)?(?:call|update)\s+(?:to|in)\s+(?:my|the)\s+(?:list|"
        r"tasks?)",
        low,
    ):
        rest = m["rest"].strip()
        if re.match(r"^(?:history|log)\b", rest, I):
            return None
        if re.match(r"^notes\s+(?:on|for|about|of)\s+\S+(?:\s+\S+)?$", cmd, I):
            return None  # "notes on Jane" asks to see them
        ref_text, content = "", rest
        m2 = re.match(
            rf"^(?:on|to|for|about|against|under|{WITH}|in|into|re|regarding)\s+(?P<r>.+)$",
            rest,
            I | re.S,
        )
        if m2:
            body = m2["r"]
            split = BODY_CONNECTOR.search(body)
            if split and split.start() > 0:
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
        content = content.strip().strip('"').strip()
        outcome = vocab.outcome_in(content.lower()) if content else None
        talked = _CALL_WITH.match(content) if not ref_text else None
        if talked:  # "log a call: 20 min w marcus, wants ...": who, in the call's first words
            ref_text = talked["r"]
        elif not ref_text and content:
            # "log a note that Jane wants pricing": the lead opens the content.
            head, _ = name_prefix(content, max_words=2)
            if head.lower() in ("she", "he", "they"):
                ref_text = "her"
            elif head and head[:1].isupper() and looks_like_name_word(head.split()[0].lower()):
                ref_text = head
        return make_intent(
            "add_note",
            ref=lead_ref(ref_text),
            content=content or None,
            outcome=outcome,
        )
    m = re.match(
        r"^(?:(?:jot|write|note|put|take)\s+down\s+(?:that\s+|:\s*)?|(?:log|note|record)\s+"
        r"that\s+)(?P<c>.+)$",
        cmd,
        I | re.S,
    )
    if m:
        content = m["c"].strip()
        head, _ = name_prefix(content, max_words=2)
        ref = LeadRef(pronoun=True) if head.lower() in ("she", "he", "they") else lead_ref(head)
        return make_intent(
            "add_note",
            ref=ref,
            content=content,
            outcome=vocab.outcome_in(content.lower()),
        )
    # Call reports: "just talked to Jane, very interested", "left Jane a voicemail".
    m = CALL_REPORT.match(cmd)
    if m is None and vocab.outcome_in(u.low):
        m = NOUN_REPORT.match(cmd)
    if m:
        rest = m["rest"]
        end = REF_END.search(rest)
        ref_text = rest[: end.start()] if end and end.start() > 0 else name_prefix(rest)[0]
        ref_text = re.sub(r"\s+(?:a|an|the)$", "", ref_text.strip(), flags=I)
        outcome = vocab.outcome_in(u.low)
        if outcome is None and re.match(r"^(?:i\s+)?(?:just\s+)?left\b", low):
            outcome = "voicemail"
        if (
            re.match(r"^(?:i\s+)?(?:just\s+)?(?:tried|couldn'?t reach|could not reach)", low)
            and outcome is None
        ):
            outcome = "no_answer"
        return make_intent(
            "add_note", ref=lead_ref(ref_text), content=note_content(u), outcome=outcome
        )
    # "no answer from Jane", "voicemail for Chris Parker"
    m = OUTCOME_FIRST.match(cmd)
    if m:
        who = m["ref"]
        end = REF_END.search(who)
        if end and end.start() > 0:
            who = who[: end.start()]
        return make_intent(
            "add_note",
            ref=lead_ref(who),
            content=note_content(u),
            outcome=vocab.outcome_in(u.low) or ("no_answer" if "luck" in low else None),
        )
    # Subject first: "Jane didn't pick up", "Chris Parker said call back next week".
    outcome = vocab.outcome_in(u.low)
    if outcome:
        m = SUBJECT_REPORT.match(cmd)
        if m and not vocab.status_in(m["tail"].lower()) or m and outcome in ("not_interested",):
            head = m["ref"]
            if head.lower() in ("she", "he", "they"):
                ref = LeadRef(pronoun=True)
            else:
                first = head.split()[0].lower()
                if head[:1].islower() and not looks_like_name_word(first):
                    return None
                ref = lead_ref(head)
            return make_intent("add_note", ref=ref, content=note_content(u), outcome=outcome)
        m = re.match(r"^(?P<ref>[^:,\-]{2,40}?)\s*(?::|-+|,)\s*(?P<tail>.+)$", cmd, re.S)
        if m and vocab.outcome_in(m["tail"].lower()) and not vocab.outcome_in(m["ref"].lower()):
            return make_intent(
                "add_note", ref=lead_ref(m["ref"]), content=note_content(u), outcome=outcome
            )
    return None
