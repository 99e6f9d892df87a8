"""Tags on leads: put on or taken off a lead ("tag jane as hot", "remove the vip tag from
acme"), and a new tag made ("create a tag called enterprise in blue"). Apart from `leads.py`
because a tag is its own object with its own wordings; taking a tag off through "delete" stays
with the delete reader there.
"""

from __future__ import annotations

import re

from coworker.llm.offline import vocab
from coworker.llm.offline.intents.common import I, Intent, make_intent
from coworker.llm.offline.slots import lead_ref
from coworker.llm.offline.text import Utterance

# Several tags said at once: "hot and enterprise", "hot + webinar-2026", "hot, smb & vip".
_TAG = r"[\"']?[\w-]+[\"']?"
_JOIN = r"(?:\s*,\s*(?:and\s+)?|\s*\+\s*|\s*&\s*|\s+and\s+)"
_TAGS = rf"(?P<tags>{_TAG}(?:{_JOIN}{_TAG})+)"
_SEVERAL = (
    re.compile(
        rf"^(?:tag|label)\s+(?P<ref>[^,;:]+?)\s+(?:(?:as|with|w/?)\s+)?(?:the\s+)?{_TAGS}"
        r"(?:\s+(?:tags?|labels?))?(?:\s+(?:pls|please|thx|thanks|too))*[.!]*$",
        I,
    ),
    re.compile(
        r"^(?:add|put|apply|attach|give|stick)\s+(?:the\s+)?(?:tags?|labels?)\s*:?\s*"
        rf"{_TAGS}\s+(?:to|on|onto)\s+(?P<ref>[^,;:]+?)(?:\s+(?:pls|please|thx|thanks))*[.!]*$",
        I,
    ),
    re.compile(
        rf"^(?:add|put|apply|attach|give|stick)\s+(?:the\s+)?{_TAGS}\s+(?:tags|labels)\s+"
        r"(?:to|on|onto)\s+(?P<ref>[^,;:]+?)(?:\s+(?:pls|please|thx|thanks))*[.!]*$",
        I,
    ),
)
# Words that join or close a list and are never a tag.
_NOT_TAGS = frozenset({"tag", "tags", "label", "labels", "it", "them", "and", "as", "too", "pls"})


def several_tags_request(cmd: str) -> Intent | None:
    """ "tag elena sato hot and enterprise", "tag noah hot + webinar-2026", "add tags smb &
    renewal to mia": every tag the person listed, put on one lead on top of the tags it has.
    A list needs a joining word between tags, so "tag jane and tom hot" (two leads, one tag)
    is not read as one."""
    for pattern in _SEVERAL:
        m = pattern.match(cmd.strip())
        if not m:
            continue
        tags = [t.strip("\"'").lower() for t in re.split(_JOIN, m["tags"].strip(), flags=I)]
        if any(not t or t in _NOT_TAGS for t in tags) or len(set(tags)) != len(tags):
            return None
        ref = lead_ref(m["ref"])
        if ref.empty:
            return None
        return make_intent("tag_lead", ref=ref, tag=tags[0], tags=tuple(tags), remove=False)
    return None


def tag_request(u: Utterance, cmd: str) -> Intent | None:
    several = several_tags_request(cmd)
    if several is not None:
        return several
    patterns = (
        (
            r"^(?:tag|label|mark)\s+(?P<ref>.+?)\s+(?:as|with|w/?)\s+(?:a\s+|an\s+|"
            r"the\s+)?[\"']?(?P<tag>[\w-]+)[\"']?(?:\s+(?:tag|label))?$",
            False,
        ),
        (r"^(?:tag|label)\s+(?P<ref>.+?)\s+[\"']?(?P<tag>[\w-]+)[\"']?$", False),
        (
            r"^(?:add|put|apply|attach|give|stick)\s+(?:the\s+|a\s+)?(?:tag\s+|"
            r"label\s+)?[\"']?(?P<tag>[\w-]+)[\"']?\s+(?:tag|label)?\s*(?:to|on|"
            r"onto)\s+(?P<ref>.+)$",
            False,
        ),
        (
            r"^(?:add|put|apply|attach|give)\s+(?:the\s+|a\s+)?(?:tag|"
            r"label)\s+[\"']?(?P<tag>[\w-]+)[\"']?\s+(?:to|on|onto)\s+(?P<ref>.+)$",
            False,
        ),
        (
            r"^(?:remove|take off|take|drop|clear|strip)\s+(?:the\s+)?(?:tag\s+|"
            r"label\s+)?[\"']?(?P<tag>[\w-]+)[\"']?(?:\s+(?:tag|label))?\s+(?:off|"
            r"from)\s+(?P<ref>.+)$",
            True,
        ),
        (r"^untag\s+(?P<ref>.+?)\s+(?:as\s+|from\s+)?[\"']?(?P<tag>[\w-]+)[\"']?$", True),
    )
    for pattern, remove in patterns:
        m = re.match(pattern, cmd, I)
        if not m:
            continue
        if pattern.startswith("^(?:add") and not re.search(r"\b(?:tag|label)\b", cmd, I):
            continue
        if (
            pattern.startswith("^(?:tag|label|mark)")
            and cmd.lower().startswith("mark")
            and not re.search(r"\b(?:tag|label|tagged)\b", cmd, I)
        ):
            continue
        # "take smb off her": a tag taken off needs no "tag" (a lead without it keeps all,
        # and is told so); "remove jane from the list" does
        taken_off = re.match(r"^take\s+(?:the\s+)?[\w-]+\s+off\b", cmd, I)
        if pattern.startswith("^(?:remove") and not (
            re.search(r"\b(?:tag|label)\b", cmd, I) or taken_off
        ):
            continue
        tag = m["tag"].lower()
        if tag in ("tag", "label", "it", "them"):
            continue
        return make_intent("tag_lead", ref=lead_ref(m["ref"]), tag=tag, remove=remove)
    return None


def create_tag_request(u: Utterance, cmd: str) -> Intent | None:
    m = re.match(
        r"^(?:create|add|make|new|set up|define)\s+(?:a\s+|an\s+)?(?:new\s+)?(?:tag|label)\s+"
        r"(?:called\s+|named\s+|:\s*)?[\"']?(?P<name>[\w][\w -]{0,48}?)[\"']?"
        r"(?:\s*,?\s*(?:in|with|colou?r(?:ed)?|colou?r:)\s+(?:the\s+)?(?:colou?r\s+)?"
        r"(?P<color>#[0-9a-f]{6}|#[0-9a-f]{3}|\w+)(?:\s+colou?r)?)?$",
        cmd,
        I,
    )
    if not m:
        m = re.match(
            r"^new\s+(?:tag|label)\s*:?\s*[\"']?(?P<name>[\w-]+)[\"']?(?P<color>)$", cmd, I
        )
    if not m:
        return None
    name = m["name"].strip()
    color = (m["color"] or "").lower() or None
    if color and not color.startswith("#"):
        color = vocab.COLOURS.get(color)
    return make_intent("create_tag", name=name, color=color)
