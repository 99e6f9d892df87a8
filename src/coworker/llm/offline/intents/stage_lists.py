"""Deals asked for by stage ("initech opps in negotiation?", "team pipeline in proposal"):
a read, never a move. Apart from `lists.py` because it is read before the deal updates, where
"<deals> in <stage>" would move a deal the person only asked about, and answers through the
deal listing there.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline import vocab
from coworker.llm.offline.intents.common import I, Intent, make_intent
from coworker.llm.offline.intents.lists import list_request, query_text
from coworker.llm.offline.shorthand import normalise
from coworker.llm.offline.slots import LeadRef, lead_ref
from coworker.llm.offline.text import Utterance

# "initech opps in negotiation?", "team pipeline in proposal", "what's the team got in
# proposal": deals asked for by stage, with no verb that moves them. Read before the deal
# updates, where "<deals> in <stage>" would move a deal the person only asked about.
_MOVE_VERB = (
    r"move|push|advance|bump|set|change|update|put|mark|progress|shift|take|drag|switch|drop|"
    r"close|make"
)
STAGE_ASKED = re.compile(
    rf"^(?!(?:{_MOVE_VERB})\b)(?P<d>.*?)\b(?P<noun>deals?|opps|opportunities|pipeline|got)\s+"
    r"(?:(?:are|r)\s+)?(?:in|at)\s+(?:the\s+)?(?P<s>[\w -]+?)(?:\s+stage)?"
    r"(?:\s+(?:rn|right now|now|atm|currently|at the moment))?$",
    I,
)
# Whose deals, said where a company would be: "the team's", "everyone's" (the whole team's).
_TEAM_WORDS = re.compile(
    r"^(?:(?:what'?s|whats|what has|what is|show(?: me)?|list|any|all|the|whole|entire|"
    r"team'?s?|everyone'?s|everybody'?s|our|across)\s*)+$",
    I,
)


def stage_list_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    """Deals in a stage, asked without a verb that moves them (a read, never a move)."""
    text = normalise(cmd).text.strip().rstrip(" ?!.")
    m = STAGE_ASKED.match(text)
    if m is None or vocab.stage_in(m["s"].lower()) is None:
        return None
    if (
        m["noun"].lower() == "deal"
        and not u.raw.rstrip().endswith("?")
        and not re.search(r"\b(?:deals|opps|opportunities)\b", u.raw, I)
    ):
        return None  # "the initech deal in negotiation": may say where it is now
    intent = list_request(u, text, now)
    if intent is None or intent.kind != "list_deals":
        return None
    whose = m["d"].strip(" ,")
    ref: LeadRef = intent.get("ref") or LeadRef()
    if not whose:
        return intent
    if _TEAM_WORDS.fullmatch(whose) and re.search(r"\b(?:team|every|our|across)", whose, I):
        return make_intent("list_deals", **{**intent.slots, "ref": LeadRef(), "mine": None})
    said = query_text(whose)
    if (
        ref.empty
        and said
        and not intent.get("mine")
        # a name alone ("any tyrell deals"), not "the total value of the deals"
        and said == re.sub(r"^(?:(?:any|all|the|show(?: me)?|list)\s+)+", "", whose, flags=I)
        and len(said.split()) <= 3
    ):
        return make_intent("list_deals", **{**intent.slots, "ref": lead_ref(said)})
    return intent
