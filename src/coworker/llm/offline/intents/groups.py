"""A group of leads named in words ("all my new acme leads", "all hot leads at Acme",
"everyone at initech incl sams"): whose they are, their tag, company and status. Its own
module because both the bulk reader (`bulk.py`) and the status reader (`leads.py`, "mark all
my new acme leads as contacted") read a group, and the lead listing (`lead_lists.py`) reads
whose leads and which tag the same way; here none of them imports another.
"""

from __future__ import annotations

import re

from coworker.llm.offline import vocab
from coworker.llm.offline.intents.common import I, Slots
from coworker.llm.offline.intents.lists import TAGGED, tag_asked

# "which acme leads r mine", "my leads at initech", "leads i own": the person's own leads.
LEAD_NOUNS = r"(?:leads?|contacts?|prospects?|people|ppl|customers?|clients?|accounts?|ones)"
MINE = re.compile(
    r"\s*\b(?:that\s+|which\s+|who\s+)?(?:are|r|is)\s+(?:all\s+)?mine\b|"
    r"\s*\b(?:that'?s|thats|who'?s|whos)\s+mine\b|"
    r"\s*\b(?:that\s+|which\s+|who\s+)?(?:i|me)\s+own\b|"
    r"\s*\b(?:owned by|assigned to|belong(?:s|ing)? to)\s+me\b|"
    r"\s*\b(?:of\s+)?mine\b|"
    rf"\bmy\s+(?=(?:[\w-]+\s+){{0,2}}{LEAD_NOUNS}\b)",
    I,
)
# "everyone at initech incl sams", "the team's acme leads", "not just mine": no owner filter.
TEAM = re.compile(
    r"\s*,?\s*\b(?:incl(?:uding)?|even)\.?\s+(?:the\s+)?[\w']+(?:\s+(?:ones|leads|too|as well))*"
    r"\s*$|"
    r"\s*,?\s*(?:\bplus|\band|\+)\s+(?:the\s+)?(?:team'?s?|\w+'s|\w+s'|\w+s\s+(?:ones|leads))"
    r"(?:\s+(?:ones|leads|too|as well))*\s*$|"
    r"\s*\b(?:not just|not only)\s+(?:my\s+(?:own\s+)?(?:ones|leads)|mine)\b|"
    r"\s*\b(?:the\s+)?(?:whole\s+|entire\s+)?team'?s\b|\s*\beveryone'?s\b|\s*\beverybody'?s\b|"
    r"\s*\b(?:across|for)\s+the\s+(?:whole\s+)?team\b|\s*\bteam[- ]wide\b",
    I,
)


# "hot leads", "my enterprise contacts at acme": a tag-like word before the word for leads.
_TAG_LIKE = "|".join(sorted(vocab.TAG_LIKE))
TAG_WORD = re.compile(
    rf"\b(?P<tag>(?:{_TAG_LIKE})(?:[- ](?:{_TAG_LIKE}))?)\s+(?:tagged\s+)?(?={LEAD_NOUNS}\b)", I
)


COMPANY = re.compile(
    r"\b(?:at|from|in|with)\s+(?!(?:them|us|you|me)\b)(?P<company>[A-Z0-9][\w&.' -]{0,60}?)"
    r"\s*(?=\s(?:that|who|which|whose)\b|$)",
    I,
)
# The words that say "a group of leads" and nothing about which ones.
_GROUP_WORDS = re.compile(
    r"\b(?:all|each|every|every(?:one|body)|of|the|our|leads?|contacts?|prospects?|people|ppl|"
    r"ones|who|that|which|are|is|r|currently|still|status|at|from|in|with)\b|[,.!?;]",
    I,
)
_LEAD_NOUN = re.compile(r"\b(?:leads?|contacts?|prospects?|people|ppl)\b", I)
_PRONOUNS = frozenset("them those these they us you me it".split())


# "except luis", "but not jane or priya": people left out of the group, by name. A reason said
# after them ("…, havent reached him yet") goes with them; anything else stays to be read.
_EXCEPT = re.compile(
    r"\s*,?\s*\b(?:except(?: for)?|but not|other than|apart from|excluding|besides|minus|"
    r"leaving out|leave out|skip(?:ping)?)\s+(?P<names>[a-z][\w' ]*?(?:\s*(?:,|\band\b|&|\+|\bor\b)"
    r"\s*[a-z][\w']*(?:\s+[a-z][\w']*)?)*)(?P<tail>\s*(?:[,.;!]|$).*)$",
    I,
)
_REASON = re.compile(
    r"^\s*[,.;!]?\s*(?:(?:he|she|they|i|we)(?:'?s|'?re|'?m|'?ve)?\b|(?:have|has)n'?t\b|havent|"
    r"hasnt|not yet\b|still\b|since\b|because\b|bc\b|cuz\b|cause\b|as\b|$)",
    I,
)


def cut_exception(text: str) -> tuple[str, str | None]:
    """`text` without its "except …" and the names it leaves out (None when it has none)."""
    m = _EXCEPT.search(text)
    if m is None:
        return text, None
    tail = m["tail"] if not _REASON.match(m["tail"]) else ""
    return f"{text[: m.start()]}{tail}".strip(), m["names"].strip()


def read_group(who: str) -> Slots | None:
    """The filters that name a group of leads ("all my new acme leads", "all hot leads at
    acme", "everyone at initech incl sams"): `status`, `company`, `tag`, `mine` (the
    person's own), `excluded` (the names after "except"), and `unread`, the words read as
    none of them. None when the words name no
    group ("all of them")."""
    who, excluded = cut_exception(who)
    team = TEAM.search(who)
    mine = None if team else MINE.search(who)
    rest = (TEAM if team else MINE).sub(" ", who) if (team or mine) else who
    tag = tag_asked(rest)
    if tag:
        rest = TAGGED.sub(" ", rest, count=1)
    elif said_tag := TAG_WORD.search(rest):
        tag, rest = said_tag["tag"], f"{rest[: said_tag.start()]} {rest[said_tag.end() :]}"
    at = COMPANY.search(rest)
    company = at["company"].strip() if at else None
    rest = f"{rest[: at.start()]} {rest[at.end() :]}" if at else rest
    status = None
    said_status = vocab.first_value(vocab.STATUS_PATTERNS, rest.lower())
    if said_status:
        status, hit = said_status
        rest = f"{rest[: hit.start()]} {rest[hit.end() :]}"
    left = _GROUP_WORDS.sub(" ", rest).split()
    if tag is None and (kinds := [w for w in left if w.lower() in vocab.TAG_LIKE]):
        tag, left = kinds[0], [w for w in left if w != kinds[0]]  # "all hot acme leads"
    if left and all(w.lower() in _PRONOUNS for w in left):
        return None  # "all of them": no group named
    if left and company is None and _LEAD_NOUN.search(who):
        company, left = " ".join(left), []  # "all acme leads"
    if not (status or company or tag or mine or team or left):
        return None
    return {
        "status": status,
        "company": company,
        "tag": tag,
        "mine": True if mine else None,
        "unread": " ".join(left) or None,
        "excluded": excluded,
    }
