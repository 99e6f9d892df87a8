"""Enrolling a lead (or a group of leads) in a sequence: "add jane to the nurture seq",
"start the post-demo cadence for marcus". A request of its own, apart from the one-off sends,
with its own vocabulary for what a sequence is called.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import SEQ_WORDS, I, Intent, make_intent
from coworker.llm.offline.slots import lead_ref
from coworker.llm.offline.text import Utterance

_SEQ_SHORT = r"(?:seqs?|cadence|drip)"  # Slack shorthand for a sequence


def enroll_request(u: Utterance, cmd: str) -> Intent | None:
    seq_word = re.search(
        rf"\b{SEQ_WORDS}\b|\b{_SEQ_SHORT}\b|\bnurture\b|re-?engage|post[- ]?demo", cmd, I
    )
    m = re.match(
        r"^(?:enroll|enrol|subscribe|sign up|register|sign)\s+(?P<ref>.+?)\s+(?:up\s+)?"
        r"(?:in|into|on|to|for|onto)\s+(?P<seq>.+)$",
        cmd,
        I,
    )
    if not m and seq_word:
        m = re.match(
            r"^(?:add|put|start|drop|place|move|push|get|stick|throw|include|"
            r"kick off)\s+(?P<ref>.+?)"
            r"\s+(?:in|into|on|to|onto|through|in to)\s+(?P<seq>.+)$",
            cmd,
            I,
        )
        if not m:
            m2 = re.match(
                r"^(?:start|kick off|begin|launch|run|trigger)\s+(?:the\s+)?(?P<seq>.+?)\s+"
                r"(?:for|on|with)\s+(?P<ref>.+)$",
                cmd,
                I,
            )
            if m2:
                return make_intent(
                    "enroll", ref=lead_ref(m2["ref"]), sequence=sequence_query(m2["seq"])
                )
    if not m:
        return None
    group = re.match(r"(?:all|every|each|everyone|everybody)\b", m["ref"].strip(), I)
    return make_intent(
        "enroll",
        ref=lead_ref(m["ref"]),
        sequence=sequence_query(m["seq"]),
        group=m["ref"].strip() if group else None,
    )


def sequence_query(text: str) -> str:
    text = re.sub(
        rf"\b(?:the|a|an|our|my){{1}}\b|\b{SEQ_WORDS}\b|\b{_SEQ_SHORT}\b", " ", text, flags=I
    )
    return re.sub(r"\s+", " ", text).strip(" .,'\"")
