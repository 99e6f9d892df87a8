"""Whose records a question asks about, said apart from it: "any new leads since yesterday?
just mine not sam's", "who do we have at acme, whole team not just mine", "leads i got in the
last 7 days". The scope is read off and the rest is read as the question it is; the answer is
then kept to the person's own records, or left team-wide. Only a read is scoped here: a
change with such words is left to the readers of changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Literal

from coworker.llm.offline.intents.common import I, Intent, IntentKind
from coworker.llm.offline.text import Utterance

Scope = Literal["mine", "team"]

_TAIL = r"(?:\s*[,;:?.!-]+\s*|\s+)"
_MINE_TAIL = re.compile(
    rf"{_TAIL}(?:(?:just|only)\s+mine|mine\s+only|only\s+my\s+own|just\s+my\s+own)"
    r"(?:\s*,?\s*(?:not|no|and not)\s+[a-z]+(?:'s|s)?(?:\s+(?:ones?|leads|deals))?)?[\s?.!]*$",
    I,
)
_TEAM_TAIL = re.compile(
    rf"{_TAIL}(?:(?:for|across|from)\s+)?(?:the\s+)?(?:(?:whole|entire|full)\s+team(?:'?s)?|"
    r"team[- ]wide|every(?:one|body)(?:'?s)?|all\s+of\s+(?:ours|us))"
    r"(?:\s*,?\s*not\s+(?:just|only)\s+(?:mine|me|my\s+own))?[\s?.!]*$|"
    rf"{_TAIL}not\s+(?:just|only)\s+(?:mine|my\s+own)[\s?.!]*$",
    I,
)
# "of mine", "i got", "assigned to me": the person's own, said inside the question.
_MINE_INSIDE = re.compile(
    r"\s+of\s+mine\b|\s+(?:that\s+)?(?:i(?:'ve)?\s+got|i\s+have|i\s+own|assigned\s+to\s+me)\b|"
    r"^(?:any\s+)?my\s+(?=new\b|fresh\b|latest\b|recent\b)",
    I,
)
# The reads a scope applies to; each one's plan keeps to the person's own with `mine`.
_SCOPED: frozenset[IntentKind] = frozenset(
    {"find_leads", "list_leads", "recent_leads", "list_deals", "list_tasks"}
)


# A scope said on its own, after a listing: "ok just mine", "only mine pls", "whole team".
_SCOPE_ALONE = re.compile(
    r"^(?:(?:ok(?:ay)?|k|and|now|cool|great|thanks|hmm|right|so|(?:what|how) about)[\s,.!]+)*"
    r"(?:now\s+)?(?:(?:show|do|same for)\s+(?:me\s+)?)?"
    r"(?:(?P<mine>(?:just|only)\s+mine|mine\s+only|only\s+my\s+own|just\s+my\s+own|"
    r"(?:just|only)\s+(?:the\s+)?ones?\s+i\s+own)|"
    r"(?P<team>(?:for\s+|across\s+)?(?:the\s+)?(?:whole|entire|full)\s+team(?:'?s)?|team[- ]wide|"
    r"every(?:one|body)'?s|(?:for\s+|across\s+)the\s+team))"
    r"(?:\s+(?:pls|please|plz|then|instead|this time))*[\s?.!]*$",
    I,
)


def narrowed(
    previous: str,
    said: str,
    now: datetime,
    classify: Callable[[Utterance, datetime], Intent],
) -> Intent | None:
    """ "ok just mine" after "whats in negotiation across the team": the last question asked
    again, kept to the person's own records (or the team's); None when `said` is more than
    a scope, or the last message was no listing a scope applies to."""
    alone = _SCOPE_ALONE.match(said.strip())
    if alone is None:
        return None
    found = scope_said(previous)
    intent = classify(Utterance.of(found[1] if found else previous), now)
    if intent.kind not in _SCOPED:
        return None
    if alone["team"]:
        return intent.but(mine=None)
    return intent.but("list_leads" if intent.kind == "find_leads" else intent.kind, mine=True)


def scope_said(text: str) -> tuple[Scope, str] | None:
    """The scope said at the end (or inside, for "of mine") and the words without it."""
    for scope, pattern in (("team", _TEAM_TAIL), ("mine", _MINE_TAIL)):
        m = pattern.search(text)
        if m is not None and m.start() > 0:
            rest = text[: m.start()]
            rest = _MINE_INSIDE.sub(" ", rest) if scope == "mine" else rest
            return scope, re.sub(r"\s+", " ", rest).strip(" ,?")  # type: ignore[return-value]
    m = _MINE_INSIDE.search(text)
    if m is not None:
        rest = re.sub(r"\s+", " ", text[: m.start()] + " " + text[m.end() :]).strip(" ,?")
        return "mine", rest
    return None


def scoped_request(
    u: Utterance, cmd: str, now: datetime, classify: Callable[[Utterance, datetime], Intent]
) -> Intent | None:
    """The read `cmd` asks for with its scope said apart (see the module), or None."""
    found = scope_said(cmd)
    if found is None:
        return None
    scope, rest = found
    if not rest:
        return None
    intent = classify(Utterance.of(rest), now)
    if intent.kind in ("find_leads", "list_leads") and re.match(r"(?:any\s+)?leads\b", rest, I):
        added = classify(Utterance.of(f"new {rest}"), now)  # "leads i got in the last 7 days"
        intent = added if added.kind == "recent_leads" else intent
    if intent.kind not in _SCOPED:
        return None
    if scope == "team":
        return intent.but(mine=None)
    if intent.kind == "find_leads" and _MINE_TAIL.search(cmd):
        return intent.but("list_leads", mine=True)  # "anyone at acme, just mine": a listing
    if intent.kind == "recent_leads" or _MINE_TAIL.search(cmd):
        return intent.but(mine=True)
    return None  # "of mine" inside another read: its own reader reads it


# "how many leads do i own vs sam", "how many leads do i have compared to sam's": the
# person's count against a teammate's.
_VERSUS = re.compile(
    r"^(?P<q>how\s+many\s+.+?)\s*,?\s+(?:vs\.?|versus|compared\s+(?:to|with)|against|or)\s+"
    r"(?P<who>[a-z][\w-]*?)(?:'s|’s|s')?(?:\s+(?:has|does|have|owns?))?[\s?.!]*$",
    I,
)
_NOT_A_TEAMMATE = re.compile(r"(?:me|mine|us|ours|the|team|everyone|everybody|last|yesterday)", I)


def versus_request(
    u: Utterance, cmd: str, now: datetime, classify: Callable[[Utterance, datetime], Intent]
) -> Intent | None:
    """The person's lead count against a teammate's, or None (see `_VERSUS`)."""
    m = _VERSUS.match(cmd.strip())
    if m is None or _NOT_A_TEAMMATE.fullmatch(m["who"]):
        return None
    intent = classify(Utterance.of(m["q"]), now)
    ref = intent.slots.get("ref")
    if intent.kind not in ("find_leads", "list_leads") or intent.slots.get("query"):
        return None
    if ref is not None and not ref.empty:
        return None
    return intent.but("list_leads", count=True, mine=None, versus=m["who"])
