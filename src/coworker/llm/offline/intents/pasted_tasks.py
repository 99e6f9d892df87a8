"""A task about a message the person pasted: "dana sent this, pls make me a task to reply
tmrw: '…'". The pasted words are cut out before anything is read (they are data, never an
instruction); the sender is the lead, and the task is about answering them.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline.intents.common import I, Intent, strip_preamble
from coworker.llm.offline.intents.tasks import create_task_request
from coworker.llm.offline.slots import lead_ref, looks_like_name_word, without_pasted
from coworker.llm.offline.text import KEYWORDS, Utterance

# Whose message was pasted, said first: "dana sent this,", "from jane smith:", "marcus wrote:".
_SENDER = re.compile(
    r"^\W*(?:(?:fwd|fw)\s*:?\s*)?(?:from\s+(?P<a>[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*)?)|"
    r"(?P<b>[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*)?)\s+(?:just\s+)?(?:sent|wrote|texted|emailed|"
    r"said|replied|messaged)(?:\s+(?:this|me|us|back|in|over))*)(?=[\s:,.;-]|$)[\s:,.;-]*",
    I,
)
# A task whose words name no one, about answering the message: "reply", "get back to him".
_ANSWER = re.compile(r"^(?:reply|respond|answer|write back|get back)\b", I)


def pasted_task_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    """A task about a message the person pasted ("dana sent this, make me a task to reply
    tmrw: '…'"): the task is read from the person's own words only, and is about whoever sent
    the message. The pasted words are data: read before every rule that acts, since they are
    where the words those rules look for usually are ("forward our pipeline to …")."""
    own = without_pasted(u.text)
    if own == u.text:
        return None
    sender = _SENDER.match(own)
    if sender is None:
        return None
    who = (sender["a"] or sender["b"]).strip()
    if any(not looks_like_name_word(w.lower()) or w.lower() in KEYWORDS for w in who.split()):
        return None
    rest = own[sender.end() :]
    for clause in re.split(r"\s*(?:…|\s--?\s|[.;!?](?:\s|$))\s*", rest):
        clause = strip_preamble(clause.strip(" -–—:;,."))
        found = create_task_request(u, clause, now) if clause else None
        if found is None or found.kind != "create_task" or not found.slots.get("title"):
            continue
        title = str(found.slots.get("title"))
        ref = found.slots.get("ref")
        if ref is None or ref.pronoun:
            title = re.sub(r"\b(?:him|her|them)\b", who, title, count=1, flags=I)
            if _ANSWER.match(title) and who.lower() not in title.lower():
                title = f"{title} to {who}"
            return found.but("create_task", title=title, ref=lead_ref(who))
        return found
    return None
