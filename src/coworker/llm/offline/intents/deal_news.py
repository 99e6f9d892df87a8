"""A deal's news as reps type it: in caps, with emoji and bangs ("WE WON PINECREST 🎉 mark
it closed won", "hooli renewal closed!!! 🙌"). The emoji is a sentence's end, the bangs are
cheer: neither is a word of the deal's name. "closed" alone does not say won or lost, so
"X closed!!" is read as won only with the cheer around it, and asked before it is written.
"""

from __future__ import annotations

import re

from coworker.llm.offline.deal_reasons import REASON_AFTER_NEWS
from coworker.llm.offline.intents.common import (
    DEAL_WORDS,
    EMOJI,
    QUESTION_START,
    I,
    Intent,
    calm,
    make_intent,
)
from coworker.llm.offline.intents.deal_dates import deal_said
from coworker.llm.offline.vocab import stage_named


def cheered(cmd: str) -> bool:
    """Whether `cmd` celebrates: a bang or a party emoji."""
    return "!" in cmd or bool(re.search(rf"{EMOJI}", cmd))


# "hooli renewal closed!!! 🙌", "the acme deal is finally closed!": a deal closed, with cheer.
_CLOSED_NEWS = re.compile(
    r"^(?:the\s+|our\s+)?(?P<d>[^,;.!?]+?)\s+(?:(?:is|'s|has|just|finally|officially|now|"
    r"been|got)\s+)*closed\s*!+$",
    I,
)
# "initech signed 🎉", "pinecrest finally signed!": a company signed, its deal won (asked).
_SIGNED_NEWS = re.compile(
    r"^(?:the\s+|our\s+)?(?P<d>[^,;.!?]+?)\s+(?:(?:just|finally|officially|have|has)\s+)*"
    r"signed\s*(?:today|this am|this morning|just now)?\s*!*$",
    I,
)


def closed_news(cmd: str) -> Intent | None:
    """ "<deal> closed!!", "<company> signed 🎉": won, most likely, but "closed" alone may
    be either end, so the stage is shown and asked (`stage_unsure`) before it is written."""
    if not cheered(cmd) or QUESTION_START.match(cmd):
        return None
    m = _CLOSED_NEWS.match(calm(cmd)) or _SIGNED_NEWS.match(calm(cmd))
    if m is None or len(m["d"].split()) > 6 or re.search(r"\b(?:task|ticket|call)\b", m["d"], I):
        return None
    ref, mine = deal_said(m["d"])
    if ref.empty or ref.pronoun:
        return None
    return make_intent(
        "update_deal", ref=ref, mine=mine or None, stage="closed_won", stage_unsure=True
    )


# "lost bluewater, they went w a competitor", "quarry street pilot is a no, budget got cut":
# the news, then why.
_LOST_WHY = re.compile(
    r"^(?:(?:we|i)\s+)?(?:just\s+)?(?P<v>lost|won)\s+(?:the\s+|our\s+)?(?P<d>[^,;.!?]+?)$|"
    r"^(?:the\s+)?(?P<d2>[^,;.!?]+?)\s+(?:is|'s)\s+(?:a\s+)?(?P<no>no|dead|a no go|no go|off)$",
    I,
)


def news_with_reason(cmd: str) -> Intent | None:
    """A deal won or lost with its reason after it (see `_LOST_WHY`): the stage said, asked
    before it is written, since no deal word says the name is a deal's."""
    text = calm(cmd)
    reason = REASON_AFTER_NEWS.search(text)
    if reason is None or reason.start() == 0:
        return None
    m = _LOST_WHY.match(text[: reason.start()].strip())
    if m is None:
        return None
    said = m["d"] or m["d2"]
    if len(said.split()) > 5 or re.search(r"\b(?:task|call|number|email|phone)\b", said, I):
        return None
    ref, mine = deal_said(said)
    if ref.empty or ref.pronoun:
        return None
    stage = "closed_won" if (m["v"] or "").lower() == "won" else "closed_lost"
    return make_intent("update_deal", ref=ref, mine=mine or None, stage=stage, stage_unsure=True)


# "quarry street pilot is a no, budget got cut. mark it lost": the news, why, then the ask.
_WHY_BETWEEN = re.compile(
    r"^(?P<news>[^,;.!?]+),\s*[^.;!?]+[.;!]+\s*(?P<then>(?:pls\s+|please\s+)?(?:mark|move|set|"
    r"close|put|change)\s+(?:it|that|this|the deal|the opp)\b.*)$",
    I,
)


def without_reason(cmd: str) -> str:
    """`cmd` without the reason between a deal's news and the stage asked for it."""
    m = _WHY_BETWEEN.match(calm(cmd))
    return f"{m['news']}, {m['then']}" if m else cmd


# What happens to a deal, as news: "signed", "is slipping", "confirmed budget", "went dark".
_HAPPENED = (
    r"(?:signed|closed(?![ -]?(?:won|lost))|slipping|slipped|sliding|slid|stalling|stalled|"
    r"delayed|dead|"
    r"confirmed|approved|committed|agreed|accepted|said yes|went (?:dark|quiet|cold)|"
    r"ghosted|ghosting|pushed back|came back|is a no|is a go|got (?:budget|approval|legal)|"
    r"needs? (?:more )?time|wants? to (?:wait|move)|moved forward|is moving)"
)
_NEWS = re.compile(
    r"^(?:the\s+|our\s+|my\s+)?(?P<d>[a-z][\w&.'-]*(?:\s+[a-z][\w&.'-]*){0,4}?)\s+"
    r"(?:(?:is|are|'s|has|have|just|finally|officially|totally|now|got|was|were|kinda|"
    rf"def|definitely)\s+)*{_HAPPENED}\b",
    re.I,
)


def news_deal(part: str) -> str | None:
    """The words naming the deal (or its company or lead) a piece of news is about: "ACME
    SIGNED" -> "ACME", "wonka confirmed budget" -> "wonka"; None when `part` is no news."""
    m = _NEWS.match(part.strip())
    if m is None or re.search(r"\b(?:i|we|you|u|he|she|they|it)\b", m["d"], re.I):
        return None
    return m["d"]


# "initech moved to negotiation", "the pilot went to proposal", "hooli's now in the
# negotiation stage": a name moved to a stage. Only a stage word ends it (`stage_named`), so
# "jane moved to hooli" stays a new employer and "the demo moved to 4pm" a time.
_MOVED_TO_STAGE = re.compile(
    r"^(?:the\s+|our\s+|my\s+)?(?P<d>[^,;.!?]+?)(?:'s|’s)?\s+(?:(?:has|have|just|finally|now|"
    r"officially|is|been)\s+)*(?:moved|went|gone|advanced|progressed|slipped|dropped|is)\s+"
    r"(?:back\s+|up\s+|forward\s+|now\s+)*(?:to|into|in|at)\s+(?P<t>[^,;!?]+?)[.!]*$",
    I,
)


def moved_to_stage(cmd: str) -> Intent | None:
    """A deal named by its company, lead or name, moved to a stage said in words: the stage
    is read, never a company or title; which deal is the resolver's (asked when unsure)."""
    m = _MOVED_TO_STAGE.match(calm(cmd).strip())
    stage = stage_named(m["t"]) if m else None
    if m is None or stage is None or len(m["d"].split()) > 6:
        return None
    if re.search(rf"\b(?:task|call|meeting|demo|number|email|phone|{DEAL_WORDS})\b", m["d"], I):
        return None  # "my maple grove opp is now in proposal": the deal reader's, as said
    ref, mine = deal_said(m["d"])
    if ref.empty or ref.pronoun:
        return None
    return make_intent("update_deal", ref=ref, mine=mine or None, stage=stage)
