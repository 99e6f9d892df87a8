"""A task's title as a task list reads it a week later: the lead named as the CRM spells
them, where the person said "him", "the one at wonka", "the initech person" or "zoe".

A follow-up task's title, in particular:
"fu w marcus reed re the redlines", "set a callback w ryan", "ring him back", "circle back w
deepa": the person names a kind of follow-up (follow up, call back, check in, circle back,
touch base, try again) and whom it is with, in shorthand. Once the lead is found in the CRM,
the title is rebuilt from the kind, the lead's name as the CRM spells it and the person's
own words after it ("Follow up with Marcus Reed re the redlines"). Every part of it is then
read with confidence (the kind from a fixed list, the name from the CRM, the rest verbatim),
so the shorthand that made the raw title unsure no longer does. A title whose lead is not
right after the kind ("fu about the deck with jane") is left as written.
"""

from __future__ import annotations

import re
from typing import Any

from coworker.llm.offline.listed import pointer
from coworker.llm.offline.slots import LeadRef

_FOLLOW = r"(?:fu|f/u|fup|follow[- ]?up|followup)"
_WITH = r"(?:w/|w|with|for|on|to)"
_CALL = r"(?:call|ring|phone)"
_PRONOUN = r"(?:him|her|them)"
# Kind -> (the words before whom, the words after whom, the canonical title's form).
_KINDS: tuple[tuple[str, str, str], ...] = (
    (rf"{_FOLLOW}\s+(?:to\s+)?try", r"\s+again\b", "Try {name} again"),
    (r"try", r"\s+again\b", "Try {name} again"),
    (rf"(?:{_FOLLOW}\s+(?:to\s+)?)?{_CALL}", r"\s+back\b", "Call {name} back"),
    (rf"{_CALL}[- ]?back(?:\s+{_WITH})?", "", "Call {name} back"),
    (rf"(?:a\s+)?callback\s+{_WITH}", "", "Call {name} back"),
    (rf"{_FOLLOW}\s+{_WITH}", "", "Follow up with {name}"),
    (r"circle[- ]back\s+(?:w/|w|with|to|on)", "", "Circle back with {name}"),
    (r"check[- ]in\s+(?:w/|w|with|on)", "", "Check in with {name}"),
    (r"touch[- ]base\s+(?:w/|w|with)", "", "Touch base with {name}"),
    (r"reach\s+out\s+(?:to|w/|w|with)", "", "Reach out to {name}"),
)
# Words of the person's after whom that read as the topic: "re the redlines", "about pricing".
_TOPIC = re.compile(r"^\s*(?:re:?|about|abt|on|regarding|to|-|:)\s+\S", re.I)


def follow_up_title(title: str, said: str, name: str) -> str | None:
    """The title of a follow-up task with `name` (the lead, as the CRM spells it) put where
    the person said them (`said`: their words for the lead, or a pronoun); None when `title`
    is not a follow-up with that lead right after its kind, or says more than a topic."""
    who = rf"(?:{re.escape(said.strip())}|{_PRONOUN})" if said.strip() else _PRONOUN
    for before, after, form in _KINDS:
        m = re.match(rf"^\s*{before}\s+{who}(?:'s)?{after}(?P<rest>.*)$", title, re.I | re.S)
        if m is None:
            continue
        rest = m["rest"].strip(" ,.;")
        rest = (
            re.sub(rf"\s+with\s+{re.escape(said.strip())}$", "", rest, flags=re.I) if said else rest
        )
        if rest and not _TOPIC.match(" " + rest):
            return None  # "fu w jane and send the deck": more than a topic, left as written
        rest = re.sub(r"^(?:abt|regarding)\b", "about", rest, flags=re.I)
        return form.format(name=name) + (f" {rest}" if rest else "")
    # "fu to send pricing with clara": the topic first, the lead after it
    m = re.match(rf"^\s*{_FOLLOW}\s+(?P<topic>.+?)\s+{_WITH}\s+{who}\s*$", title, re.I | re.S)
    if m is not None and _TOPIC.match(" " + m["topic"]) and not re.search(r"\band\b", m["topic"]):
        topic = re.sub(r"^(?:abt|regarding)\b", "about", m["topic"].strip(), flags=re.I)
        return f"Follow up with {name} {topic}"
    return None


def unnamed_follow_up_title(title: str, name: str) -> str | None:
    """ "Fu to get the contract over", said right after a call with `name` was logged: "Follow
    up with <name> to get the contract over"; None when the title is no bare follow-up with
    (at most) a topic."""
    m = re.match(rf"^\s*{_FOLLOW}(?P<rest>(?:\s+.*)?)$", title, re.I | re.S)
    if m is None:
        return None
    rest = m["rest"].strip(" ,.;")
    if rest and not _TOPIC.match(" " + rest):
        return None
    rest = re.sub(r"^(?:abt|regarding)\b", "about", rest, flags=re.I)
    return f"Follow up with {name}" + (f" {rest}" if rest else "")


def named_in_title(title: str, lead: Any, ref: LeadRef | None, someone: Any) -> str:
    """The lead's name where the title points at them in words a task list can't read a week
    later: "call the initech person", "call the one at wonka", "call him"."""
    if not lead or not lead.get("name"):
        return title
    name = str(lead["name"])
    if someone is not None:  # "call the initech person": "Call Daniel Barnes"
        title = title.replace(someone.group(0), name, 1)
    pointed = pointer(title) if ref is not None and ref.listed else None
    if pointed is not None:  # "call the one at wonka": "Call Tariq Walker"
        title = title.replace(pointed.said, name, 1)
    if ref is not None and ref.pronoun:  # "call him": "Call Sam Lee"; "see if she signed"
        pronoun = (
            r"\b(?:him|her|them)\b"
            if re.search(r"\b(?:him|her|them)\b", title, re.I)
            else r"\b(?:she|he)\b"
        )
        title = re.sub(pronoun, name, title, count=1, flags=re.I)
    # a name the person typed ("send zoe kowalski pricing") stays as they typed it: what is
    # stored keeps their words
    return title
