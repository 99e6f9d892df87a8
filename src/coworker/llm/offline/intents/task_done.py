"""A task done: "done with the Acme follow-up", "check off the bluth proposal", "mark the
call jane task done". Which task is found in the plan, from the words left.
"""

from __future__ import annotations

import re

from coworker.llm.offline import vocab
from coworker.llm.offline.intents.common import I, Intent, make_intent
from coworker.llm.offline.intents.tasks import clean_task_phrase
from coworker.llm.offline.text import Utterance

# "done w/ the bluth proposal, check it off", "X is done - pls mark it complete": the same
# thing asked again after it is said; what names the task is what comes before.
_SAID_AGAIN = re.compile(
    r"\s*(?:[,;.!]+|\s-+|\s+and|\s+so)\s*(?:(?:(?:pls|please|plz|can you|could you|u can|you can|"
    r"go ahead and|just)\s+)*(?:check|tick|cross|mark|close|knock)\s+(?:it|that|this|that one|"
    r"(?:that|this|the)\s+(?:task|one|fu|follow[- ]?up|to-?do))?\s*(?:off|out|(?:as\s+)?(?:done|"
    r"complete|completed|finished|closed))|mark\s+(?:it|that|this)|"
    r"(?:it'?s|that'?s|thats|it is)\s+(?:all\s+)?(?:done|"
    r"finished|complete|completed|sorted))\s*(?:pls|please|plz|thx|thanks|ty)?[.!]*\s*$",
    I,
)
# What was done, said with the task's own words ("bluth proposal sent, mark it done").
_DID = re.compile(
    r"\s+(?:is\s+|was\s+|has been\s+|got\s+)?(?:sent|sent out|out|over|emailed|called|booked|"
    r"signed|submitted|shared|went out|gone out|done|finished|complete|completed|handled|"
    r"sorted)$",
    I,
)

# Two tasks, each with its own "the": "the initech proposal and the ingrid ward case study"
_TWO = re.compile(r"^the\s+(?P<a>.+?)\s*(?:,\s*|\s+)(?:and|&|\+|n)\s+the\s+(?P<b>.+)$", I)


# "ok the jane one is done already", "X is done, did it first thing": a word of assent
# before, and when or how it was done after, are not part of which task.
_LEAD_IN = re.compile(r"^(?:ok(?:ay)?|k|so|alright|right|cool|great|yep|yeah)\b[\s,.!-]*", I)
_TAIL = re.compile(
    r"(?:\s+(?:already|now|too|as well|btw|fyi|pls|please|plz|earlier|today|this morning|"
    r"this afternoon|last night|yesterday|yday|(?:an?|\d+|a few)\s+(?:mins?|minutes|hours?|hrs?)"
    r"\s+ago))+\s*[.!]*$|"
    r"\s*[,;.-]+\s*(?:(?:i|we)\s+)?(?:did|finished|wrapped|knocked|sent|handled|got)\s+"
    r"(?:it|that|this)\b[^,;]*$",
    I,
)

# What is left once how or when it was done is cut off must still ask for the task done:
# "X is done, did it first thing", "check off the jane one, handled it on slack".
_ASKED_DONE = re.compile(
    r"\b(?:done|finished|complete|completed|off)(?:\s+(?:pls|please|plz))?\s*$|"
    r"^(?:(?:pls|please)\s+)?(?:check|tick|cross|mark|close)\b",
    I,
)


def complete_request(u: Utterance, cmd: str) -> Intent | None:
    if re.search(r"\b(?:deals?|opportunit(?:y|ies)|opps?)\b", cmd, I):
        return None
    trimmed = _TAIL.sub("", _TAIL.sub("", _LEAD_IN.sub("", cmd.strip()))).strip()
    if trimmed != cmd.strip() and _ASKED_DONE.search(trimmed):
        cmd = trimmed
    again = _SAID_AGAIN.search(cmd)
    if again and again.start() > 0 and "?" not in cmd[: again.start()]:
        said = cmd[: again.start()].strip()
        found = _completed(said)
        if found is not None:
            return found
        phrase = clean_task_phrase(_DID.sub("", _TAIL.sub("", said)))  # "went out this am"
        if phrase and not re.match(r"^(?:i|we|you|they|he|she)\b", phrase, I):
            return make_intent("complete_task", phrase=phrase)
        return None
    return _completed(_REASON.sub("", cmd))


# "close out the olivia pricing fu, she went dark": why it is done, not which task it is
_REASON = re.compile(r"\s*[,;]\s*(?:(?:she|he|they)(?:'s|s|'re|re)?|since|because|bc|cuz)\s.*$", I)


def _completed(cmd: str) -> Intent | None:
    patterns = (
        r"^(?:done|finished|completed|complete)\s*[:\-]+\s*(?P<x>.+)$",
        r"^(?:i'?m |i am |we'?re |we are )?(?:all |now )?(?:done|finished|through) (?:with|w/?) "
        r"(?P<x>.+)$",
        r"^(?:(?:i|we) (?:have |'ve )?(?:just )?(?:did|done)|"
        r"(?:i |we )?(?:have |'ve )?(?:just )?(?:finished|completed|knocked out|"
        r"wrapped up|handled|took care of|sorted|ticked off|checked off))\s+(?P<x>.+)$",
        r"^(?:mark|set|flag|tick|check|cross|close)\s+(?P<x>.+?)\s+(?:as\s+|to\s+)?(?:done|"
        r"complete|"
        r"completed|finished|off|closed)$",
        r"^(?:complete|finish|close out|close|tick off|check off|cross off|resolve|"
        r"clear)\s+(?P<x>.+)$",
        r"^(?P<x>.+?)\s+(?:is |are |was |has been )?(?:all )?(?:done|complete|completed|finished|"
        r"sorted|taken care of|handled)$",
    )
    for pattern in patterns:
        m = re.match(pattern, cmd, I)
        if m:
            x = m["x"].strip()
            if re.match(r"^(?:i|we|you|they)\b", x, I):
                return None
            if re.search(
                r"\b(?:call|chat|talk|conversation|meeting)\s+with\b", x, I
            ) and vocab.outcome_in(x.lower()):
                return None
            both = _TWO.match(x)
            if both:  # "the bluth proposal and the mateo case study": two tasks, each named
                parts = tuple(clean_task_phrase(p) for p in (both["a"], both["b"]))
                if all(len(p) > 2 for p in parts):
                    return make_intent("complete_task", phrase=parts[0], phrases=parts)
            phrase = clean_task_phrase(x)
            pronoun = phrase.lower() in ("", "it", "that", "this", "same", "last", "that one")
            return make_intent("complete_task", phrase=None if pronoun else phrase)
    return None
