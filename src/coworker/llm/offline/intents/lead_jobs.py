"""Where a new employer ends in a sentence ("pied piper, same role", "initech as of monday"),
and what someone leaves or is at that is not an employer ("left a vm", "at lunch"): shared by
the readers of a lead's new company (`lead_updates.py`).
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I
from coworker.llm.offline.intents.leads import WHEN_ASIDE, WHEN_WORD

# Where a company said in a sentence ends: at a comma, a dash or "tho"/"but" ("pied piper,
# same role", "hooli - same job tho"), unless a legal suffix follows ("Acme, Inc."); and
# before a time said with it ("initech as of monday", "hooli last week").
COMPANY_END = re.compile(
    r"\s*[,;]\s*(?!\s*(?:inc|llc|ltd|co|corp|gmbh|plc|lp|sa|ag)\b\.?\s*$)|\s+-+\s+|"
    r"\s+(?:tho|though|but|and (?:she|he|they))\b|"
    r"\s+now\s+(?=\S)",  # "hooli now same role": the company, then what stays the same
    I,
)
# What may follow the company without changing anything else: the same role, a time, chatter,
# Anything else ("now vp of sales") may be a second change: the company
# is then shown and asked, not written at once.
KNOWN_ASIDE = re.compile(
    r"(?:(?:(?:she|he|they)(?:'s|’s|s| is| are|'re)\s+)?(?:still\s+)?(?:the\s+)?same\s+"
    r"(?:role|title|job|position|gig|seat|team)(?:\s+(?:tho|though|as before))?|"
    r"(?:(?:she|he|they)(?:'s|’s|s| is| are|'re)\s+)?still\s+(?:the\s+|a\s+|an\s+)?[\w ]{2,30}|"
    rf"(?:as of|since|effective|starting|from)\s+[\w/ ]{{2,25}}|{WHEN_WORD}|"
    r"fyi|btw|lol|haha|tho|ok|"
    r"per (?:linkedin|her|his|their|email)[\w ]*|saw (?:it )?on linkedin|"
    r"(?:(?:please|pls|plz|so|can you|could you|can u)\s+)*(?:update|change|fix)(?:\s+(?:it|that|"
    r"this|his|her|their|the)(?:\s+[\w]+){0,3})?|please|pls|plz|thx|thanks|ty|)[.!)]*",
    I,
)


def known_aside(aside: str) -> bool:
    """Is all that followed the company asides of `KNOWN_ASIDE`, one or several ("same
    title. update her co")? Anything else may be a second change, shown and asked."""
    return all(KNOWN_ASIDE.fullmatch(part) for part in re.split(r"\s*[.,;!]+\s*", aside))


# What someone leaves, or is at, that is not an employer: "left a vm", "left early", "at home".
NOT_AN_EMPLOYER = re.compile(
    r"^(?:a|an|me|us|you|him|her|them|my|our|your|his|their|for|early|late|work|home|lunch|"
    r"the (?:office|airport|beach|gym|call|meeting|building)|works?|working|vacation|pto|ooo|"
    r"voicemail|vm|message|msg|note|town)\b",
    I,
)


def company_and_aside(said: str) -> tuple[str, str]:
    """ "pied piper, same role" -> ("pied piper", "same role"); "initech as of monday" ->
    ("initech", "as of monday"): the company as the person wrote it, and what followed."""
    parts = COMPANY_END.split(said, maxsplit=1)
    head, aside = parts[0], (parts[-1] if len(parts) > 1 else "")
    when = WHEN_ASIDE.search(head)
    if when and when.start() > 0:
        aside = (aside or when.group(0)).strip()
        head = head[: when.start()]
    return head.strip(), aside.strip()
