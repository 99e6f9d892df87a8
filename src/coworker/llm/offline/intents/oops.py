"""What people say around a correction of the coworker's last change ("oops", "wait no",
"wrong lead"), shared by the readers of undos (`taking_back`) and of corrected values
(`corrections`, `fixing`): one vocabulary, so an "ugh, wrong one" reads alike in all of them.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I
from coworker.llm.offline.vocab import COMMON_WORDS

# What people say around an undo: "oops", "nvm", "wrong one", "that's wrong".
OOPS = (
    r"(?:(?:oops|whoops|sorry|sry|typo|no|nope|wait|actually|my bad|nvm|never ?mind|ugh|hmm+|hm+|"
    r"argh|shoot|crap|damn|ah|oh|eh|uh|um|that'?s wrong|thats wrong|that was wrong|my mistake|"
    r"not that one|scratch that|wrong (?:one|lead|task|deal|person|guy|record))[,!.]*\s+)"
)
REQUEST_VERB = re.compile(
    r"^(?:please\s+|pls\s+)?(?:mark|set|move|email|e-mail|text|sms|add|create|remind|tag|"
    r"untag|log|update|change|delete|remove|send|schedule|call|enroll|book|put|make|bump|push|"
    r"complete|close|open|show|find|list)\b",
    I,
)
# "should be", "should have been", "should've been", "shouldve been": the value meant
SHOULD_BE = r"(?:should (?:be|have been)|should'?ve been)"
CLAUSE = re.compile(r"\s*(?:[.;!?]+\s+|,\s*|\s+-+\s+)")


def named(words: str) -> bool:
    """Could these words be someone's name ("tom", "maya schmidt"), not "yet" or "sent yet"?"""
    return not any(w in COMMON_WORDS or w in NOT_NAMES for w in words.lower().split())


NOT_NAMES = frozenset("yet now sent done signed ready sure really quite so that this it".split())


# A message that says the last change was wrong without saying what was meant: "ugh no thats
# not what i meant", "noo wrong thing entirely", "you messed that up". Read only when nothing
# else reads the message; the plan then offers the change back, asked first.
_SLIP = re.compile(
    r"\bwrong\b|\bnot what i (?:meant|wanted|asked|said)\b|\bi (?:didn'?t|did not) "
    r"(?:mean|want|ask)\b|\b(?:my (?:bad|mistake)|mistake|messed (?:it |that )?up|mixed (?:it |"
    r"them |that )?up|screwed (?:it |that )?up)\b|\b(?:undo|revert)\b|\bput (?:it|that|him|her|"
    r"them) back\b",
    re.I,
)


def slip_said(text: str) -> bool:
    """Does `text` say the coworker's last change was wrong (not a question, not a request
    with words of its own)?"""
    said = text.strip()
    if said.endswith("?") or len(said.split()) > 12:
        return False
    return bool(_SLIP.search(said))  # not "ugh what a day": a sigh is no correction
