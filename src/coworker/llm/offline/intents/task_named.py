"""A task's lead named in parentheses after their company: "prep demo for initech (gabriel
allen)", "draft the renewal for acme (luis ortega)". The company alone would make the task the
company's (linked to nobody); the name in parentheses says which of its people it is about,
so it links that lead, or asks when the CRM has nobody by that name there.
"""

from __future__ import annotations

import re

from coworker.llm.offline import vocab
from coworker.llm.offline.slots import LeadRef, looks_like_name_word
from coworker.llm.offline.text import KEYWORDS

_NAMED_AFTER = re.compile(
    r"\b(?:for|to|at|with|w/?)\s+(?P<co>[a-z][\w&.'-]*(?:\s+[a-z][\w&.'-]*){0,2})\s*"
    r"\((?P<n>[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*){0,2})\)",
    re.I,
)


def named_in_parentheses(title: str) -> LeadRef | None:
    """The lead `title` names in parentheses after their company, with that company."""
    named = _NAMED_AFTER.search(title)
    if named is None or not all(
        looks_like_name_word(w) and w not in KEYWORDS and w not in vocab.TASK_WORDS
        for w in named["n"].lower().split()
    ):
        return None
    return LeadRef(named["n"], company=named["co"])
