"""The questions a rep asks every day: "who should I call next?", "what did I do yesterday?".

They are answered from CRM data (tasks, sent history, logged activity), never by looking
up a lead called "should call next"; `plans/daily.py` answers them through the derived read
tools (`next_best_actions`, `prep_brief`, `activity_report`, `pipeline_report`).
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I, Intent, make_intent

NEXT_CALLS = re.compile(
    r"^(?:who|whom)\s+(?:should|do|shall|must|can|could)\s+(?:i|we)\s+(?:call|ring|phone|"
    r"dial|contact|reach out to|follow up with|chase|ping|hit up)(?:\s+(?:next|now|first|today|"
    r"up next|this morning|this afternoon))*$|"
    r"^(?:who'?s|who is)\s+(?:next|up next)(?:\s+(?:to|on)\s+(?:call|my list))?$|"
    r"^(?:next best actions?|next calls?|who to call(?: next| today)?|call list(?: for today)?|"
    r"my call list|what(?:'s| is) next|what should i do next)$",
    I,
)
DID = re.compile(
    r"^what\s+(?:did|have)\s+(?:i|we)\s+(?:do|done|get done|work on|accomplish|achieve)\s+"
    r"(?P<when>yesterday|today|this week|last week)$|"
    r"^(?:my\s+)?(?:activity|recap|summary)\s+(?:for|of|from)\s+(?P<when2>yesterday|today|"
    r"this week|last week)$|"
    r"^(?:recap|summari[sz]e)\s+(?:my\s+)?(?P<when3>yesterday|last week)$",
    I,
)
PREP = re.compile(
    r"^(?:prep|prepare|brief)\s+me\s+(?:for|on)\s+(?:my\s+|the\s+)?(?:(?:call|meeting|chat)\s+"
    r"(?:with|to)\s+)?(?P<name>.+)$|"
    r"^(?:call\s+prep|prep\s+brief)\s+(?:for|on)\s+(?P<name2>.+)$",
    I,
)
PIPELINE = re.compile(
    r"^(?:how'?s|how is|how does)\s+(?P<whose>my|our|the team'?s|the)\s+pipeline"
    r"(?:\s+(?:look|looking|doing))?(?:\s+(?:today|now|rn))?$|"
    r"^(?:show\s+(?:me\s+)?)?(?P<whose2>my|our|the team'?s|the)\s+pipeline(?:\s+report)?$|"
    r"^how\s+much(?:'s|\s+is)?\s+in\s+(?P<whose3>my|our|the team'?s|the)\s+pipeline"
    r"(?:\s+(?:today|now|rn))?$",
    I,
)


def daily_request(cmd: str) -> Intent | None:
    text = cmd.strip().rstrip("?!. ")
    prep = PREP.match(text)
    if prep:
        return make_intent("prep_brief", name=(prep["name"] or prep["name2"]).strip())
    pipeline = PIPELINE.match(text)
    if pipeline:
        whose = (pipeline["whose"] or pipeline["whose2"] or pipeline["whose3"]).lower()
        return make_intent("pipeline_report", whose="team" if whose != "my" else "mine")
    if NEXT_CALLS.match(text):
        return make_intent("next_calls")
    did = DID.match(text)
    if did:
        when = (did["when"] or did["when2"] or did["when3"]).lower()
        return make_intent("activity_report", when=when)
    return None
