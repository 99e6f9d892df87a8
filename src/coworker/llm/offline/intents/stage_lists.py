"""Deals asked for by stage ("initech opps in negotiation?", "team pipeline in proposal"),
by whose they are ("what does sam have in negotiation") or by their name ("whats the status
on the acme team plan deal"): a read, never a move. Apart from `lists.py` because it is
read before the deal updates, where "<deals> in <stage>" would move a deal the person only
asked about, and answers through the deal listing there.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline import vocab
from coworker.llm.offline.intents.common import I, Intent, make_intent
from coworker.llm.offline.intents.deal_dates import NAMED_DEAL
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


# Someone's deals in a stage: "what does sam have in negotiation atm", "sam's deals in
# proposal", "deals sam has in negotiation". The someone is a lead, the person themself or a
# teammate: the plan tells which (the CRM names leads, not the team's users).
_NAME = r"(?P<who>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)"
_IN_STAGE = r"\s+(?:in|at)\s+(?:the\s+)?(?P<s>[\w -]+?)(?:\s+stage)?$"
_WHOSE_IN_STAGE = (
    re.compile(
        rf"^(?:what|whats|what's|what is|how much|how many(?: deals)?)"
        r"(?:\s+(?:deals?|opps?|opportunit(?:y|ies)))?\s+(?:does|do|did|has|is)?"
        rf"\s*{_NAME}\s+(?:have|has|got|get|own|owns|carrying|sitting on){_IN_STAGE}",
        I,
    ),
    re.compile(
        rf"^(?:show\s+(?:me\s+)?|list\s+|pull up\s+)?{_NAME}(?:'s|’s|s')\s+(?:deals|opps|"
        rf"opportunities|pipeline){_IN_STAGE}",
        I,
    ),
    re.compile(rf"^(?:deals|opps)\s+{_NAME}\s+(?:has|have|got|owns){_IN_STAGE}", I),
)
_NOT_SOMEONE = re.compile(
    r"^(?:i|we|you|they|he|she|it|the|team|the team|everyone|everybody|my|our|anyone|someone|"
    r"(?:the\s+)?(?:team|whole team|company))$",
    I,
)
_LATELY = re.compile(r"\s+(?:rn|right now|now|atm|currently|at the moment|so far)$", I)
# A deal asked about by name: "whats the status on the acme team plan deal", "where are we on
# the tyrell onboarding deal", "hooli renewal deal?": that deal shown (and "it" after).
_DEAL_ASKED = (
    re.compile(
        r"^(?:what'?s|whats|what is)\s+(?:the\s+)?(?:status|latest|update|stage|story|deal|"
        r"situation|state|(?:expected\s+)?(?:close|closing)(?:\s+date)?|value|amount|size)\s+"
        r"(?:on|of|with|for|in)\s+(?P<d>.+)$",
        I,
    ),
    # "when does mei hayes's renewal close", "when's the acme deal closing": its close date
    re.compile(
        r"^when\s*(?:does|do|is|will|'?s|s)\s+(?P<d>.+?)\s+(?:(?:expected|due|set|supposed|"
        r"going)\s+to\s+)?(?:close|closing)$",
        I,
    ),
    re.compile(
        r"^where\s+(?:are|r)\s+we\s+(?:on|with|at)\s+(?P<d>.+)$|"
        r"^where\s+(?:do\s+we\s+stand|is|'?s)\s+(?:on|with)?\s*(?P<e>.+?)(?:\s+at)?$",
        I,
    ),
    re.compile(r"^(?:how'?s|hows|how is)\s+(?P<d>.+?)\s+(?:going|looking|doing|coming along)$", I),
    # "is the bluth deal dead?", "did the initech pilot sign", "should i mark the bluewater
    # deal lost?", "how much is the bluth pilot worth now": asked, so shown, never moved
    re.compile(
        r"^(?:is|isn'?t|was|has|did|are)\s+(?P<d>.+?)\s+(?:(?:really|actually|officially|"
        r"already|still|finally|now)\s+)*(?:dead|lost|won|signed|sign|closed|close|alive|"
        r"going|on track|stalled|in\s+\w+)\b.*$",
        I,
    ),
    re.compile(
        r"^(?:should|shall|do)\s+(?:i|we)\s+(?:mark|move|put|set|close)(?:\s+out)?\s+"
        r"(?P<d>.+?)\s+(?:as\s+|to\s+|in\s+|into\s+)?(?:closed[ -]?)?\w+$",
        I,
    ),
    re.compile(r"^how\s+much\s+is\s+(?P<d>.+?)(?:\s+worth)?(?:\s+(?:now|rn|atm|today))?$", I),
)
_ONE_DEAL = re.compile(r"^(?:the\s+)?(?P<r>[\w&.' -]+?)\s+(?:deal|opp|opportunity)$", I)
# "the acme deal w marcus": the company's deal with that lead, the lead named after it.
_DEAL_WITH = re.compile(
    r"^(?:the\s+)?(?P<co>[\w&.' -]+?)\s+(?:deal|opp|opportunity)\s+(?:with|w/?|for|on)\s+"
    r"(?P<who>[\w.' -]+)$",
    I,
)


def _whose_request(text: str) -> Intent | None:
    """Someone's deals in a stage (see `_WHOSE_IN_STAGE`), with `whose` as they were named."""
    # "what's sam got in negotiation atm? covering his review tmrw": the question, then why
    asked = _LATELY.sub("", re.split(r"\s*[?;]\s*", text, maxsplit=1)[0])
    for pattern, said in ((p, t) for t in (_LATELY.sub("", text), asked) for p in _WHOSE_IN_STAGE):
        m = pattern.match(said)
        if m and vocab.stage_in(m["s"].lower()) and not _NOT_SOMEONE.match(m["who"]):
            who = m["who"].strip()
            return make_intent(
                "list_deals", ref=lead_ref(who), stage=vocab.stage_in(m["s"].lower()), whose=who
            )
    return None


def _deal_question(u: Utterance, text: str) -> Intent | None:
    """One deal asked about by its name (see `_DEAL_ASKED`): listed, so "bump it" can follow."""
    said = None
    for pattern in _DEAL_ASKED:
        m = pattern.match(text)
        if m:
            said = m["d"] if m.groupdict().get("d") else m.groupdict().get("e")
            break
    if said is None and u.raw.rstrip().endswith("?"):
        said = text  # "hooli renewal deal?"
    said = (said or "").strip()
    with_lead = _DEAL_WITH.match(said)
    if with_lead and not re.match(r"^(?:my|our|any|all|open|every|each)\b", said, I):
        return make_intent(
            "list_deals", ref=LeadRef(lead_ref(with_lead["who"]).text, company=with_lead["co"])
        )
    one = _ONE_DEAL.match(said)
    if one is None and NAMED_DEAL.match(said):  # "the hooli renewal": its company and name
        one = re.match(r"^(?:the\s+)?(?P<r>.+)$", said, I)
    if one is None or re.match(
        r"^(?:my|our|any|all|open|every|each|your|this|that)\b", one["r"], I
    ):
        return None
    return make_intent("list_deals", ref=lead_ref(one["r"].strip()))


def stage_list_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    """Deals in a stage, asked without a verb that moves them (a read, never a move)."""
    text = normalise(cmd).text.strip().rstrip(" ?!.")
    asked = _whose_request(text) or _deal_question(u, text)
    if asked is not None:
        return asked
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
    ref: LeadRef = intent.slots.get("ref") or LeadRef()
    if not whose:
        return intent
    if _TEAM_WORDS.fullmatch(whose) and re.search(r"\b(?:team|every|our|across)", whose, I):
        return intent.but("list_deals", ref=LeadRef(), mine=None)
    said = query_text(whose)
    if (
        ref.empty
        and said
        and not intent.slots.get("mine")
        # a name alone ("any tyrell deals"), not "the total value of the deals"
        and said == re.sub(r"^(?:(?:any|all|the|show(?: me)?|list)\s+)+", "", whose, flags=I)
        and len(said.split()) <= 3
    ):
        return intent.but("list_deals", ref=lead_ref(said))
    return intent
