"""Deleting something in words: a task ("delete my undated pipeline review task, its a
dupe"), a lead, a tag from a lead; and what the offline model never deletes (a deal, a note,
everyone at once), said as such. Every delete waits on its card; this only reads which.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import (
    DEAL_WORDS,
    SEQ_WORDS,
    TASK_WORDS,
    I,
    Intent,
    make_intent,
)
from coworker.llm.offline.intents.tasks import clean_task_phrase
from coworker.llm.offline.listed import pointer
from coworker.llm.offline.slots import lead_ref
from coworker.llm.offline.text import Utterance

# "…, its a dupe", "- we don't need it", ", not doing that anymore": why, said after what
# is deleted; not its name.
_WHY_AFTER = re.compile(
    r"\s*(?:[,;.!]+|\s-+)\s*(?:(?:it|that|this)(?:'?s| is| was)\b|its\b|thats\b|was\b|because\b|"
    r"bc\b|since\b|cuz\b|cause\b|(?:we|i|they|he|she)\b|no longer\b|not needed\b|dupe\b|"
    r"not (?:doing|happening|relevant|going ahead)\b|(?:dont|don't|do not) need\b|"
    r"duplicate\b).*$",
    I,
)


def delete_request(u: Utterance, cmd: str) -> Intent | None:
    m = re.match(
        r"^(?:delete|remove|erase|trash|get rid of|discard|destroy|wipe|purge|nuke|"
        r"bin|kill|scrap|ditch|axe|toss)\s+(?P<x>.+)$",
        cmd,
        I,
    )
    if not m:
        return None
    x = re.sub(
        r"\s+from\s+(?:the\s+|my\s+|our\s+)?(?:crm|system|dialsheet|database|lead list|"
        r"leads|contacts|list)$",
        "",
        _WHY_AFTER.sub("", m["x"]),
        flags=I,
    )
    if re.search(r"\b(?:tag|label)\b", x, I):
        tm = re.match(
            r"^(?:the\s+)?(?:tag\s+)?[\"']?(?P<tag>[\w-]+)[\"']?(?:\s+(?:tag|"
            r"label))?\s+from\s+(?P<ref>.+)$",
            x,
            I,
        )
        if tm:
            return make_intent(
                "tag_lead", ref=lead_ref(tm["ref"]), tag=tm["tag"].lower(), remove=True
            )
        return make_intent("unsupported", topic="delete_tag")
    if re.search(rf"\bfrom\s+(?:the\s+|a\s+|all\s+)?.*(?:{SEQ_WORDS}|nurture)\b", x, I):
        return make_intent("unsupported", topic="unenroll")
    if re.search(rf"\b{TASK_WORDS}\b", x, I):
        phrase = clean_task_phrase(x)
        return make_intent("delete_task", phrase=phrase or None)
    if pointer(x) is not None:  # "the call script one": a record the last reply listed
        return make_intent("delete_lead", ref=lead_ref(x))
    if re.search(rf"\b{DEAL_WORDS}\b", x, I):
        return make_intent("unsupported", topic="delete_deal")
    if re.search(r"\b(?:notes?|emails?|texts?|sms|calls?|sequences?)\b", x, I):
        return make_intent("unsupported", topic="delete_other")
    if re.match(r"^(?:all|every|everyone|everybody)\b", x, I):
        return make_intent("unsupported", topic="bulk_delete")
    return make_intent("delete_lead", ref=lead_ref(x))
