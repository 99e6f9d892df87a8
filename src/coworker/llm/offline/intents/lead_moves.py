"""A lead's move to a new employer in a new role, said as news: "talked to noah miller, he's
moving to hooli as their CTO. update it", "tom joined pied piper as head of IT".

Both fields come from the one sentence: the company after "to"/"joined", the title after
"as". Said with "update it" (or "update his record") the move is asked for and written;
said alone it is news, shown and asked first. A call report that only mentions the move
("talked to luis, he's moving to initech as ops manager") without "update it" stays a note,
read by the note reader: this reader leaves it.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I, Intent, make_intent
from coworker.llm.offline.intents.lead_field_names import named
from coworker.llm.offline.intents.lead_news import HEARSAY, without_news_opening
from coworker.llm.offline.intents.leads import has_title_words
from coworker.llm.offline.slots import lead_ref

# "talked to noah miller, he's …": a call's opening, then what was heard about the lead.
_CALL_OPENING = re.compile(
    r"^(?:just\s+)?(?:talked|spoke|chatted|caught up|got off the phone|got off|met|had a call)"
    r"\s+(?:to|with|w/?)\s+(?P<who>[^,;:.!-]+?)(?:\s+(?:this|earlier)\s+(?:am|pm|morning|"
    r"afternoon|today))?\s*(?:[,;:.!]+|\s-+)\s*(?:and\s+)?"
    r"(?P<rest>(?:she|he|they)\b.+)$",
    I,
)
_WHO = r"(?P<ref>.+?)"
_BE = r"(?:\s+is|\s+has|'s|’s|\s+s|\s+just|\s+finally)*"
_TO = (
    r"(?:(?:is\s+|'s\s+|’s\s+)?(?:moving|going|heading|switching|jumping|leaving)|moved|went|"
    r"switched|jumped(?: ship)?|left)\s+(?:over\s+)?(?:to|for)"
)
_JOINED = r"(?:joined|joining|is joining|signed on (?:with|at)|started at|is starting at)"
# "…. update it", ", update his record pls": the move asked to be written.
_UPDATE = (
    r"(?P<asked>\s*(?:[,;.!]+|\s-+)?\s*(?:(?:so|pls|please|plz|can you|could you|can u|go "
    r"ahead and)\s+)*(?:update|change|fix|save)\s+(?:it|that|this|him|her|them|(?:his|her|"
    r"their)\s+(?:record|info|details|profile|lead|contact|company|title|job|role))"
    r"(?:\s+(?:in the crm|in crm|pls|please|thx|thanks|too|accordingly))*)?"
)
_MOVE = re.compile(
    rf"^{_WHO}{_BE}\s*(?:{_TO}|{_JOINED})\s+(?P<company>.+?)\s+as\s+"
    r"(?:(?:their|the|a|an|our|its|his|her)\s+)?(?:new\s+)?(?P<title>[^,;.!]+?)"
    rf"(?:\s+(?:now|soon|next month|next week|in january|there))?{_UPDATE}[.!]*$",
    I,
)
# "she got bumped up to head of procurement 🎉 (and wants X). update her": a new title
_PROMOTED = re.compile(
    rf"^{_WHO}{_BE}\s*(?:(?:got|was|been|has been|just got)\s+)?(?:promoted|bumped up|moved up|"
    r"stepped up)\s+(?:to|as)\s+(?:(?:the|a|an)\s+)?(?:new\s+)?(?P<title>[^,;.!?]+?)"
    r"(?:\s*[^\w\s,;.]+|\s*,?\s+and\s+(?:(?:she|he|they)\s+)?(?:wants|needs|asked)\b[^.;!]*)*"
    rf"{_UPDATE}[.!]*$",
    I,
)
# "jane smith left acme, she's COO over at hooli now. fix her record": company and title
_LEFT_FOR = re.compile(
    rf"^{_WHO}\s+(?:just\s+)?(?:left|quit)\s+(?P<old>[\w&.' -]+?)\s*(?:[,;.!]+|\s-+)\s*"
    r"(?:and\s+)?(?:she|he|they)(?:'s|’s|s|\s+is|'re|\s+are)\s+(?:now\s+)?"
    r"(?:(?:the|a|an|their)\s+)?(?:new\s+)?(?P<title>[^,;.!]+?)\s+(?:over\s+)?(?:at|with)\s+"
    rf"(?P<company>[^,;.!]+?)(?:\s+now)?{_UPDATE}[.!]*$",
    I,
)
_PRONOUN = re.compile(r"^(?:she|he|they)$", I)


def lead_move_request(cmd: str) -> Intent | None:
    """The lead, their new company and title, from a move said as news; asked for when
    "update it" follows, else shown and asked (`implied`). None when it is no such move."""
    text = without_news_opening(cmd.strip())
    opening = _CALL_OPENING.match(text)
    who = opening["who"].strip() if opening else None
    said = opening["rest"] if opening else text
    m = _MOVE.match(said) or _LEFT_FOR.match(said) or _PROMOTED.match(said)
    if m is None or (opening and not m["asked"]):
        return None  # a call report mentioning a move is a note, unless asked to update
    title = m["title"].strip()
    company = (m.groupdict().get("company") or "").strip()
    if not has_title_words(title) or has_title_words(company) or len(company.split()) > 4:
        return None  # "moving to tuesday as planned": no role said
    ref_text = m["ref"].strip()
    if who is not None and _PRONOUN.match(ref_text):
        ref_text = who
    ref = lead_ref(ref_text)
    if ref.empty or not (ref.pronoun or named(ref.text)):
        return None
    implied = not m["asked"] or bool(HEARSAY.match(text))
    return make_intent(
        "update_lead",
        ref=ref,
        changes={"company": company, "title": title} if company else {"title": title},
        implied=implied or None,
    )
