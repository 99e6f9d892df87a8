"""A message to send given in quotes, or as "this: ...": "send him this: 'Marcus - redlines
are back, can we get signatures by the 15th?'", "email marcus reed 'contract v3 attached,
lmk'", "text her this - running late".

Apart from `sending`, whose readers find a body after a connector ("email jane: ...",
"tell her that ..."): here the words to send are marked by their quotes (or "this:"), so
they are taken whole and exactly as typed, with no subject or connector read inside them
("Marcus - redlines ..." keeps its dash; "by the 15th" is not a due date). Anything said
after the closing quote must be a word about sending ("just send it, no need to check w
me", "pls", "asap"): every send still waits on its card, whatever those words ask.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I, Intent, make_intent
from coworker.llm.offline.intents.composing import as_written, subject_from_body
from coworker.llm.offline.slots import lead_ref
from coworker.llm.offline.text import Utterance

_OPEN_CLOSE = {'"': '"', "'": "'", "“": "”", "‘": "’"}
_HEAD = re.compile(
    r"^(?P<verb>send|email|e-mail|mail|text|txt|sms|shoot|fire off|forward)\s+"
    r"(?P<who>[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*){0,3}?)"
    r"(?:\s+(?:(?:an?\s+)?(?P<ch>email|e-mail|text|sms|txt|message|msg)\s+)?"
    r"(?:saying\s+|that says\s+)?(?:this|the following|this message|this msg|this note)?)?"
    r"\s*(?P<mark>[:\-–—]\s*)?(?=[\"'“‘])",
    I,
)
# "this: hi marcus, ...": the words after "this:" unquoted, to the end of the message
_THIS = re.compile(
    r"^(?P<verb>send|email|e-mail|text|txt|sms)\s+(?P<who>him|her|them|[a-z][\w'.-]*"
    r"(?:\s+[a-z][\w'.-]*)?)\s+(?:this|the following)\s*(?::|\s-+)\s*(?P<body>\S.*)$",
    I | re.S,
)
# What may follow the closing quote: how to send it, never another request or more message.
_AFTER = re.compile(
    r"^[\s,.;!-]*(?:(?:(?:pls|please|plz|thx|thanks|asap|now|rn|real quick|for me|"
    r"(?:just|go ahead and|ok to|you can|u can)\s+send(?:\s+(?:it|that|this))?(?:\s+now)?|"
    r"no need to (?:check|confirm|ask)(?:\s+(?:with|w|w/)\s+me)?|"
    r"(?:dont|don't|do not) (?:need to |have to )?(?:check|confirm|ask)(?:\s+(?:with|w|w/)\s+me)?|"
    r"without (?:checking|asking)(?:\s+me)?|skip the (?:approval|check|card))[\s,.;!-]*)*)$",
    I,
)
_NOT_WHO = frozenset("this that it the a an me us".split())


def _quoted_body(text: str, at: int) -> tuple[str, str] | None:
    """The quoted words starting at `at` and what follows their closing quote."""
    close = _OPEN_CLOSE.get(text[at])
    if close is None:
        return None
    end = text.rfind(close)
    if end <= at + 1:
        return None
    return text[at + 1 : end], text[end + 1 :]


def quoted_send_request(u: Utterance, cmd: str) -> Intent | None:
    """A send whose words are quoted or follow "this:"; None for anything else."""
    m = _HEAD.match(cmd)
    body: str | None = None
    if m is not None:
        found = _quoted_body(cmd, m.end())
        if found is None or not _AFTER.match(found[1]):
            return None
        body = found[0].strip()
        who, verb, channel = m["who"], m["verb"].lower(), (m["ch"] or "").lower()
    else:
        this = _THIS.match(cmd)
        if this is None:
            return None
        body, who, verb, channel = this["body"].strip(), this["who"], this["verb"].lower(), ""
    who = re.sub(r"\s+(?:this|the following)$", "", who.strip(), flags=I)
    if not body or who.lower() in _NOT_WHO or who.lower().split()[0] in _NOT_WHO:
        return None
    if re.search(
        r"\b(?:from|via|using|with|w|on|thru|through|re|about|abt|regarding|subj\w*)\b", who, I
    ):
        return None  # "email jane from outlook '...'", "re pricing: '...'": for `sending`
    body = as_written(u, body) or body
    ref = lead_ref(who)
    sms = verb in ("text", "txt", "sms") or channel in ("text", "sms", "txt")
    if sms:
        return make_intent("send_sms", ref=ref, message=body)
    return make_intent(
        "send_email", ref=ref, subject=subject_from_body(body), body=body, to_email=None
    )
