"""Who and what a listing is about: "tasks for jane", "jane's deals", "my bluth task".

The listing readers (`lists.py`) share these: the lead named after a preposition or in a
possessive, and the words of a task's title said in "my X task".
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import TASK_WORDS, I
from coworker.llm.offline.slots import LeadRef, lead_ref

NOT_OWNERS = frozenset(
    "what that it there who here let he she where how today tomorrow one everyone everybody "
    "someone anyone nobody this yesterday week month".split()
)


def ref_after(cmd: str, *preps: str) -> LeadRef:
    """Who the request is about: the words after the first preposition found (in the order
    given), else "does Jane have", else a possessive ("Jane's tasks")."""
    has = re.search(
        r"\b(?:does|do|did|has|have)\s+(?P<r>(?!i\b|we\b|you\b).+?)\s+(?:have|has|got|own|open)\b",
        cmd,
        I,
    )
    if has:
        return lead_ref(has["r"])
    for group in preps or ("to|for|with|w|on|about|from|of|at",):
        m = re.search(rf"\b(?:{group})\s+(?P<r>.+)$", cmd, I)
        if m:
            text = re.sub(
                r"\s+(?:today|yesterday|this week|last week|recently|lately|so far|ever)$",
                "",
                m["r"],
                flags=I,
            )
            return lead_ref(text)
    m2 = re.search(r"(?P<r>[\w@.+-]+(?:\s+[A-Z][\w.-]+)?)(?:'s|s')\s", cmd)
    if m2 and m2["r"].lower() not in NOT_OWNERS:
        return lead_ref(m2["r"])
    return LeadRef()


def possessive_ref(cmd: str, noun: str) -> LeadRef | None:
    m = re.search(
        rf"(?:^|\b(?:show|list|get|see|view|find|are|were|all|what are|pull up|open|give me)\s+)"
        rf"(?P<r>[\w@.+' -]+?)(?:'s|s')\s+(?:\w+\s+)?{noun}",
        cmd,
        I,
    )
    if m:
        who = re.sub(
            r"^(?:(?:show|list|get|see|view|find|give|pull up|open|what(?:'?s| are| is)|how much"
            r"(?: is| are|'s)?|how'?s|where'?s|where is|tell|are|all|"
            r"when(?:'?s| does| do| is| will)|the close date (?:on|of|for))\s+)*"
            r"(?:me\s+|all\s+|of\s+)*",
            "",
            m["r"].strip(),
            flags=I,
        )
        if who and who.lower() not in NOT_OWNERS:
            return lead_ref(who)
    return None


# "when does mei hayes's renewal close": a renewal that closes is a deal
RENEWAL_CLOSES = re.compile(r"\brenewal\s+(?:deal\s+)?(?:clos(?:e|es|ing)|due to close)\b")
# "whats my bluth task", "show me the initech task": the task a word of its title names
_TASK_ABOUT = re.compile(
    rf"\b(?:my|the)\s+(?P<k>[a-z][\w&.'-]*(?:\s+[a-z][\w&.'-]*)?)\s+{TASK_WORDS}\b", I
)
_NOT_ABOUT = re.compile(
    r"\b(?:open|overdue|late|due|today|tomorrow|next|this|last|other|new|old|completed|done|"
    r"finished|high|low|medium|priority|urgent|important|undated|first|all|own|follow|fu|call|"
    r"email|week|month)\b",
    I,
)


def task_phrase(cmd: str) -> str | None:
    """The words naming a task in "whats my bluth task" ("bluth"), or None."""
    about = _TASK_ABOUT.search(cmd)
    return about["k"] if about and not _NOT_ABOUT.search(about["k"]) else None
