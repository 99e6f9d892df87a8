"""A deal won or lost: "mark it won", "mark the second one lost", "lost the X deal to a
competitor, mark it lost". Only a deal is won or lost, so these words need no deal noun; who
took it or why ("to a competitor", "bc of budget") is never part of its name.
"""

from __future__ import annotations

import re

from coworker.llm.offline import vocab
from coworker.llm.offline.intents.common import I, Intent, make_intent
from coworker.llm.offline.intents.deal_dates import deal_said
from coworker.llm.offline.slots import LeadRef

# "closed" alone: won or lost, which the person says, not us.
BARE_CLOSED = re.compile(r"^\s*(?:is\s+|now\s+)*closed\s*[.!]*$", I)


def stage_in(text: str) -> str | None:
    """The stage words name; "closed lost" before "closed" (won), and "closed" alone names
    none (won or lost?)."""
    low = text.lower()
    if re.search(r"\bclosed[ -]?lost\b|\blost\b", low):
        return "closed_lost"
    if (
        BARE_CLOSED.match(low)
        or re.fullmatch(r"\s*closed\b.*", low)
        and not re.search(r"\bclosed[ -]?won\b|\bwon\b|\bsigned\b", low)
    ):
        return None
    return vocab.stage_in(low)


# "lost the tyrell onboarding deal, mark it closed lost", "won the initech pilot!!": what
# happened first, then perhaps the stage said again for the deal ("mark it ...").
_OUTCOME_THEN = re.compile(
    r"^(?P<we>(?:we|i)\s+)?(?:just\s+|finally\s+|officially\s+)?(?P<v>lost|won|signed|closed)\s+"
    r"(?P<d>.+?)(?:\s+(?:today|yesterday|this morning|this afternoon))?"
    r"(?:\s*(?:[,;.!]+|\s-+|\s+and|\s+so)\s*(?:pls\s+|please\s+)?(?:mark|move|set|put|change|"
    r"update|switch)\s+(?:it|that|this|the deal|the opp)\s+(?:as\s+|to\s+|in\s+|into\s+)?"
    r"(?P<t>.+?))?[\s.!]*$",
    I,
)
# "mark it won", "move that one to lost": a deal's end, so "it" is the deal in context (a
# lead is never won or lost); "it" with nothing before it is asked about.
_IT_ENDED = re.compile(
    r"^(?:mark|move|set|put|change|switch|close)\s+(?:out\s+)?(?:it|that|this|that one|this one|"
    r"the deal|the opp)\s+(?:out\s+)?(?:as\s+|to\s+|in\s+|into\s+)?(?P<t>(?:closed[ -]?)?"
    r"(?:won|lost)|dead)[\s.!]*$",
    I,
)


# "mark the second one lost", "set the bigger one as won": only a deal is won or lost.
MARKED_ENDED = re.compile(
    r"^(?:mark|move|set|put|switch)\s+(?P<d>\S.*?)\s+(?:as\s+|to\s+)?"
    r"(?P<t>(?:closed[ -]?)?(?:won|lost))[\s.!]*$",
    I,
)
_NOT_A_DEAL = re.compile(
    r"\b(?:tasks?|calls?|notes?|emails?|texts?|reminders?|fu|follow[- ]?ups?)\b", I
)


def it_ended(cmd: str) -> Intent | None:
    """ "mark it won" (see `_IT_ENDED`): the deal in context, ended; "mark the second one
    lost": the deal named (a pointer into the list just shown, a name), ended."""
    ended = _IT_ENDED.match(cmd.strip())
    if ended is not None:
        return make_intent("update_deal", ref=LeadRef(pronoun=True), stage=stage_in(ended["t"]))
    marked = MARKED_ENDED.match(cmd.strip())  # "mark the second one lost", "mark acme won"
    if marked is None or _NOT_A_DEAL.search(marked["d"]):
        return None
    ref, mine = deal_said(marked["d"])
    if ref.empty:
        return None
    return make_intent("update_deal", ref=ref, mine=mine or None, stage=stage_in(marked["t"]))


# Who took the deal or why, said after it: "lost the X deal to a competitor", "... bc of
# budget": not part of its name.
_LOST_TO = re.compile(
    r"\s+(?:to|against|bc|b/c|because|cause|cuz|due to|over)\s+(?:a|an|the|some|another|"
    r"of|their|our)?\b.*$",
    I,
)


def outcome_then(cmd: str, has_deal: bool) -> Intent | None:
    """ "lost the X deal, mark it closed lost": the deal and its stage; when the two
    halves say different stages ("lost ..., mark it closed won"), both, to ask which."""
    m = _OUTCOME_THEN.match(cmd.strip())
    if m is None or not (m["we"] or has_deal or m["t"]):
        return None
    said = "closed_lost" if m["v"].lower() == "lost" else "closed_won"
    again = stage_in(m["t"]) if m["t"] else None
    d = _LOST_TO.sub("", m["d"])
    ref, mine = deal_said(re.sub(r"^(?:the|our)\s+", "", d, flags=I))
    if ref.empty and not (m["we"] or m["t"]):
        return None  # "won deals": which deals are won, a list
    if again is not None and again != said:
        return make_intent("update_deal", ref=ref, mine=mine or None, stages_said=(said, again))
    return make_intent("update_deal", ref=ref, mine=mine or None, stage=said)
